#!/usr/bin/env bash
# Offline type-check of sst.config.ts: no AWS credentials, only the npm registry.
# `sst install` fetches the platform code and the provider SDK types into .sst/;
# tsc then checks every component option against them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

npm ci --no-audit --no-fund --loglevel=error
SST_SKIP_DEPENDENCY_CHECK=1 SST_NO_BUN=1 SST_TELEMETRY_DISABLED=1 XDG_CONFIG_HOME="$PWD/.xdg" \
  npx sst install --stage ci
npx tsc --noEmit
echo "sst.config.ts type-checks"

#!/usr/bin/env bash
# Roll a stage back to the previous release in seconds: the API's `live` alias to the previous
# published version, and the dashboard's index.html to its previous S3 version (the old
# release's hashed assets are still in the bucket: deploys never purge them). The database is
# not touched: migrations are backward compatible with the previous release (docs/deploy.md).
#
#   scripts/rollback.sh STAGE                      # to the release before the current one
#   scripts/rollback.sh STAGE --api-version 41 --web-version 3HL4kqtJ...   # to exact ones
#   scripts/rollback.sh STAGE --api-version 41 --web-before 2026-11-26T03:00:00Z
#                                   # the index.html that was current at that time
#   scripts/rollback.sh STAGE --record             # print the current ones (KEY=value lines)
#   scripts/rollback.sh STAGE --dry-run            # say what would change, change nothing
#   make rollback STAGE=production [ARGS="--dry-run"]
#
# Names come from API_FUNCTION / WEB_BUCKET / DISTRIBUTION_ID, else from the outputs of the
# last `sst deploy` of that stage (deploy/sst/.sst/outputs.json, or OUTPUTS=path). Needs the
# AWS CLI with credentials for the stage's account.
set -euo pipefail

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ $# -ge 1 ] || usage
STAGE="$1"; shift
case "$STAGE" in -h|--help) usage ;; esac
API_VERSION="" WEB_VERSION="" WEB_BEFORE="" RECORD=0 DRY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --api-version) API_VERSION="${2:?}"; shift 2 ;;
    --web-version) WEB_VERSION="${2:?}"; shift 2 ;;
    --web-before) WEB_BEFORE="${2:?}"; shift 2 ;;
    --record) RECORD=1; shift ;;
    --dry-run) DRY=1; shift ;;
    *) echo "rollback: unknown option $1" >&2; usage ;;
  esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUTPUTS="${OUTPUTS:-$ROOT/deploy/sst/.sst/outputs.json}"
output() {  # output NAME: a value of the stage's sst outputs
  [ -f "$OUTPUTS" ] || return 0
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], ""))' "$OUTPUTS" "$1"
}
API_FUNCTION="${API_FUNCTION:-$(output api)}"
WEB_BUCKET="${WEB_BUCKET:-$(output webBucket)}"
DISTRIBUTION_ID="${DISTRIBUTION_ID:-$(output distribution)}"
if [ -z "$API_FUNCTION" ]; then
  # SST names the function <app>-<stage>-ApiFunction-<suffix>.
  API_FUNCTION="$(aws lambda list-functions --output text \
    --query "Functions[?starts_with(FunctionName, 'acme-dashboard-${STAGE}-ApiFunction')].FunctionName | [0]")"
  [ "$API_FUNCTION" != "None" ] || API_FUNCTION=""
fi
[ -n "$API_FUNCTION" ] || { echo "rollback: no API function for stage $STAGE (set API_FUNCTION)" >&2; exit 1; }
case "$API_FUNCTION" in *"-$STAGE-"*) ;; *)
  echo "rollback: $API_FUNCTION is not a function of stage $STAGE (stale OUTPUTS?)" >&2; exit 1 ;;
esac

current_api="$(aws lambda get-alias --function-name "$API_FUNCTION" --name live \
  --query FunctionVersion --output text)"
# index.html versions, newest first: "<VersionId> <LastModified> <IsLatest>" lines.
web_versions() {
  aws s3api list-object-versions --bucket "$WEB_BUCKET" --prefix index.html --output json \
    | python3 -c '
import json, sys
versions = [v for v in json.load(sys.stdin).get("Versions", []) if v["Key"] == "index.html"]
for v in sorted(versions, key=lambda v: v["LastModified"], reverse=True):
    print(v["VersionId"], v["LastModified"], v["IsLatest"])'
}
current_web="" listing=""
if [ -n "$WEB_BUCKET" ]; then
  listing="$(web_versions)"
  current_web="$(awk '$3 == "True" || $3 == "true" { print $1; exit }' <<<"$listing")"
fi

if [ "$RECORD" = 1 ]; then
  echo "API_VERSION=$current_api"
  echo "WEB_VERSION=$current_web"
  exit 0
fi

if [ -z "$API_VERSION" ]; then
  # The newest published version older than the one `live` points at.
  API_VERSION="$(aws lambda list-versions-by-function --function-name "$API_FUNCTION" \
    --query 'Versions[].Version' --output text | tr '\t' '\n' | grep -E '^[0-9]+$' \
    | awk -v cur="$current_api" '$1 < cur' | sort -n | tail -1)"
fi
[ -n "$API_VERSION" ] || { echo "rollback: no API version before $current_api" >&2; exit 1; }

if [ -n "$WEB_BUCKET" ] && [ -z "$WEB_VERSION" ]; then
  if [ -n "$WEB_BEFORE" ]; then
    # The version that was current at that time: the newest one written before it.
    WEB_VERSION="$(python3 -c '
import sys
from datetime import datetime
when = datetime.fromisoformat(sys.argv[1].replace("Z", "+00:00"))
for line in sys.stdin:
    version, modified, _ = line.split()
    if datetime.fromisoformat(modified.replace("Z", "+00:00")) < when:
        print(version)
        break' "$WEB_BEFORE" <<<"$listing")"
  else
    # The index.html version written before the current one.
    WEB_VERSION="$(awk 'NR == 2 { print $1 }' <<<"$listing")"
  fi
fi

echo "rollback $STAGE: API $API_FUNCTION live $current_api -> $API_VERSION"
if [ -n "$WEB_VERSION" ] && [ "$WEB_VERSION" != "$current_web" ]; then
  echo "rollback $STAGE: dashboard s3://$WEB_BUCKET/index.html $current_web -> $WEB_VERSION"
else
  echo "rollback $STAGE: dashboard unchanged (no earlier index.html version)"
  WEB_VERSION=""
fi
if [ "$DRY" = 1 ]; then echo "rollback: dry run, nothing changed"; exit 0; fi

if [ "$API_VERSION" != "$current_api" ]; then
  aws lambda update-alias --function-name "$API_FUNCTION" --name live \
    --function-version "$API_VERSION" --output text --query FunctionVersion >/dev/null
fi
if [ -n "$WEB_VERSION" ]; then
  aws s3api copy-object --bucket "$WEB_BUCKET" --key index.html \
    --copy-source "$WEB_BUCKET/index.html?versionId=$WEB_VERSION" \
    --metadata-directive COPY --output text --query VersionId >/dev/null
  if [ -n "$DISTRIBUTION_ID" ]; then
    aws cloudfront create-invalidation --distribution-id "$DISTRIBUTION_ID" \
      --paths "/" "/index.html" --output text --query Invalidation.Id >/dev/null
  fi
fi
echo "rollback $STAGE: done (the next deploy moves everything forward again)"

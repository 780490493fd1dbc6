# The two commands: `make run` and `make test`. Each installs what it needs first.
SHELL := /bin/bash
UV := .tools/bin/uv
FRONTEND_SOURCES := $(shell find frontend/src frontend/public frontend/index.html frontend/*.config.* frontend/tsconfig*.json -type f 2>/dev/null)
export UV_PYTHON_DOWNLOADS := never

PHONY_EXTRA := browser concurrency
.PHONY: $(PHONY_EXTRA) run test install migrate seed lint format typecheck frontend gen-api staff audit-prune seed-large bench bench-csv bench-lifecycle import export bench-frontend lambda-bundle lambda-test sst-check rollback smoke clean

run: install frontend ## install, migrate, seed an empty database, serve on http://127.0.0.1:8000
	$(UV) run --frozen --extra local python -m src.ops.cli serve

test: install frontend browser ## install, then run every test (DATABASE_URL or an embedded server)
	cd frontend && npm test --silent -- --reporter=dot
	$(UV) run --frozen --extra local python -m pytest -q -p tests.group_headers

browser: ## Chromium for the browser tests (Debian's package; no browser download)
	@command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || \
	  ( [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq chromium ) || \
	  ( echo "Install Chromium (Debian: sudo apt-get install chromium) for the browser tests"; exit 1 )

lint: install ## ruff (lint + format) and mypy strict on src/
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen mypy

format: install
	$(UV) run --frozen ruff format .
	$(UV) run --frozen ruff check --fix .

install: .tools/bin/uv
	@$(UV) sync --frozen --extra local --quiet

.tools/bin/uv:
	@command -v uv >/dev/null 2>&1 && mkdir -p .tools/bin && ln -sf "$$(command -v uv)" .tools/bin/uv \
	  || (python3 -m venv .tools && .tools/bin/pip install --quiet uv)

frontend: frontend/dist/index.html

frontend/node_modules/.installed: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

frontend/dist/index.html: frontend/node_modules/.installed $(FRONTEND_SOURCES)
	cd frontend && npm run build

gen-api: install ## regenerate the frontend's API types from the OpenAPI document
	$(UV) run --frozen python -m src.ops.cli openapi > frontend/openapi.json
	cd frontend && npm run gen:api

migrate: install ## apply pending migrations
	$(UV) run --frozen --extra local python -m src.ops.cli migrate

seed: install ## upsert the demo data
	$(UV) run --frozen --extra local python -m src.ops.cli seed

staff: install ## create or reset a staff account: make staff ARGS='--username NAME --password PW'
	$(UV) run --frozen --extra local python -m src.ops.cli staff $(ARGS)

audit-prune: install ## remove audit entries older than AUDIT_RETENTION_DAYS (or ARGS='--days N'); cron-able
	$(UV) run --frozen --extra local python -m src.ops.cli audit-prune $(ARGS)

clean:
	rm -rf .data build frontend/dist

bench-frontend: install frontend ## bundle sizes, data visible per screen, LCP and CLS of the dashboard in Chromium
	$(UV) run --frozen --extra local python scripts/bench_frontend.py $(ARGS)

concurrency: install ## 32 writers for 30 s against URL (default http://127.0.0.1:8000), the invariants, then one client's flood: other users' p95
	$(UV) run --frozen python scripts/concurrency.py $(if $(DATABASE_URL),--database-url '$(DATABASE_URL)') $(ARGS)

lambda-bundle: install ## the Lambda function's code and dependencies for python3.12 x86_64
	bash scripts/lambda_bundle.sh

lambda-test: install frontend ## the bundle under the Lambda emulator: behaviour, contents, cold/warm figures
	$(UV) run --frozen --extra local pytest -q tests/lambda $(ARGS)

sst-check: ## type-check the SST config offline
	bash deploy/sst/check.sh

rollback: ## roll STAGE back to the previous release: make rollback STAGE=production [ARGS=--dry-run]
	@test -n "$(STAGE)" || { echo "usage: make rollback STAGE=staging|production [ARGS=...]"; exit 2; }
	bash scripts/rollback.sh $(STAGE) $(ARGS)

smoke: ## smoke-test a deployed stage: make smoke URL=https://... (SMOKE_EMAIL, SMOKE_PASSWORD set)
	@test -n "$(URL)" || { echo "usage: make smoke URL=https://... (with SMOKE_EMAIL and SMOKE_PASSWORD)"; exit 2; }
	python3 deploy/smoke.py $(URL) $(ARGS)

seed-large: install ## load the large synthetic data set (1M invoices, 100k customers; ARGS="--force ...")
	$(UV) run --frozen --extra local python -m src.ops.cli seed-large $(ARGS)

bench: install ## benchmark every screen against the large data set, then a wrk load phase (see docs/performance.md)
	@command -v wrk >/dev/null 2>&1 || ( [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null ) || \
	  echo "Install wrk (Debian: sudo apt-get install wrk) for the load phase"
	$(UV) run --frozen --extra local python scripts/bench.py $(ARGS)
	$(UV) run --frozen --extra local python scripts/bench_lifecycle.py
	$(UV) run --frozen --extra local python scripts/bench_audit.py
	$(UV) run --frozen --extra local python scripts/bench_csv.py

import: install ## import a CSV file: make import ARGS='customers FILE' (or invoices; --dry-run)
	$(UV) run --frozen --extra local python -m src.ops.cli import $(ARGS)

export: install ## export to a CSV file: make export ARGS='invoices FILE' (--query, --status)
	$(UV) run --frozen --extra local python -m src.ops.cli export $(ARGS)

bench-csv: install ## CSV export/import figures against the large data set (scripts/bench_csv.py)
	$(UV) run --frozen --extra local python scripts/bench_csv.py $(ARGS)

bench-lifecycle: install ## benchmark the invoice lifecycle (status filters, invoice page, payments)
	$(UV) run --frozen --extra local python scripts/bench_lifecycle.py $(ARGS)

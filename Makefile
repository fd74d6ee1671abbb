# Pembina — two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

FRONTEND := frontend
NPM_STAMP := $(FRONTEND)/node_modules/.installed
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test test-backend test-frontend test-e2e lint lint-backend lint-frontend install migrate bootstrap demo openapi openapi-check bench bench-frontend clean help \
	frontend-install frontend-build client chromium redis

help:
	@echo "make run            install, migrate, load regions + demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test           install and run every test (SQLite and PostgreSQL)"
	@echo "make openapi        regenerate openapi/openapi.json from the code, and the dashboard client"
	@echo "make openapi-check  fail if openapi/openapi.json is stale"
	@echo "make lint          every linter (run first by make test)"
	@echo "make lint-backend   import-linter (the layers in pyproject.toml), ruff (error rules, format check), mypy"
	@echo "make bench          benchmarks (print figures)"
	@echo "make bench-frontend the dashboard's JS size and load times on slow 4G (figures)"
	@echo "make client         regenerate the dashboard's typed API client from openapi/openapi.json"
	@echo "make frontend-build build the dashboard into frontend/dist (served by 'make run')"
	@echo "make test-frontend  dashboard component tests (Vitest)"
	@echo "make lint-frontend  dashboard lint (ESLint, folder boundaries) and type check (tsc)"
	@echo "make test-e2e       dashboard end-to-end tests in headless Chromium against the real backend"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/pembina migrate

bootstrap: install
	$(BIN)/pembina bootstrap

demo: bootstrap
	$(BIN)/pembina demo

run: demo frontend-build
	$(BIN)/pembina serve --host $(HOST) --port $(PORT)

test: lint test-backend test-frontend test-e2e

# every linter: backend (import-linter, ruff) and dashboard (ESLint, tsc)
lint: lint-backend lint-frontend

test-backend: install redis
	$(BIN)/python -m pytest -p no:cacheprovider -n auto --dist worksteal --durations=15

# one direction of dependencies (import-linter contracts in pyproject.toml), ruff's error rules and format check, mypy (strict for the kit and auth)
lint-backend: install
	$(BIN)/lint-imports
	$(BIN)/ruff check backend tests benchmarks examples migrations
	$(BIN)/ruff format --check backend tests benchmarks examples migrations
	$(BIN)/mypy

# the contract, and the dashboard's typed client generated from it
openapi: install frontend-install
	$(BIN)/pembina openapi
	cd $(FRONTEND) && npm run --silent client

openapi-check: install
	$(BIN)/pembina openapi --check

# figures, not pass/fail: region load, imports, national scale under wrk (Debian's wrk, installed here
# when missing), the dashboard's size and load times on slow 4G in headless Chromium
bench: install frontend-build chromium
	@command -v wrk >/dev/null 2>&1 || (apt-get update && apt-get install -y wrk)
	CHROMIUM_PATH=$(CHROMIUM) $(BIN)/python -m benchmarks.run

# only the dashboard's figures (benchmarks/frontend.mjs)
bench-frontend: install frontend-build chromium
	CHROMIUM_PATH=$(CHROMIUM) $(BIN)/python -m benchmarks.run --only frontend

# --- dashboard (frontend/) -------------------------------------------------------------
$(NPM_STAMP): $(FRONTEND)/package.json $(FRONTEND)/package-lock.json
	cd $(FRONTEND) && npm ci --no-audit --no-fund
	@touch $(NPM_STAMP)

frontend-install: $(NPM_STAMP)

# the typed client (src/api/schema.d.ts, committed); a Vitest test fails when it is stale
client: frontend-install
	cd $(FRONTEND) && npm run --silent client

frontend-build: frontend-install
	cd $(FRONTEND) && npm run --silent build

test-frontend: frontend-install
	cd $(FRONTEND) && npx vitest run

# ESLint (typescript-eslint, rules of hooks, screens never import each other) and tsc --noEmit
lint-frontend: frontend-install
	cd $(FRONTEND) && npm run --silent lint && npm run --silent typecheck

# Debian's chromium (no browser downloads): installed here when missing
# Debian's redis-server: the multi-instance test (tests/test_multi_instance.py) starts one on a free port
redis:
	@command -v redis-server >/dev/null 2>&1 || (apt-get update && apt-get install -y redis-server)

chromium:
	@command -v chromium >/dev/null 2>&1 || test -x $(CHROMIUM) || (apt-get update && apt-get install -y chromium)

# the real backend on a temporary SQLite database + the built dashboard, in headless Chromium:
# each persona's day (screenshots go to test-artifacts/), then every screen on a desktop and two
# phones through axe-core (no serious or critical violation), the screen's width and no English
# validator phrase on an Indonesian screen (findings in test-artifacts/a11y-*.txt); the demo
# database is seeded once per run (E2E_TEMPLATE_DIR) and copied for each file's stack
test-e2e: install frontend-build chromium
	cd $(FRONTEND) && tmpl=$$(mktemp -d) && trap 'rm -rf "$$tmpl"' EXIT && \
	  E2E_TEMPLATE_DIR=$$tmpl CHROMIUM_PATH=$(CHROMIUM) node --test --test-concurrency=1 --test-reporter=spec e2e/*.e2e.mjs

clean:
	rm -rf $(VENV) var .pytest_cache $(FRONTEND)/node_modules $(FRONTEND)/dist test-artifacts

# Pembina — two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-backend install migrate bootstrap demo openapi openapi-check bench clean help

help:
	@echo "make run            install, migrate, load regions + demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test           install and run every test (SQLite and PostgreSQL)"
	@echo "make openapi        regenerate openapi/openapi.json from the code"
	@echo "make openapi-check  fail if openapi/openapi.json is stale"
	@echo "make bench          benchmarks (print figures)"

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

run: demo
	$(BIN)/pembina serve --host $(HOST) --port $(PORT)

test: test-backend

test-backend: install
	$(BIN)/python -m pytest -p no:cacheprovider

openapi: install
	$(BIN)/pembina openapi

openapi-check: install
	$(BIN)/pembina openapi --check

bench: install
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) var .pytest_cache

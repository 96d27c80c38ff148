# Northwind data stack. Quick start: `make pipeline`, then `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.bootstrap-done
PLUGIN_FILES := $(shell find meltano -name '*.yml' -not -path '*/.meltano/*' 2>/dev/null) \
                $(shell find meltano/plugins -name pyproject.toml 2>/dev/null)

.PHONY: help bootstrap pipeline full-refresh status test lint format clean clean-data bench-ingest bench-ingest-full

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

bootstrap: $(STAMP) ## Create .venv, install httpfs offline, meltano install

$(STAMP): pyproject.toml uv.lock scripts/bootstrap.sh $(PLUGIN_FILES)
	PYTHON=$(PYTHON) scripts/bootstrap.sh
	@touch $@

pipeline: bootstrap ## Run the whole pipeline on the embedded default (DuckDB + local lake)
	$(BIN)/data-stack run

full-refresh: bootstrap ## Rebuild every model from all of bronze
	$(BIN)/data-stack run --full-refresh

status: bootstrap ## Show the run ledger
	$(BIN)/data-stack status

test: bootstrap ## The whole test suite (lint, unit, plugins, dbt, end-to-end)
	scripts/install-postgres.sh
	$(BIN)/ruff check src tests meltano/plugins
	$(BIN)/pytest

bench-ingest: bootstrap ## Ingest benchmark, ~1M order lines: BATCH vs RECORD vs DuckDB COPY -> bench/results/
	$(BIN)/python bench/ingest.py --mode quick

bench-ingest-full: bootstrap ## The same with ~10M order lines
	$(BIN)/python bench/ingest.py --mode full

lint: bootstrap ## ruff lint + format check
	$(BIN)/ruff check src tests meltano/plugins
	$(BIN)/ruff format --check src tests meltano/plugins

format: bootstrap ## ruff format
	$(BIN)/ruff format src tests meltano/plugins
	$(BIN)/ruff check --fix src tests meltano/plugins

clean-data: ## Delete generated data (landing, lake, warehouse) under ./data
	rm -rf data

clean: clean-data ## Delete data and the environment
	rm -rf $(VENV) meltano/.meltano

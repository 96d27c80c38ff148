# Northwind data stack. Quick start: `make pipeline`, then `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.bootstrap-done
AIRFLOW_VENV := airflow/.venv
AIRFLOW_STAMP := $(AIRFLOW_VENV)/.sync-done
SPARK_VENV := spark/.venv
SPARK_STAMP := $(SPARK_VENV)/.sync-done
ATHENA_VENV := athena/.venv
ATHENA_STAMP := $(ATHENA_VENV)/.sync-done
DASHBOARD_PORT ?= 8501
DASHBOARD_ADDRESS ?= 127.0.0.1
DATA_DOCS_PORT ?= 8502
# Where the runs' Data Docs are, as every stage reads the settings (environment, then .env; empty means default).
DATA_DOCS_DIR = $(shell $(BIN)/python -c 'from data_stack.settings import get_settings; print(get_settings().data_docs_dir)')
PLUGIN_FILES := $(shell find meltano -name '*.yml' -not -path '*/.meltano/*' 2>/dev/null) \
                $(shell find meltano/plugins packages -name pyproject.toml 2>/dev/null)

.PHONY: help bootstrap airflow-env spark-env athena-env airflow pipeline full-refresh status dashboard test lint format clean clean-data \
	stack-test bench bench-quick bench-sweep bench-history bench-ci bench-ingest bench-ingest-full bench-dashboard aws-check promote cost chaos

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

bootstrap: $(STAMP) ## Create .venv, install httpfs offline, meltano install

$(STAMP): pyproject.toml uv.lock scripts/bootstrap.sh $(PLUGIN_FILES)
	PYTHON=$(PYTHON) scripts/bootstrap.sh
	@touch $@

airflow-env: $(AIRFLOW_STAMP) ## Airflow's own environment (airflow/uv.lock) in airflow/.venv

$(AIRFLOW_STAMP): airflow/pyproject.toml airflow/uv.lock scripts/bootstrap.sh
	PYTHON=$(PYTHON) scripts/bootstrap.sh airflow
	@touch $@

spark-env: $(SPARK_STAMP) ## pyspark and dbt-spark in their own environment (spark/uv.lock), for the engine parity tests

$(SPARK_STAMP): spark/pyproject.toml spark/uv.lock scripts/bootstrap.sh
	PYTHON=$(PYTHON) scripts/bootstrap.sh spark
	@touch $@

athena-env: $(ATHENA_STAMP) ## dbt-athena and sqlglot in their own environment (athena/uv.lock), for the Athena tests

$(ATHENA_STAMP): athena/pyproject.toml athena/uv.lock scripts/bootstrap.sh
	PYTHON=$(PYTHON) scripts/bootstrap.sh athena
	@touch $@

airflow: bootstrap airflow-env ## Airflow on http://127.0.0.1:8080 without Docker (api-server, scheduler, dag-processor)
	scripts/airflow.sh

pipeline: bootstrap ## Run the whole pipeline on the embedded default (DuckDB + local lake); the demo data set first when landing is empty
	$(BIN)/data-stack generate --if-empty
	$(BIN)/data-stack run

full-refresh: bootstrap ## Rebuild every model from all of bronze
	$(BIN)/data-stack run --full-refresh

status: bootstrap ## Show the run ledger
	$(BIN)/data-stack status

dashboard: bootstrap ## The dashboards on http://localhost:8501, run Data Docs on :8502 (Ctrl-C stops both)
	@docs="$(DATA_DOCS_DIR)"; [[ -n "$$docs" ]] || exit 1; mkdir -p "$$docs"; \
	$(BIN)/python -m http.server $(DATA_DOCS_PORT) --bind $(DASHBOARD_ADDRESS) --directory "$$docs" >/dev/null 2>&1 & \
	server=$$!; trap 'kill $$server 2>/dev/null' EXIT INT TERM; \
	DATA_DOCS_BASE_URL="$${DATA_DOCS_BASE_URL:-http://localhost:$(DATA_DOCS_PORT)}" \
	$(BIN)/streamlit run dashboards/app.py --server.port $(DASHBOARD_PORT) --server.address $(DASHBOARD_ADDRESS) \
		--server.headless true --browser.gatherUsageStats false --client.toolbarMode viewer

test: bootstrap airflow-env spark-env athena-env ## The whole test suite (lint, unit, plugins, dbt on DuckDB/Spark/Athena, dashboards, stack, monitoring, Airflow)
	scripts/install-postgres.sh
	scripts/install-chromium.sh
	scripts/install-docker-compose.sh
	scripts/install-prometheus.sh
	scripts/install-checkov.sh
	$(BIN)/ruff check src tests dashboards bench meltano/plugins packages airflow/dags spark athena
	@# Two workers, one test file each (every run has its own data folder and Meltano system folder). The Airflow
	@# suite (its own environment) follows: beside the main suite, on two cores, it only slowed both down. Each
	@# lists its slowest tests, so that where CI's time goes is in its log.
	$(BIN)/pytest -n 2 --dist loadfile --durations=25
	$(AIRFLOW_VENV)/bin/pytest -c airflow/pytest.ini tests/airflow --durations=10

stack-test: bootstrap ## The compose stack end to end on this Docker host: up, a DAG run published, dashboards, alerts, faults, down -v (docs/stack.md)
	scripts/install-docker.sh
	scripts/install-chromium.sh
	@# One stack for the session, each test building on the one before: no workers, and a timeout per test that
	@# covers building the image and bringing the stack up.
	STACK_TEST=1 $(BIN)/pytest tests/compose --timeout=2400 --durations=0 -v

CHAOS_EXAMPLES ?= 40
chaos: bootstrap ## The fault rehearsal at length: runs SIGKILLed at CHAOS_EXAMPLES drawn points, a full disk, the object store and Postgres gone (docs/reliability.md)
	scripts/install-postgres.sh
	CHAOS_EXAMPLES=$(CHAOS_EXAMPLES) $(BIN)/pytest -x tests/faults --durations=10

aws-check: bootstrap ## The aws/ Terraform checks offline: terraform fmt, checkov (own env), property tests (tests/aws)
	scripts/install-checkov.sh
	$(BIN)/pytest -q -m "not slow" tests/aws

ENV ?= dev
promote: bootstrap athena-env ## Promote to AWS: make promote ENV=dev (without AWS credentials: the checks and a rehearsal on moto)
	scripts/install-checkov.sh
	$(BIN)/data-stack promote --env $(ENV)

cost: bootstrap ## Monthly cost of an environment for its stated usage: make cost ENV=dev
	$(BIN)/data-stack cost --env $(ENV)

bench: bootstrap ## Pipeline benchmark, ~10M order lines: floor script vs full, +1 day and nothing-new runs -> bench/results/pipeline.json
	$(BIN)/python bench/pipeline.py --mode full

bench-quick: bootstrap ## The same at the demo scale (~150k order lines), in minutes
	$(BIN)/python bench/pipeline.py --mode quick

bench-sweep: bootstrap ## Floor and full run at scales 0.1, 1, 10 and 67: cost against rows -> bench/results/pipeline-sweep.png
	$(BIN)/python bench/pipeline.py --mode sweep

bench-history: bootstrap ## The run after one more day at 30, 90 and 180 days of history, same size of day -> bench/results/history.png
	$(BIN)/python bench/history.py

bench-ci: bootstrap ## The tiny mode `make test` runs: fails when a run with nothing new costs > 0.15x a full run
	$(BIN)/python bench/pipeline.py --mode ci

bench-ingest: bootstrap ## Ingest benchmark, ~1M order lines: BATCH vs RECORD vs DuckDB COPY -> bench/results/
	$(BIN)/python bench/ingest.py --mode quick

bench-ingest-full: bootstrap ## The same with ~10M order lines
	$(BIN)/python bench/ingest.py --mode full

bench-dashboard: bootstrap ## p95 query latency per dashboard page at ~10M order lines -> bench/results/dashboard.json
	$(BIN)/python bench/dashboard.py

lint: bootstrap ## ruff lint + format check
	$(BIN)/ruff check src tests dashboards bench meltano/plugins packages airflow/dags spark athena
	$(BIN)/ruff format --check src tests dashboards bench meltano/plugins packages airflow/dags spark athena

format: bootstrap ## ruff format
	$(BIN)/ruff format src tests dashboards bench meltano/plugins packages airflow/dags spark athena
	$(BIN)/ruff check --fix src tests dashboards bench meltano/plugins packages airflow/dags spark athena

clean-data: ## Delete generated data (landing, lake, warehouse) under ./data
	rm -rf data

clean: clean-data ## Delete data and the environment
	rm -rf $(VENV) $(AIRFLOW_VENV) $(SPARK_VENV) $(ATHENA_VENV) meltano/.meltano

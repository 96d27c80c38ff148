# The data-stack image: one image for every service of docker-compose.yml that runs our code (pipeline CLI, mock
# vendor API, dashboards, Airflow). Two locked environments: /app/.venv (the stack, from uv.lock) and
# /app/airflow/.venv (Airflow, from airflow/uv.lock; its pins conflict with the stack's).
#
#   docker compose build        # or: docker build -t data-stack:local .

# ---- builder: resolve nothing, install exactly what the lockfiles say ----
FROM python:3.11.16-slim-bookworm AS builder

ARG UV_VERSION=0.13.9
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3.11 \
    UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1 \
    UV_NO_CACHE=1 \
    MELTANO_SEND_ANONYMOUS_USAGE_STATS=false

RUN pip install "uv==${UV_VERSION}" \
    && useradd --uid 1000 --user-group --create-home --shell /bin/bash app

WORKDIR /app

# Dependencies first: this layer is rebuilt only when a lockfile or one of our packages/ changes. packages/ holds
# path dependencies of uv.lock (duckdb-s3, also installed into the Meltano plugins), so it comes before the sync.
COPY pyproject.toml uv.lock README.md ./
COPY packages/ packages/
RUN uv sync --frozen --no-dev --no-install-project

COPY airflow/pyproject.toml airflow/uv.lock airflow/
RUN uv sync --frozen --no-dev --project airflow

# The package itself, installed editable (uv's default): settings.PROJECT_ROOT is the checkout (/app), where
# meltano/ and dbt/ live.
COPY src/ src/
RUN uv sync --frozen --no-dev

# httpfs from its wheel (no network at run time) into the extension folder of the user that runs the stack;
# Meltano's plugin venvs pin the same DuckDB, so they load it from there too.
COPY meltano/ meltano/
RUN HOME=/home/app .venv/bin/python -m data_stack.duckdb_ext \
    && cd meltano \
    && PATH=/app/.venv/bin:$PATH meltano install \
    && rm -rf .meltano/logs .meltano/run .meltano/meltano.db

COPY dbt/ dbt/
COPY dashboards/ dashboards/
COPY airflow/ airflow/
COPY docker/stack/ docker/stack/

# ---- runtime: the same interpreter, no build tools, a non-root user ----
FROM python:3.11.16-slim-bookworm AS runtime

RUN useradd --uid 1000 --user-group --create-home --shell /bin/bash app \
    && mkdir -p /data/landing /data/warehouse /data/airflow \
    && chown -R app:app /data

# Meltano's run files go to the warehouse (its own system folder per warehouse, plugins linked from here); dbt's
# target/ and logs/ too (DBT_TARGET_PATH, DBT_LOG_PATH); the project folders stay owned by app for anything else.
COPY --from=builder --chown=app:app /app /app
COPY --from=builder --chown=app:app /home/app/.duckdb /home/app/.duckdb

ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DATA_STACK_CLI=/app/.venv/bin/data-stack \
    DATA_DIR=/data \
    LANDING_URI=/data/landing \
    WAREHOUSE_DIR=/data/warehouse \
    AIRFLOW_HOME=/data/airflow \
    AIRFLOW__CORE__DAGS_FOLDER=/app/airflow/dags \
    DO_NOT_TRACK=1 \
    MELTANO_SEND_ANONYMOUS_USAGE_STATS=false \
    DBT_SEND_ANONYMOUS_USAGE_STATS=false \
    GX_ANALYTICS_ENABLED=false \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false

USER app
WORKDIR /app

# 8080 Airflow API server, 8501 dashboards, 8765 mock vendor API
EXPOSE 8080 8501 8765
CMD ["data-stack", "--help"]

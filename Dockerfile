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

# Only what the environments are built from: a change to the project's code (src/, dbt/, dashboards/, airflow/dags)
# leaves every layer of this stage cached, and the runtime stage copies the code last (a rebuild in seconds).
# packages/ holds path dependencies of uv.lock (duckdb-s3, also installed into the Meltano plugins).
COPY pyproject.toml uv.lock README.md ./
COPY packages/ packages/
RUN uv sync --frozen --no-dev --no-install-project

COPY airflow/pyproject.toml airflow/uv.lock airflow/
RUN uv sync --frozen --no-dev --project airflow

# The package itself, installed editable (uv's default): a path to /app/src, where the runtime stage puts the code;
# settings.PROJECT_ROOT is /app, where meltano/ and dbt/ live. The installer needs the package folder to exist, and
# duckdb_ext installs httpfs below, so those two files are all of src/ this stage sees.
COPY src/data_stack/__init__.py src/data_stack/duckdb_ext.py src/data_stack/
RUN uv sync --frozen --no-dev

# httpfs from its wheel (no network at run time) into the extension folder of the user that runs the stack;
# Meltano's plugin venvs pin the same DuckDB, so they load it from there too. A change under meltano/ (the plugins'
# code, a stream's settings) reinstalls the plugins here.
COPY meltano/ meltano/
RUN HOME=/home/app .venv/bin/python -m data_stack.duckdb_ext \
    && cd meltano \
    && PATH=/app/.venv/bin:$PATH meltano install \
    && rm -rf .meltano/logs .meltano/run .meltano/meltano.db

# Five environments carry the same DuckDB, pyarrow and SQLAlchemy files: one copy each, hard-linked
# (docker/stack/slim_environments.py; the runtime stage copies /app in one COPY, which keeps the links).
COPY docker/stack/slim_environments.py /tmp/slim_environments.py
RUN .venv/bin/python /tmp/slim_environments.py /app/.venv /app/airflow/.venv /app/meltano/.meltano

# ---- runtime: the same interpreter, no build tools, a non-root user ----
FROM python:3.11.16-slim-bookworm AS runtime

RUN useradd --uid 1000 --user-group --create-home --shell /bin/bash app \
    && mkdir -p /data/landing /data/warehouse /data/airflow \
    && chown -R app:app /data

# The environments (and meltano/, whose plugins they hold) in one COPY: it keeps the hard links between them.
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

# The code last, so that a change to it rebuilds only these layers; byte-compiled like the environments (ADR 0020).
COPY --chown=app:app dbt/ dbt/
COPY --chown=app:app dashboards/ dashboards/
COPY --chown=app:app airflow/ airflow/
COPY --chown=app:app docker/stack/ docker/stack/
COPY --chown=app:app src/ src/
RUN python -m compileall -q src airflow/dags dashboards

# 8080 Airflow API server, 8501 dashboards, 8765 mock vendor API
EXPOSE 8080 8501 8765
CMD ["data-stack", "--help"]

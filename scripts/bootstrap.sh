#!/usr/bin/env bash
# Set up everything `make pipeline` and `make test` need, from a machine with only python3 (3.11 or 3.12) and make.
# Idempotent: the Makefile reruns it only when the lockfile or a plugin definition changes.
# `scripts/bootstrap.sh airflow` sets up Airflow's own environment instead (airflow/uv.lock -> airflow/.venv), and
# `scripts/bootstrap.sh spark` Spark's (spark/uv.lock -> spark/.venv) and `scripts/bootstrap.sh athena` dbt-athena's
# (athena/uv.lock -> athena/.venv), for the engine tests only.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
SUPPORTED="3.11 3.12"  # requires-python in every pyproject.toml: what the committed uv.lock files are resolved for
UV_VERSION="0.13.9"
export UV_PYTHON_DOWNLOADS=never   # use the machine's Python; never fetch interpreter binaries
# Byte-compile at install time: where PYTHONDONTWRITEBYTECODE is set (many CI images and containers), Python would
# otherwise compile every module it imports from source in every process; a pipeline run starts about ten of them.
export UV_COMPILE_BYTECODE=1

version="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true)"
if [[ " $SUPPORTED " != *" $version "* ]]; then
    echo "bootstrap: needs Python 3.11 or 3.12 (the locked dependencies in uv.lock are resolved for those), but" \
        "$PYTHON is ${version:-not found}. Install Python 3.12 and run: make bootstrap PYTHON=python3.12" >&2
    exit 1
fi

if command -v uv >/dev/null 2>&1; then
    UV=(uv)
else
    if ! "$PYTHON" -m uv --version >/dev/null 2>&1; then
        echo "bootstrap: installing uv $UV_VERSION with pip"
        "$PYTHON" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
    fi
    UV=("$PYTHON" -m uv)
fi

if [[ "${1:-}" == "airflow" ]]; then
    echo "bootstrap: creating airflow/.venv from airflow/uv.lock"
    "${UV[@]}" sync --frozen --project airflow --python "$PYTHON"
    exit 0
fi

if [[ "${1:-}" == "spark" || "${1:-}" == "athena" ]]; then
    echo "bootstrap: creating $1/.venv from $1/uv.lock"
    "${UV[@]}" sync --frozen --project "$1" --python "$PYTHON"
    exit 0
fi

echo "bootstrap: creating .venv from uv.lock"
"${UV[@]}" sync --frozen --python "$PYTHON"

echo "bootstrap: installing DuckDB httpfs from its wheel (offline)"
.venv/bin/python -m data_stack.duckdb_ext >/dev/null

echo "bootstrap: meltano install (plugins pinned in meltano/)"
export PATH="$PWD/.venv/bin:$PATH"
(cd meltano && meltano install >/tmp/data-stack-meltano-install.log 2>&1) || {
    echo "bootstrap: meltano install failed; see /tmp/data-stack-meltano-install.log" >&2
    tail -20 /tmp/data-stack-meltano-install.log >&2
    exit 1
}
echo "bootstrap: byte-compiling the project's modules and the plugin environments"
.venv/bin/python -m compileall -q -j 0 src dashboards meltano/plugins packages meltano/.meltano >/dev/null
echo "bootstrap: done"

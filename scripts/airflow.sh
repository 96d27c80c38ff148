#!/usr/bin/env bash
# `make airflow`: Airflow without Docker — api-server, scheduler and dag-processor on 127.0.0.1 with the same DAGs
# and settings as compose (airflow/airflow.env), the metadata database in SQLite under $DATA_DIR/airflow unless
# AIRFLOW__DATABASE__SQL_ALCHEMY_CONN points elsewhere. Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

set -a
# shellcheck disable=SC1091
source airflow/airflow.env
[[ -f .env ]] && source .env
set +a

DATA_DIR="$(realpath -m "${DATA_DIR:-data}")"
export DATA_DIR
export WAREHOUSE_DIR="$(realpath -m "${WAREHOUSE_DIR:-$DATA_DIR/warehouse}")"
export AIRFLOW_HOME="$(realpath -m "${AIRFLOW_HOME:-$DATA_DIR/airflow}")"
export AIRFLOW__CORE__DAGS_FOLDER="$ROOT/airflow/dags"
export DATA_STACK_CLI="${DATA_STACK_CLI:-$ROOT/.venv/bin/data-stack}"
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="${AIRFLOW__DATABASE__SQL_ALCHEMY_CONN:-sqlite:///$AIRFLOW_HOME/airflow.db}"
PORT="${AIRFLOW_PORT:-8080}"
export AIRFLOW__API__HOST=127.0.0.1 AIRFLOW__API__PORT="$PORT"
export AIRFLOW__API__BASE_URL="http://127.0.0.1:$PORT"
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="http://127.0.0.1:$PORT/execution/"
mkdir -p "$AIRFLOW_HOME"

# Secrets generated once per AIRFLOW_HOME (compose takes them from .env instead).
secret() {
    local file="$AIRFLOW_HOME/$1"
    [[ -s "$file" ]] || (umask 077 && airflow/.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(24))' >"$file")
    cat "$file"
}
export AIRFLOW__API_AUTH__JWT_SECRET="${AIRFLOW__API_AUTH__JWT_SECRET:-$(secret jwt_secret)}"
export AIRFLOW__API__SECRET_KEY="${AIRFLOW__API__SECRET_KEY:-$(secret api_secret_key)}"
if [[ -n "${AIRFLOW_ADMIN_PASSWORD:-}" ]]; then
    password_from="AIRFLOW_ADMIN_PASSWORD"
else
    AIRFLOW_ADMIN_PASSWORD="$(secret admin_password)"
    password_from="$AIRFLOW_HOME/admin_password"
fi
export AIRFLOW_ADMIN_PASSWORD

export PATH="$ROOT/airflow/.venv/bin:$PATH"
"$DATA_STACK_CLI" generate --if-empty
AIRFLOW_BIN="$ROOT/airflow/.venv/bin/airflow" airflow/init.sh

logs="$AIRFLOW_HOME/logs/services"
mkdir -p "$logs"
pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM
for service in api-server scheduler dag-processor; do
    airflow "$service" >"$logs/$service.log" 2>&1 &
    pids+=("$!")
done
echo "Airflow on http://127.0.0.1:$PORT (user admin, password: $password_from)"
echo "DAGs: $AIRFLOW__CORE__DAGS_FOLDER; service logs: $logs; Ctrl-C stops Airflow"
wait -n "${pids[@]}"
echo "an Airflow service stopped; see $logs" >&2
exit 1

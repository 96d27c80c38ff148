#!/usr/bin/env bash
# Prepare Airflow for the Northwind DAGs; idempotent. Used by `make airflow` (scripts/airflow.sh) and compose's
# airflow-init: migrate the metadata database, create the one-slot writer pool, set the admin password.
set -euo pipefail
AIRFLOW="${AIRFLOW_BIN:-airflow}"
PYTHON="$(dirname "$(command -v "$AIRFLOW")")/python"

"$AIRFLOW" db migrate
"$AIRFLOW" pools set duckdb_writer 1 "One writer at a time on the DuckDB warehouse, the lake and the run ledger"

# The simple auth manager reads users' passwords from this file (it would generate random ones otherwise).
if [[ -n "${AIRFLOW_ADMIN_PASSWORD:-}" ]]; then
    file="${AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE:-${AIRFLOW_HOME:?}/simple_auth_manager_passwords.json.generated}"
    mkdir -p "$(dirname "$file")"
    "$PYTHON" -c 'import json, os, sys; json.dump({"admin": os.environ["AIRFLOW_ADMIN_PASSWORD"]}, open(sys.argv[1], "w"))' "$file"
    chmod 600 "$file"
fi
echo "airflow-init: metadata database migrated, pool duckdb_writer ready"

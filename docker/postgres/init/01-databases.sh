#!/usr/bin/env bash
# Roles and databases of the stack, created once, on the first start of an empty Postgres data volume
# (the image runs /docker-entrypoint-initdb.d/*). Passwords come from the environment (.env), never from here.
#   airflow     owns the `airflow` metadata database (Postgres 15 lets only the owner create in `public`)
#   serving     owns the `serving` database: the pipeline's loader creates and swaps the gold schemas there
#   dashboards  logs in to `serving` read-only: select on everything `serving` creates, now and after each swap
set -euo pipefail

for name in AIRFLOW_DB_PASSWORD SERVING_DB_PASSWORD DASHBOARDS_DB_PASSWORD; do
    if [[ -z "${!name:-}" ]]; then
        echo "01-databases: $name is not set. Set it in .env (see .env.example) and recreate the postgres volume." >&2
        exit 1
    fi
done

# psql's :'name' quotes each value as an SQL literal, so any password is safe here.
psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname postgres \
    -v airflow_password="$AIRFLOW_DB_PASSWORD" \
    -v serving_password="$SERVING_DB_PASSWORD" \
    -v dashboards_password="$DASHBOARDS_DB_PASSWORD" <<'SQL'
create role airflow login password :'airflow_password';
create database airflow owner airflow;

create role serving login password :'serving_password';
create database serving owner serving;

create role dashboards login password :'dashboards_password';
revoke all on database airflow from public;
revoke all on database serving from public;
grant connect on database serving to dashboards;

\connect serving
alter default privileges for role serving grant usage on schemas to dashboards;
alter default privileges for role serving grant select on tables to dashboards;
SQL
echo "01-databases: roles airflow, serving, dashboards and databases airflow, serving created"

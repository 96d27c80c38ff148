#!/usr/bin/env bash
# Postgres server binaries for the serving tests, which start a throwaway server from them (tests/serving/).
# Idempotent: does nothing when /usr/lib/postgresql/$PG_MAJOR/bin/postgres exists. Debian/Ubuntu (apt-get).
# Installs binaries only: no default cluster is created and nothing listens on port 5432.
set -euo pipefail

PG_MAJOR="${PG_MAJOR:-15}"
if [[ -x "/usr/lib/postgresql/$PG_MAJOR/bin/postgres" ]]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-postgres: apt-get not found. Install the Postgres $PG_MAJOR server yourself and set PG_BIN to its bin folder." >&2
    exit 1
fi
SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
    SUDO=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive

echo "install-postgres: apt-get install postgresql-$PG_MAJOR"
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends postgresql-common >/dev/null
# Before the server package: its post-install would otherwise create and start the `main` cluster.
"${SUDO[@]}" sed -ri 's/^#?\s*create_main_cluster\s*=.*/create_main_cluster = false/' \
    /etc/postgresql-common/createcluster.conf
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "postgresql-$PG_MAJOR" >/dev/null
"/usr/lib/postgresql/$PG_MAJOR/bin/postgres" --version

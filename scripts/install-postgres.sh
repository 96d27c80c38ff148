#!/usr/bin/env bash
# Postgres server binaries for the serving tests, which start a throwaway server from them (tests/serving/).
# Idempotent: does nothing when /usr/lib/postgresql/$PG_MAJOR/bin/postgres exists. Debian/Ubuntu (apt-get).
# Installs binaries only: no default cluster is created and nothing listens on port 5432.
set -euo pipefail

PG_MAJOR="${PG_MAJOR:-15}"
if [[ -x "/usr/lib/postgresql/$PG_MAJOR/bin/postgres" ]]; then
    exit 0
fi
source "$(dirname "$0")/lib/apt.sh"
apt_prepare install-postgres "Install the Postgres $PG_MAJOR server yourself and set PG_BIN to its bin folder."
apt_install postgresql-common
# Before the server package: its post-install would otherwise create and start the `main` cluster.
"${SUDO[@]}" sed -ri 's/^#?\s*create_main_cluster\s*=.*/create_main_cluster = false/' \
    /etc/postgresql-common/createcluster.conf
apt_install "postgresql-$PG_MAJOR"
"/usr/lib/postgresql/$PG_MAJOR/bin/postgres" --version

#!/usr/bin/env bash
# Debian's docker-compose (1.29.2) for the stack tests (tests/stack/): `docker-compose config` validates
# docker-compose.yml without a Docker engine. Idempotent: does nothing when docker-compose is on PATH.
# Debian/Ubuntu (apt-get). Installs the client only: no engine, nothing starts.
set -euo pipefail

if command -v docker-compose >/dev/null 2>&1; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-docker-compose: apt-get not found. Install docker-compose (1.29+) yourself, or run the stack tests where it is." >&2
    exit 1
fi
SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
    SUDO=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
APT=(apt-get -o DPkg::Lock::Timeout=300)

echo "install-docker-compose: apt-get install docker-compose"
"${SUDO[@]}" "${APT[@]}" update -qq
"${SUDO[@]}" "${APT[@]}" install -y -qq --no-install-recommends docker-compose >/dev/null
docker-compose version --short

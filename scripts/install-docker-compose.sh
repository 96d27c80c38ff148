#!/usr/bin/env bash
# Debian's docker-compose (1.29.2) for the stack tests (tests/stack/): `docker-compose config` validates
# docker-compose.yml without a Docker engine. Idempotent: does nothing when docker-compose is on PATH.
# Debian/Ubuntu (apt-get). Installs the client only: no engine, nothing starts.
set -euo pipefail

if command -v docker-compose >/dev/null 2>&1; then
    exit 0
fi
source "$(dirname "$0")/lib/apt.sh"
apt_prepare install-docker-compose "Install docker-compose (1.29+) yourself, or run the stack tests where it is."
apt_install docker-compose
docker-compose version --short

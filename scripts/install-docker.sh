#!/usr/bin/env bash
# A Docker engine and a compose client for `make stack-test`. Where an engine answers (`docker info`), and a compose
# client exists (the `docker compose` plugin or `docker-compose`), it does nothing: any Docker host, Codespaces.
# Elsewhere, on Debian/Ubuntu as root (or through sudo): installs Debian's docker.io and docker-compose and starts
# dockerd in the background, without touching the host's firewall (--iptables=false --ip-masq=false: containers talk
# to each other and to 127.0.0.1-published ports, not beyond the machine). Its log: $DOCKERD_LOG.
set -euo pipefail

DOCKERD_LOG="${DOCKERD_LOG:-/tmp/dockerd.log}"
have_compose() { docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null 2>&1; }

if docker info >/dev/null 2>&1 && have_compose; then
    exit 0
fi
source "$(dirname "$0")/lib/apt.sh"
apt_prepare install-docker "Install Docker Engine with the compose plugin (docs/stack.md), start it, and run again."
command -v dockerd >/dev/null 2>&1 || apt_install docker.io
have_compose || apt_install docker-compose
if ! docker info >/dev/null 2>&1; then
    echo "install-docker: starting dockerd (log: $DOCKERD_LOG)"
    # setsid: the engine outlives this script and the make target that ran it.
    "${SUDO[@]}" setsid dockerd --iptables=false --ip-masq=false >"$DOCKERD_LOG" 2>&1 < /dev/null &
    for _ in $(seq 60); do
        docker info >/dev/null 2>&1 && break
        sleep 1
    done
    if ! docker info >/dev/null 2>&1; then
        echo "install-docker: dockerd did not answer in 60 s; its log:" >&2
        tail -20 "$DOCKERD_LOG" >&2
        exit 1
    fi
fi
docker version --format 'install-docker: engine {{.Server.Version}}'

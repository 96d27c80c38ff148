#!/usr/bin/env bash
# Debian's Prometheus (it brings promtool) and Alertmanager (amtool) for the monitoring tests (tests/monitoring/):
# `promtool check config|rules`, `promtool test rules`, `amtool check-config`, and a real Prometheus started on a
# free loopback port. Idempotent: does nothing when promtool, amtool and prometheus are on PATH. Debian/Ubuntu
# (apt-get). Installs the binaries only: the packages' services are kept from starting (policy-rc.d) and, where
# systemd runs, disabled, so nothing keeps running or listens on 9090/9093 afterwards.
set -euo pipefail

if command -v promtool >/dev/null 2>&1 && command -v amtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1; then
    exit 0
fi
source "$(dirname "$0")/lib/apt.sh"
apt_prepare install-prometheus "Install Prometheus 2.42+ (promtool) and Alertmanager (amtool) yourself."
PACKAGES=(prometheus prometheus-alertmanager)
SERVICES=(prometheus prometheus-alertmanager prometheus-node-exporter)

# invoke-rc.d and deb-systemd-invoke ask /usr/sbin/policy-rc.d before starting a service; 101 means "do not".
POLICY=/usr/sbin/policy-rc.d
SAVED=""
if [[ -e "$POLICY" ]]; then
    SAVED="$(mktemp)"
    "${SUDO[@]}" cp -p "$POLICY" "$SAVED"
fi
restore_policy() {
    if [[ -n "$SAVED" ]]; then
        "${SUDO[@]}" cp -p "$SAVED" "$POLICY"
        rm -f "$SAVED"
    else
        "${SUDO[@]}" rm -f "$POLICY"
    fi
}
trap restore_policy EXIT
printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$POLICY" >/dev/null
"${SUDO[@]}" chmod 755 "$POLICY"

apt_install "${PACKAGES[@]}"

# A host booted with systemd would start them at the next boot: disable them (and stop any that got through).
if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1; then
    for service in "${SERVICES[@]}"; do
        "${SUDO[@]}" systemctl disable --now "$service" >/dev/null 2>&1 || true
    done
fi
promtool --version 2>&1 | head -n 1
amtool --version 2>&1 | head -n 1

#!/usr/bin/env bash
# Debian's Chromium for the dashboard browser tests (tests/dashboards/test_browser.py), driven by Playwright
# with executable_path: no browser is downloaded by Playwright. Idempotent: does nothing when it is installed.
set -euo pipefail

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [[ -x "$CHROMIUM" ]]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-chromium: apt-get not found. Install Chromium yourself and set CHROMIUM to its path." >&2
    exit 1
fi
SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
    SUDO=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive

echo "install-chromium: apt-get install chromium"
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
"$CHROMIUM" --version

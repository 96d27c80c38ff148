#!/usr/bin/env bash
# Debian's Chromium for the dashboard browser tests (tests/dashboards/test_browser.py), driven by Playwright
# with executable_path: no browser is downloaded by Playwright. Idempotent: does nothing when it is installed.
set -euo pipefail

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [[ -x "$CHROMIUM" ]]; then
    exit 0
fi
source "$(dirname "$0")/lib/apt.sh"
apt_prepare install-chromium "Install Chromium yourself and set CHROMIUM to its path."
apt_install chromium fonts-liberation
"$CHROMIUM" --version

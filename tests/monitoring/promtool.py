"""Debian's promtool and amtool, run the way the tests need them."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.tools import require_command

from .monitoring_files import PROMTOOL_HINT


def promtool(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    binary = require_command("promtool", PROMTOOL_HINT)
    return subprocess.run([binary, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def amtool(*args: str) -> subprocess.CompletedProcess:
    binary = require_command("amtool", PROMTOOL_HINT)
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=120)

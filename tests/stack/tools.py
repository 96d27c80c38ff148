"""Tools the stack tests need, ports and polling. A missing tool fails the test under CI (`make test` installs it)
and skips it elsewhere, like tests/serving does for the Postgres binaries."""

from __future__ import annotations

import os
import shutil
import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from .stack_files import ROOT

AIRFLOW_BIN = ROOT / "airflow" / ".venv" / "bin" / "airflow"


def missing(hint: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(hint)
    pytest.skip(hint)


def require_command(name: str, hint: str) -> str:
    path = shutil.which(name)
    if path is None:
        missing(f"{name} not found: {hint}")
    return str(path)


def require_file(path: Path, hint: str) -> str:
    if not path.is_file():
        missing(f"{path} not found: {hint}")
    return str(path)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check: Callable[[], bool], timeout: float, interval: float = 0.5) -> bool:
    """Poll `check` until it is true or `timeout` seconds passed; the result of the last call."""
    deadline = time.monotonic() + timeout
    while True:
        if check():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(interval)

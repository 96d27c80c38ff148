"""What tests across folders share: a tool that must be installed, a free loopback port, waiting for a server.

A missing tool fails the test under CI (`make test` installs it) and skips it elsewhere, e.g. a hand-run pytest.
"""

from __future__ import annotations

import os
import shutil
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests


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


def logs_of(folder: Path, tail: int = 2500) -> str:
    return "\n".join(f"== {p.name}\n{p.read_text(errors='replace')[-tail:]}" for p in sorted(folder.glob("*.log")))


def wait_for(
    probe: Callable[[], Any],
    timeout: float,
    what: str,
    logs: Path,
    *,
    alive: Callable[[], int | None] = lambda: None,
    interval: float = 0.5,
) -> Any:
    """`probe()`'s first truthy value (connection errors count as not yet), else fail with the server's logs.
    `alive` returns an exit code once the server died, which fails at once instead of at the deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        code = alive()
        if code is not None:
            pytest.fail(f"the server exited ({code}) while waiting for {what}:\n{logs_of(logs)}")
        try:
            value = probe()
            if value:
                return value
        except requests.RequestException:
            pass
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}:\n{logs_of(logs)}")

"""Waiting for a server in a test: poll until a probe returns something truthy, failing with the logs at a deadline."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests


def logs_of(folder: Path, tail: int = 2500) -> str:
    return "\n".join(f"== {p.name}\n{p.read_text(errors='replace')[-tail:]}" for p in sorted(folder.glob("*.log")))


def wait_until(
    probe: Callable[[], Any],
    timeout: float,
    what: str,
    logs: Path,
    *,
    alive: Callable[[], int | None] = lambda: None,
    interval: float = 0.5,
) -> Any:
    """`probe()`'s first truthy value; connection errors count as not yet. `alive` returns an exit code once the
    server died, which fails at once instead of at the deadline."""
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

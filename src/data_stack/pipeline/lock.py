"""One writer at a time: an advisory lock that the OS releases when the holder dies."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from data_stack.errors import RunLocked

WAIT_FOR_IT = "`data-stack status` shows it) and run again"


@contextmanager
def run_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+")
    try:
        _take(handle, WAIT_FOR_IT)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        yield
    finally:
        handle.close()


def require_unlocked(path: Path, then: str) -> None:
    """Refuse now, saying what to do (`then`), if a run holds the lock; the lock file is left as it is."""
    if not path.exists():
        return
    with path.open("a+") as handle:
        _take(handle, then)
        fcntl.flock(handle, fcntl.LOCK_UN)


def _take(handle: IO[str], then: str) -> None:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        raise RunLocked(f"Another pipeline run holds the lock ({holder})", f"Wait for it to finish ({then}") from None

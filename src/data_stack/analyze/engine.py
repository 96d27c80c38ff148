"""The DuckDB session a profile runs in: a memory cap, a disk to spill to, UTC."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from data_stack.analyze.sql import literal
from data_stack.errors import UserError

DEFAULT_MEMORY_LIMIT = "1GB"


@contextmanager
def session(scratch_root: Path, memory_limit: str = DEFAULT_MEMORY_LIMIT) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a scratch database under `scratch_root`, removed afterwards.

    Landing files are copied into it, so their columns are read from disk one at a time; what does not fit in
    `memory_limit` spills to its temp directory. The scratch folder is on the data disk on purpose: the system
    temp folder may be a RAM disk, where spilling would not bound memory at all.
    """
    scratch_root.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".analyze-", dir=scratch_root))
    conn = duckdb.connect(str(folder / "profile.duckdb"))
    try:
        try:
            conn.execute(f"set memory_limit = {literal(memory_limit)}")
        except duckdb.Error as exc:
            raise UserError(f"Invalid memory limit {memory_limit!r}", "Give a size such as 512MB or 2GB") from exc
        conn.execute(f"set temp_directory = {literal(str(folder / 'spill'))}")
        conn.execute("set preserve_insertion_order = false")  # lets a large load stream within the memory limit
        conn.execute("set TimeZone = 'UTC'")
        conn.execute("set enable_progress_bar = false")
        yield conn
    finally:
        conn.close()
        shutil.rmtree(folder, ignore_errors=True)

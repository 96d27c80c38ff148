"""Atomic publish by rename.

Readers open `current.duckdb` read-only per request. `os.replace` swaps the directory entry in one step, so a
reader opens either the old file or the new one, never a half-written one; a reader that already has the old file
open keeps reading it until it closes.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from data_stack.errors import StageFailed
from data_stack.log import get_logger

log = get_logger(__name__)


def seal_build(build_db: Path) -> None:
    """Fold the write-ahead log into the file so the single file is the whole database."""
    with duckdb.connect(str(build_db)) as conn:
        conn.execute("checkpoint")
    wal = build_db.with_name(build_db.name + ".wal")
    if wal.exists():
        raise StageFailed(f"{build_db} still has a write-ahead log", "Close other writers and retry")


def publish_build(build_db: Path, published: Path) -> None:
    if not build_db.exists():
        raise StageFailed(
            f"Build database {build_db} does not exist",
            "Run `data-stack transform` and `data-stack check` first",
        )
    seal_build(build_db)
    with duckdb.connect(str(build_db), read_only=True) as conn:
        conn.execute("select count(*) from information_schema.tables").fetchone()
    # fsync the data before the rename so a crash cannot publish a file whose blocks never hit disk.
    fd = os.open(build_db, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(build_db, published)
    dir_fd = os.open(published.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    log.info("published %s", published)

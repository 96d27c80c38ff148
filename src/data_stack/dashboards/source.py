"""The published snapshot the dashboards read, and how to query it.

A snapshot is one published state: `current.duckdb` as it was when opened, or the run Postgres serves. Its
`token` changes with every publish; the app caches query results under it, so a new publish shows up on the
next page load and a cached result never mixes two runs.

DuckDB keeps one database instance per path in a process, so a second `duckdb.connect(path)` after a publish
would still read the old file. Each snapshot is therefore an in-memory DuckDB that ATTACHes `current.duckdb`
read-only (`serving.reader.connect_published`): it pins the file it opened (the one the token describes) until it
is closed.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from data_stack.dashboards.filters import Query
from data_stack.errors import UserError
from data_stack.serving import reader
from data_stack.settings import Settings, get_settings

NUMERIC_OID = 1700  # Postgres type numeric
KEEP_OPEN = 2  # the newest snapshot and the one before it (a page may still be reading it)


@dataclass(frozen=True)
class Snapshot:
    backend: str  # duckdb | postgres
    token: str
    location: str
    run_id: str | None = None


class _DuckDBSnapshots:
    """One read-only connection per published file, shared by all sessions of the app (cursors per query)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: dict[str, duckdb.DuckDBPyConnection] = {}

    def get(self, path: str) -> tuple[str, duckdb.DuckDBPyConnection] | None:
        with self._lock:
            for _ in range(5):
                before = _file_token(path)
                if before is None:
                    return None
                if before in self._open:
                    return before, self._open[before]
                try:
                    conn = reader.connect_published(Path(path))
                except duckdb.Error:
                    time.sleep(0.05)  # replaced or removed while attaching: look again
                    continue
                if _file_token(path) != before:
                    conn.close()  # a publish landed between stat and attach
                    continue
                self._open[before] = conn
                for token in list(self._open)[:-KEEP_OPEN]:
                    self._open.pop(token).close()
                return before, conn
            raise UserError(f"{path} keeps changing while it is opened", "Retry in a moment")

    def close_all(self) -> None:
        with self._lock:
            for conn in self._open.values():
                conn.close()
            self._open.clear()


_DUCKDB = _DuckDBSnapshots()


def backend_name(settings: Settings) -> str:
    return (settings.dashboard_backend or "duckdb").strip().lower()


def current(settings: Settings | None = None) -> Snapshot | None:
    """The snapshot to read now, or None when nothing has been published yet."""
    settings = settings or get_settings()
    backend = backend_name(settings)
    if backend == "postgres":
        if not settings.serving_db_url:
            raise UserError("DASHBOARD_BACKEND=postgres but SERVING_DB_URL is not set", "Set SERVING_DB_URL")
        with reader.connect_readonly(settings.serving_db_url) as conn:
            run_id = reader.served_run(conn)
        if run_id is None:
            return None
        return Snapshot("postgres", f"postgres:{run_id}", settings.serving_db_url, run_id)
    if backend != "duckdb":
        raise UserError(f"DASHBOARD_BACKEND={backend} is not one of duckdb, postgres", "Set it to duckdb or postgres")
    opened = _DUCKDB.get(str(settings.published_db))
    if opened is None:
        return None
    return Snapshot("duckdb", opened[0], str(settings.published_db))


def run(snapshot: Snapshot, query: Query, settings: Settings | None = None) -> pd.DataFrame:
    """Run one query against the snapshot (no caching here: the app caches by `snapshot.token`)."""
    if snapshot.backend == "postgres":
        settings = settings or get_settings()
        with reader.connect_readonly(settings.serving_db_url or snapshot.location) as conn:
            cursor = conn.execute(query.sql.replace("?", "%s"), query.params)
            return _frame(cursor.description, cursor.fetchall())
    opened = _DUCKDB.get(snapshot.location)
    if opened is None or opened[0] != snapshot.token:
        # superseded between page start and this query: read the snapshot the page started with if still open
        conn = _DUCKDB._open.get(snapshot.token)
        if conn is None:
            raise UserError("The published warehouse changed while the page was loading", "Reload the page")
    else:
        conn = opened[1]
    cursor = conn.cursor()
    try:
        cursor.execute("use published")
        return cursor.execute(query.sql, list(query.params)).df()
    finally:
        cursor.close()


def _frame(description: Any, rows: list[tuple]) -> pd.DataFrame:
    columns = [column.name for column in description or []]
    frame = pd.DataFrame.from_records(rows, columns=columns)
    # Postgres numeric arrives as Decimal: the charts and metrics want floats, as DuckDB's frames give them
    for column in description or []:
        if column.type_code == NUMERIC_OID:
            frame[column.name] = pd.to_numeric(frame[column.name], errors="coerce").astype("float64")
    return frame


def _file_token(path: str) -> str | None:
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return f"{stat.st_ino}-{stat.st_mtime_ns}-{stat.st_size}"

"""Read the serving database: what dashboards call.

`DASHBOARD_BACKEND=postgres` makes `connect_dashboard()` read Postgres at `SERVING_DB_URL` (give the dashboard
process a read-only role there); the default, `duckdb`, reads `current.duckdb`. Schema-qualified names
(`marketing.revenue_daily`) are the same in both. One connection per request: all its queries share one snapshot.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import psycopg
from psycopg import IsolationLevel

from data_stack.errors import UserError
from data_stack.serving import dsn
from data_stack.settings import Settings, get_settings

BACKENDS = ("duckdb", "postgres")


def connect_readonly(url: str, *, application_name: str = "data-stack dashboards") -> psycopg.Connection:
    """A DB-API 2.0 connection to the serving database that cannot write.

    Every transaction is READ ONLY and REPEATABLE READ: the queries of one request (until `commit()`, `rollback()`
    or closing, e.g. `with connect_readonly(url) as conn:`) see one served run, even while a new one is swapped in.
    """
    try:
        conn = psycopg.connect(dsn.normalize(url), connect_timeout=10, application_name=application_name)
    except psycopg.OperationalError as exc:
        raise UserError(
            f"Cannot connect to the Postgres serving database {dsn.describe(url)} ({str(exc).strip().splitlines()[0]})",
            "Check SERVING_DB_URL and that the server is up",
        ) from exc
    conn.isolation_level = IsolationLevel.REPEATABLE_READ
    conn.read_only = True
    return conn


def connect_dashboard(backend: str | None = None, settings: Settings | None = None) -> Any:
    """A read-only DB-API connection to the published marts, from `DASHBOARD_BACKEND` (duckdb or postgres)."""
    settings = settings or get_settings()
    backend = (backend or settings.dashboard_backend or "duckdb").strip().lower()
    if backend == "postgres":
        if not settings.serving_db_url:
            raise UserError("DASHBOARD_BACKEND=postgres but SERVING_DB_URL is not set", "Set SERVING_DB_URL")
        return connect_readonly(settings.serving_db_url)
    if backend == "duckdb":
        if not settings.published_db.exists():
            raise UserError(f"No published warehouse at {settings.published_db}", "Run `data-stack run` first")
        return connect_published(settings.published_db)
    raise UserError(f"DASHBOARD_BACKEND={backend} is not one of {', '.join(BACKENDS)}", "Set it to duckdb or postgres")


def connect_published(path: Path) -> duckdb.DuckDBPyConnection:
    """`path` read-only, as it is now, even in a process that opened it before a publish replaced it.

    `duckdb.connect(path)` reuses a database instance already open on that path in this process (the old file);
    an in-memory database that ATTACHes the path opens the file that is there now.
    """
    conn = duckdb.connect(":memory:")
    try:
        conn.execute("attach '{}' as published (read_only)".format(str(path).replace("'", "''")))
        conn.execute("use published")
    except duckdb.Error:
        conn.close()
        raise
    return conn


def served_run(conn: psycopg.Connection) -> str | None:
    """The run whose marts this connection's snapshot sees (None before the first load)."""
    if conn.execute("select to_regclass('meta.serving_runs')").fetchone()[0] is None:
        return None
    row = conn.execute("select run_id from meta.serving_runs order by published_at desc, run_id desc limit 1")
    latest = row.fetchone()
    return latest[0] if latest else None

"""Load the published gold marts into Postgres and swap them in, all in one transaction.

Each served schema (`marketing`, `product`, `logistics`, and `meta` with `serving_runs`) is loaded into a fresh
`<schema>__load_<run>` schema with COPY, then the swap renames the live schema away, renames the new one into
place and drops the old one. Readers see the previous run or the new one, never a mix, never a missing table:

- The drop needs an ACCESS EXCLUSIVE lock on every old table, so the swap waits for every transaction that has
  read a served table; such a transaction keeps its run to the end.
- Rows are written with COPY FREEZE, so a REPEATABLE READ transaction whose snapshot predates the swap, but that
  reaches the new tables only after it, sees them whole rather than empty. `meta` is swapped with the marts, so
  `meta.serving_runs` always describes the tables beside it.
- The swap takes its locks with a short `lock_timeout` (below `deadlock_timeout`) and retries, so when it would
  deadlock with a reader it is the swap that backs off, never the reader that gets an error.

Any failure rolls the whole transaction back: the previous schemas stay as they were.
"""

from __future__ import annotations

import io
import random
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import psycopg
import pyarrow.csv as pa_csv
from psycopg import sql

from data_stack.errors import StageFailed
from data_stack.log import get_logger
from data_stack.serving import dsn
from data_stack.serving.types import Column, map_column, quote_duckdb

log = get_logger(__name__)

SERVED_SCHEMAS = ("marketing", "product", "logistics")
META_SCHEMA = "meta"
BATCH_ROWS = 100_000
SWAP_WAIT_SECONDS = 120.0
LOCK_TIMEOUT_MS = 200  # capped at a fifth of the server's deadlock_timeout
ADVISORY_LOCK_KEY = 0x6E77_5345_5256  # one serving load per database, whichever machine runs it
_CSV = pa_csv.WriteOptions(include_header=False, quoting_style="needed")  # strings quoted: "" is '', empty is NULL


class ServingError(StageFailed):
    """The serving load failed and was rolled back; Postgres still serves the previous run."""


@dataclass(frozen=True)
class ServingLoad:
    run_id: str
    target: str  # host:port/dbname
    tables: dict[str, int] = field(default_factory=dict)  # "schema.table" → rows
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def load_published(
    url: str,
    duckdb_path: Path,
    run_id: str,
    *,
    primary_keys: dict[str, tuple[str, ...]] | None = None,
    swap_wait_seconds: float = SWAP_WAIT_SECONDS,
) -> ServingLoad:
    """Serve every gold table of `duckdb_path` as run `run_id`. Raises ServingError; then nothing changed."""
    target = dsn.describe(url)
    started = time.perf_counter()
    try:
        with duckdb.connect(str(duckdb_path), read_only=True) as duck, _connect(url, target) as conn:
            tables = _load(duck, conn, run_id, primary_keys or {}, swap_wait_seconds)
    except (psycopg.Error, duckdb.Error) as exc:
        raise ServingError(
            f"Postgres serving load into {target} failed and was rolled back ({_first_line(exc)})",
            "Fix the cause (docs/runbooks/serving.md) and run `data-stack run` again",
        ) from exc
    result = ServingLoad(run_id, target, tables, time.perf_counter() - started)
    log.info("served %d tables, %s rows, in %s (%.1fs)", len(tables), f"{result.rows:,}", target, result.seconds)
    return result


@contextmanager
def _connect(url: str, target: str) -> Iterator[psycopg.Connection]:
    try:
        conn = psycopg.connect(
            dsn.normalize(url), autocommit=True, connect_timeout=15, application_name="data-stack serving load"
        )
    except psycopg.Error as exc:
        raise ServingError(
            f"Cannot connect to the Postgres serving database {target} ({_first_line(exc)})",
            "Check SERVING_DB_URL and that the server is up, then run `data-stack run` again",
        ) from exc
    with conn:
        yield conn


def _load(
    duck: duckdb.DuckDBPyConnection,
    conn: psycopg.Connection,
    run_id: str,
    primary_keys: dict[str, tuple[str, ...]],
    swap_wait_seconds: float,
) -> dict[str, int]:
    suffix = _suffix(run_id)
    tables: dict[str, int] = {}
    with conn.transaction():
        if not conn.execute("select pg_try_advisory_xact_lock(%s)", (ADVISORY_LOCK_KEY,)).fetchone()[0]:
            raise ServingError(
                "Another serving load is writing to this Postgres database",
                "Wait for it to finish, then run `data-stack run` again",
            )
        for schema in SERVED_SCHEMAS:
            staging = f"{schema}__load_{suffix}"
            conn.execute(sql.SQL("create schema {}").format(sql.Identifier(staging)))
            for table in _gold_tables(duck, schema):
                rows = _copy_table(duck, conn, schema, table, staging, primary_keys.get(table, ()))
                tables[f"{schema}.{table}"] = rows
                log.debug("loaded %s.%s: %s rows", schema, table, f"{rows:,}")
        _lock_served(conn, swap_wait_seconds)
        _write_meta(conn, suffix, run_id, tables)
        _swap(conn, suffix)
    return tables


def _gold_tables(duck: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    rows = duck.execute(
        "select table_name from duckdb_tables() where database_name = current_database() and schema_name = ? "
        "and not temporary order by table_name",
        [schema],
    ).fetchall()
    return [name for (name,) in rows]


def _copy_table(
    duck: duckdb.DuckDBPyConnection,
    conn: psycopg.Connection,
    schema: str,
    table: str,
    target_schema: str,
    primary_key: tuple[str, ...],
) -> int:
    """Create `target_schema.table` with mapped types and COPY every row into it as CSV. Returns the row count."""
    columns = [
        map_column(name, data_type)
        for name, data_type in duck.execute(
            "select column_name, data_type from duckdb_columns() where database_name = current_database() "
            "and schema_name = ? and table_name = ? order by column_index",
            [schema, table],
        ).fetchall()
    ]
    target = sql.Identifier(target_schema, table)
    conn.execute(sql.SQL("create table {} ({})").format(target, _column_definitions(columns)))
    source = f"{quote_duckdb(schema)}.{quote_duckdb(table)}"
    batches = duck.execute(f"select {', '.join(c.select for c in columns)} from {source}").to_arrow_reader(BATCH_ROWS)
    names = sql.SQL(", ").join(sql.Identifier(c.name) for c in columns)
    # FREEZE: the table is new in this transaction, so its rows can be written frozen, visible to every snapshot.
    copy_sql = sql.SQL("copy {} ({}) from stdin with (format csv, freeze)").format(target, names)
    sent = 0
    with conn.cursor() as cur:
        with cur.copy(copy_sql) as copy:
            for batch in batches:
                buffer = io.BytesIO()
                pa_csv.write_csv(batch, buffer, _CSV)
                copy.write(buffer.getbuffer())
                sent += batch.num_rows
        if cur.rowcount != sent:
            raise ServingError(
                f"Postgres stored {cur.rowcount} rows of {schema}.{table} but {sent} were sent",
                "Run `data-stack run` again and report it if it repeats",
            )
    if primary_key:
        conn.execute(
            sql.SQL("alter table {} add primary key ({})").format(
                target, sql.SQL(", ").join(sql.Identifier(name) for name in primary_key)
            )
        )
    conn.execute(sql.SQL("analyze {}").format(target))
    return sent


def _column_definitions(columns: list[Column]) -> sql.Composable:
    return sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(c.name), sql.SQL(c.postgres_type)) for c in columns
    )


def _lock_served(conn: psycopg.Connection, wait_seconds: float) -> None:
    """ACCESS EXCLUSIVE on every live served relation: waits for the readers in flight, holds new ones back.

    Each attempt waits at most `lock_timeout`, below `deadlock_timeout`, so in a lock cycle with a reader the swap
    times out first and releases what it took (the savepoint); the reader never sees an error.
    """
    (deadlock_ms,) = conn.execute("select setting::integer from pg_settings where name = 'deadlock_timeout'").fetchone()
    timeout_ms = max(10, min(LOCK_TIMEOUT_MS, deadlock_ms // 5))
    conn.execute(sql.SQL("set local lock_timeout = {}").format(sql.Literal(f"{timeout_ms}ms")))
    deadline = time.monotonic() + wait_seconds
    attempts = 0
    while True:
        relations = conn.execute(
            "select n.nspname, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace "
            "where n.nspname = any(%s) and c.relkind in ('r', 'p', 'v', 'm', 'f') order by 1, 2",
            ([*SERVED_SCHEMAS, META_SCHEMA],),
        ).fetchall()
        if not relations:
            return
        attempts += 1
        try:
            with conn.transaction():  # a savepoint: a timed-out attempt gives back the locks it took
                conn.execute(
                    sql.SQL("lock table {} in access exclusive mode").format(
                        sql.SQL(", ").join(sql.Identifier(schema, name) for schema, name in relations)
                    )
                )
            return
        except (psycopg.errors.LockNotAvailable, psycopg.errors.DeadlockDetected):
            if time.monotonic() >= deadline:
                raise ServingError(
                    f"Readers kept the served Postgres tables busy for {wait_seconds:.0f}s "
                    f"({attempts} attempts to swap in the new run)",
                    "Look for long transactions in pg_stat_activity (state 'idle in transaction'), end them, "
                    "then run `data-stack run` again",
                ) from None
            time.sleep(random.uniform(0.02, 0.2))


def _write_meta(conn: psycopg.Connection, suffix: str, run_id: str, tables: dict[str, int]) -> None:
    """The new `meta` schema: every earlier served run plus this one, newest last."""
    staging = f"{META_SCHEMA}__load_{suffix}"
    conn.execute(sql.SQL("create schema {}").format(sql.Identifier(staging)))
    target = sql.Identifier(staging, "serving_runs")
    conn.execute(
        sql.SQL(
            "create table {} (run_id text primary key, published_at timestamptz not null, "
            "tables integer not null, rows bigint not null)"
        ).format(target)
    )
    history: list[tuple] = []
    if conn.execute("select to_regclass(%s)", (f"{META_SCHEMA}.serving_runs",)).fetchone()[0]:
        history = conn.execute(
            sql.SQL(
                "select run_id, published_at, tables, rows from {} where run_id <> %s order by published_at"
            ).format(sql.Identifier(META_SCHEMA, "serving_runs")),
            (run_id,),
        ).fetchall()
    rows = [*history, (run_id, datetime.now(UTC), len(tables), sum(tables.values()))]
    with (
        conn.cursor() as cur,
        cur.copy(
            sql.SQL("copy {} (run_id, published_at, tables, rows) from stdin with (freeze)").format(target)
        ) as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _swap(conn: psycopg.Connection, suffix: str) -> None:
    live = {
        name
        for (name,) in conn.execute(
            "select nspname from pg_namespace where nspname = any(%s)", ([*SERVED_SCHEMAS, META_SCHEMA],)
        ).fetchall()
    }
    for schema in (*SERVED_SCHEMAS, META_SCHEMA):
        new, old = sql.Identifier(f"{schema}__load_{suffix}"), sql.Identifier(f"{schema}__old_{suffix}")
        if schema in live:
            conn.execute(sql.SQL("alter schema {} rename to {}").format(sql.Identifier(schema), old))
        conn.execute(sql.SQL("alter schema {} rename to {}").format(new, sql.Identifier(schema)))
        if schema in live:
            _drop_schema(conn, f"{schema}__old_{suffix}")


def _drop_schema(conn: psycopg.Connection, schema: str) -> None:
    """Drop our tables, then the schema, without CASCADE: a view someone built on a served table stops the load
    with Postgres' own message instead of being dropped silently."""
    tables = conn.execute(
        "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace "
        "where n.nspname = %s and c.relkind in ('r', 'p') order by 1",
        (schema,),
    ).fetchall()
    if tables:
        conn.execute(
            sql.SQL("drop table {}").format(sql.SQL(", ").join(sql.Identifier(schema, name) for (name,) in tables))
        )
    conn.execute(sql.SQL("drop schema {}").format(sql.Identifier(schema)))


def _suffix(run_id: str) -> str:
    """A run id as a lowercase identifier part: `20261122T101500Z-3fa9` → `20261122t101500z_3fa9`."""
    return re.sub(r"[^a-z0-9_]", "_", run_id.lower())[:40]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__

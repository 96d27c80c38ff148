"""The ledger's schema as numbered migrations, applied once per file rather than on every `Ledger(...)`.

The file's schema version is SQLite's `PRAGMA user_version`: migration N (the Nth entry of MIGRATIONS) brings a
file from version N-1 to N. A new ledger is an empty file taken through every migration, so a new ledger and an
upgraded one have the same schema by construction. Migrations run in one `BEGIN IMMEDIATE` transaction: two
processes opening an old ledger at once take turns, and the second finds it already upgraded; a migration that
fails leaves the file as it was.

To change the schema, append a step (one SQL statement, or a function of the connection); never edit a released one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from data_stack.errors import UserError

# Migration 1: the tables as they stood when versions began to be kept. Parents before children.
TABLES = {
    "runs": """
create table runs (
    run_id text primary key,
    command text not null,
    status text not null check (status in ('running', 'waiting', 'success', 'failed')),
    started_at text not null,
    finished_at text,
    error text,
    published integer not null default 0,
    gate_passed integer,
    dbt_tests_passed integer,
    dbt_tests_failed integer,
    dbt_tests_warned integer,
    gx_expectations_passed integer,
    gx_expectations_failed integer,
    gx_expectations_warned integer,
    data_docs text,
    schema_drift text,
    pid integer,
    inputs_fingerprint text,
    note text
)""",
    "stages": """
create table stages (
    run_id text not null references runs (run_id),
    stage text not null,
    seconds real not null,
    status text not null,
    primary key (run_id, stage)
)""",
    "streams": """
create table streams (
    run_id text not null references runs (run_id),
    stream text not null,
    landed integer not null,
    loaded integer not null,
    quarantined integer not null,
    primary key (run_id, stream)
)""",
    "files": """
create table files (
    run_id text not null references runs (run_id),
    path text not null,
    status text not null,
    stream text,
    version integer,
    landed integer,
    loaded integer,
    quarantined integer,
    notes text,
    primary key (run_id, path)
)""",
    "quarantine_reasons": """
create table quarantine_reasons (
    run_id text not null references runs (run_id),
    stream text not null,
    reason text not null,
    rows integer not null,
    primary key (run_id, stream, reason)
)""",
}


def _tables(conn: sqlite3.Connection) -> None:
    """Create the tables. A ledger written before versions were kept (version 0, with a `runs` table) may have any
    earlier shape: columns appended by ALTER, `runs` rebuilt for the `waiting` status, tables missing. Its tables are
    moved aside, created anew in this shape, filled with the rows they share (rowids kept: stages are read in rowid
    order) and the old ones dropped, so the upgraded file's schema text is the same as a new file's."""
    # left by a process killed while an earlier release rebuilt `runs` for `waiting`; `runs` itself was untouched
    conn.execute("drop table if exists runs_rebuilt")
    present = {name for (name,) in conn.execute("select name from sqlite_master where type = 'table'")}
    old = [name for name in TABLES if name in present]
    # Move every old table aside before creating any: renaming `runs` repoints the references to it, and those
    # must end up on the old children, which are dropped, not on the new ones.
    for name in old:
        conn.execute(f"alter table {name} rename to legacy_{name}")
    for sql in TABLES.values():
        conn.execute(sql)
    for name in old:
        kept = {row[1] for row in conn.execute(f"pragma table_info(legacy_{name})")}
        columns = ", ".join(row[1] for row in conn.execute(f"pragma table_info({name})") if row[1] in kept)
        conn.execute(f"insert into {name} (rowid, {columns}) select rowid, {columns} from legacy_{name}")
    for name in reversed(old):
        conn.execute(f"drop table legacy_{name}")


Step = str | Callable[[sqlite3.Connection], None]

MIGRATIONS: list[Step] = [
    _tables,
]


def upgrade(path: Path) -> None:
    """Bring the ledger at `path` to the latest version, creating it if missing. On an up-to-date file this is one
    read of its version, on a read-only connection: opening an up-to-date ledger writes nothing."""
    if path.exists() and _version_read_only(path) == len(MIGRATIONS):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)  # transactions as written below
    try:
        conn.execute("pragma journal_mode=wal")  # persistent; readers keep reading while a migration runs
        conn.execute("begin immediate")
        try:
            _migrate(conn, path)
            conn.execute("commit")
        except BaseException:
            conn.execute("rollback")
            raise
    finally:
        conn.close()


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    (version,) = conn.execute("pragma user_version").fetchone()  # again: another process may have migrated it
    if version > len(MIGRATIONS):
        raise UserError(
            f"The run ledger {path} has schema version {version}, newer than this data-stack knows ({len(MIGRATIONS)})",
            "Use the data-stack release that wrote it, or a newer one",
        )
    for step in MIGRATIONS[version:]:
        if isinstance(step, str):
            conn.execute(step)
        else:
            step(conn)
    conn.execute(f"pragma user_version = {len(MIGRATIONS)}")


def _version_read_only(path: Path) -> int:
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        (version,) = conn.execute("pragma user_version").fetchone()
    finally:
        conn.close()
    return version

"""Ledgers written by every earlier release upgrade, once, to the schema a new ledger has, keeping their rows."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from data_stack.errors import UserError
from data_stack.ledger import Ledger, StreamCounts, migrations

# The tables as earlier releases created them (src/data_stack/ledger/store.py in git history).


def runs_table(*, waiting: bool, drift: bool, fingerprint: bool) -> str:
    statuses = "'running', 'waiting', 'success', 'failed'" if waiting else "'running', 'success', 'failed'"
    return f"""
create table if not exists runs (
    run_id text primary key,
    command text not null,
    status text not null check (status in ({statuses})),
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
    data_docs text,{" schema_drift text," if drift else ""}
    pid integer{", inputs_fingerprint text, note text" if fingerprint else ""}
);"""


STAGES_AND_STREAMS = """
create table if not exists stages (
    run_id text not null references runs (run_id),
    stage text not null,
    seconds real not null,
    status text not null,
    primary key (run_id, stage)
);
create table if not exists streams (
    run_id text not null references runs (run_id),
    stream text not null,
    landed integer not null,
    loaded integer not null,
    quarantined integer not null,
    primary key (run_id, stream)
);"""
QUARANTINE_REASONS = """
create table if not exists quarantine_reasons (
    run_id text not null references runs (run_id),
    stream text not null,
    reason text not null,
    rows integer not null,
    primary key (run_id, stream, reason)
);"""
FILES = """
create table if not exists files (
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
);"""

# each release's new ledger
FIRST = runs_table(waiting=False, drift=False, fingerprint=False) + STAGES_AND_STREAMS  # 8ef17ce
DRIFT = runs_table(waiting=False, drift=True, fingerprint=False) + STAGES_AND_STREAMS  # b55149b
REASONS = DRIFT + QUARANTINE_REASONS  # ad59c18
WAITING = runs_table(waiting=True, drift=True, fingerprint=False) + STAGES_AND_STREAMS + QUARANTINE_REASONS  # 90f0d59
FILES_KEPT = WAITING + FILES  # 49c9e85
FINGERPRINT = runs_table(waiting=True, drift=True, fingerprint=True) + STAGES_AND_STREAMS + QUARANTINE_REASONS + FILES


def upgraded_by_each_release(conn: sqlite3.Connection) -> None:
    """A ledger created by the first release and opened by every release since: what their constructors did."""
    conn.executescript(FIRST)
    conn.execute("alter table runs add column schema_drift text")  # b55149b
    conn.executescript(QUARANTINE_REASONS)  # ad59c18
    (sql,) = conn.execute("select sql from sqlite_master where name = 'runs'").fetchone()  # 90f0d59: `waiting`
    sql = sql.replace("('running', 'success', 'failed')", "('running', 'waiting', 'success', 'failed')")
    conn.execute(re.sub(r"(?i)^create table (if not exists )?runs", "create table runs_rebuilt", sql, count=1))
    conn.execute("insert into runs_rebuilt select * from runs")
    conn.execute("drop table runs")
    conn.execute("alter table runs_rebuilt rename to runs")
    conn.executescript(FILES)  # 49c9e85
    conn.execute("alter table runs add column inputs_fingerprint text")  # a69ea88
    conn.execute("alter table runs add column note text")


def killed_while_rebuilding_runs(conn: sqlite3.Connection) -> None:
    """90f0d59 created the rebuilt `runs` outside the transaction that filled it: a kill there left it behind."""
    conn.executescript(DRIFT)
    conn.execute("create table runs_rebuilt (run_id text primary key)")


SHAPES: dict[str, str | Callable[[sqlite3.Connection], None]] = {
    "8ef17ce-first": FIRST,
    "b55149b-schema-drift": DRIFT,
    "ad59c18-quarantine-reasons": REASONS,
    "90f0d59-waiting": WAITING,
    "49c9e85-files": FILES_KEPT,
    "a69ea88-fingerprint-and-note": FINGERPRINT,  # the shape until schema versions were kept
    "first-upgraded-by-each-release": upgraded_by_each_release,
    "killed-while-rebuilding-runs": killed_while_rebuilding_runs,
}


def old_ledger(path: Path, shape: str | Callable[[sqlite3.Connection], None]) -> set[str]:
    """A ledger of that shape holding one published run (its stages recorded out of name order); its tables."""
    with closing(sqlite3.connect(path)) as conn, conn:
        if isinstance(shape, str):
            conn.executescript(shape)
        else:
            shape(conn)
        conn.execute(
            "insert into runs (run_id, command, status, started_at, finished_at, published, gate_passed, "
            "dbt_tests_passed, gx_expectations_passed, data_docs, pid) "
            "values ('r0', 'run', 'success', '2026-01-01T00:00:00.000Z', '2026-01-01T00:05:00.000Z', 1, 1, 150, "
            "40, '/docs/r0/index.html', 7)"
        )
        conn.execute("insert into stages values ('r0', 'transform', 2.0, 'success')")
        conn.execute("insert into stages values ('r0', 'ingest', 1.5, 'success')")
        conn.execute("insert into streams values ('r0', 'orders__orders', 110, 100, 10)")
        tables = {name for (name,) in conn.execute("select name from sqlite_master")}
        if "quarantine_reasons" in tables:
            conn.execute("insert into quarantine_reasons values ('r0', 'orders__orders', 'customer_id is null', 10)")
        if "files" in tables:
            conn.execute(
                "insert into files values ('r0', 'orders/a.csv', 'ingested', 'orders__orders', 1, 110, 100, 10, '[]')"
            )
    return tables


def schema(path: Path) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("select type, name, tbl_name, sql from sqlite_master order by name").fetchall()


def version(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("pragma user_version").fetchone()[0]


@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_a_ledger_of_every_earlier_shape_upgrades_to_the_new_schema_and_keeps_its_rows(tmp_path, shape):
    path = tmp_path / "old.sqlite"
    tables = old_ledger(path, shape)
    ledger = Ledger(path)

    Ledger(tmp_path / "new.sqlite")
    assert schema(path) == schema(tmp_path / "new.sqlite")
    assert version(path) == version(tmp_path / "new.sqlite") == len(migrations.MIGRATIONS)

    run = ledger.get("r0")
    assert (run.status, run.command, run.published, run.gate_passed) == ("success", "run", True, True)
    assert (run.started_at, run.finished_at) == ("2026-01-01T00:00:00.000Z", "2026-01-01T00:05:00.000Z")
    assert run.dbt_tests["passed"] == 150 and run.gx_expectations["passed"] == 40
    assert run.data_docs == "/docs/r0/index.html"
    assert list(run.stage_seconds.items()) == [("transform", 2.0), ("ingest", 1.5)]  # still in recorded order
    assert run.streams == {"orders__orders": StreamCounts(110, 100, 10)}
    if "quarantine_reasons" in tables:
        assert ledger.quarantine_reasons("r0") == [("orders__orders", "customer_id is null", 10)]
    if "files" in tables:
        assert [file["path"] for file in run.files] == ["orders/a.csv"]

    # what earlier shapes lacked: the `waiting` status, the drift, fingerprint and note columns
    ledger.start("r1", "ingest", pid=1)
    ledger.record_drift("r1", {"orders__orders": ["coupon"]})
    ledger.record_fingerprint("r1", "abc")
    ledger.record_note("r1", "nothing new")
    ledger.finish("r1", "waiting")
    upgraded = ledger.get("r1")
    assert (upgraded.status, upgraded.note, upgraded.schema_drift) == (
        "waiting",
        "nothing new",
        {"orders__orders": ["coupon"]},
    )
    assert ledger.fingerprint("r1") == "abc"
    assert ledger.fail_interrupted() == []  # waiting is not running: no process died holding it
    with closing(sqlite3.connect(path)) as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute("update runs set status = 'bogus' where run_id = 'r1'")


def test_a_ledger_already_upgraded_is_only_read_for_its_version(tmp_path, monkeypatch):
    path = tmp_path / "ledger.sqlite"
    Ledger(path).start("r1", "run", pid=1)
    statements: list[str] = []
    connect = sqlite3.connect

    def traced(*args, **kwargs):
        conn = connect(*args, **kwargs)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(sqlite3, "connect", traced)
    Ledger(path)
    assert statements == ["pragma user_version"]


def test_readers_open_an_upgraded_ledger_while_a_run_writes_to_it(tmp_path):
    path = tmp_path / "ledger.sqlite"
    Ledger(path).start("r1", "run", pid=1)
    with closing(sqlite3.connect(path, isolation_level=None)) as writer:
        writer.execute("begin immediate")
        writer.execute("update runs set note = 'busy' where run_id = 'r1'")
        started = time.monotonic()
        assert [run.run_id for run in Ledger(path).runs()] == ["r1"]
        assert time.monotonic() - started < 5  # not waiting for the writer's lock (the timeout is 30 s)
        writer.execute("rollback")


def test_two_processes_opening_an_old_ledger_at_once_migrate_it_once(tmp_path, monkeypatch):
    path = tmp_path / "ledger.sqlite"
    old_ledger(path, FIRST)

    def counted(conn: sqlite3.Connection) -> None:
        conn.execute("create table applied (at real)")
        conn.execute("insert into applied values (?)", (time.time(),))
        time.sleep(0.3)  # the others arrive while this one holds the write lock

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, counted])
    openers = 4
    barrier = threading.Barrier(openers)
    errors: list[BaseException] = []

    def open_ledger() -> None:
        barrier.wait()
        try:
            Ledger(path)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=open_ledger) for _ in range(openers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("select count(*) from applied").fetchone() == (1,)
        assert conn.execute("select count(*) from runs").fetchone() == (1,)
    assert version(path) == len(migrations.MIGRATIONS)


def test_a_migration_that_fails_leaves_the_ledger_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "ledger.sqlite"
    old_ledger(path, FIRST)
    before = schema(path)

    def broken(conn: sqlite3.Connection) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, broken])
    with pytest.raises(sqlite3.OperationalError, match="disk I/O error"):
        Ledger(path)
    assert schema(path) == before
    assert version(path) == 0

    monkeypatch.undo()
    assert Ledger(path).get("r0").stage_seconds == {"transform": 2.0, "ingest": 1.5}


def test_a_ledger_from_a_newer_release_is_refused_not_changed(tmp_path):
    path = tmp_path / "ledger.sqlite"
    Ledger(path)
    newer = len(migrations.MIGRATIONS) + 1
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"pragma user_version = {newer}")
    with pytest.raises(UserError, match=f"schema version {newer}, newer than this data-stack knows"):
        Ledger(path)
    assert version(path) == newer


def test_a_ledger_named_by_a_relative_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Ledger(Path("warehouse/ledger.sqlite")).start("r1", "run", pid=1)
    assert [run.run_id for run in Ledger(Path("warehouse/ledger.sqlite")).runs()] == ["r1"]

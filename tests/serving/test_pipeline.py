"""`data-stack run` with SERVING_DB_URL: the real pipeline publishing into a real Postgres."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg
import pytest

from data_stack.serving import connect_readonly, served_run

pytestmark = pytest.mark.slow

CLI = str(Path(sys.executable).parent / "data-stack")
GOLD = ("marketing", "product", "logistics")

# The real CLI, with the serving load losing its Postgres connection after the first table.
LOSE_CONNECTION_AFTER_FIRST_TABLE = """
import sys
from data_stack.serving import load

copy_table, calls = load._copy_table, []

def copy_then_lose_the_connection(duck, conn, *args, **kwargs):
    calls.append(args)
    if len(calls) > 1:
        conn.execute("select pg_terminate_backend(pg_backend_pid())")
    return copy_table(duck, conn, *args, **kwargs)

load._copy_table = copy_then_lose_the_connection
from data_stack.cli.main import main

sys.argv = ["data-stack", "run"]
main()
"""


@dataclass
class Stack:
    root: Path
    url: str

    @property
    def env(self) -> dict[str, str]:
        return dict(
            os.environ, DATA_DIR=str(self.root), DBT_TARGET="ci", MELTANO_ENVIRONMENT="ci", SERVING_DB_URL=self.url
        )

    @property
    def current(self) -> Path:
        return self.root / "warehouse" / "current.duckdb"

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return self._run([CLI, *args], check)

    def python(self, script: str, check: bool = True) -> subprocess.CompletedProcess:
        return self._run([sys.executable, "-c", script], check)

    def _run(self, cmd: list[str], check: bool) -> subprocess.CompletedProcess:
        result = subprocess.run(cmd, env=self.env, capture_output=True, text=True, timeout=900)
        if check and result.returncode != 0:
            raise AssertionError(f"{cmd[-1]} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def runs(self) -> list[dict]:
        return json.loads(self.cli("status", "--json", "--limit", "100").stdout)


def duckdb_counts(path: Path) -> dict[str, int]:
    with duckdb.connect(str(path), read_only=True) as conn:
        tables = conn.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and table_schema in ('marketing', 'product', 'logistics') order by 1"
        ).fetchall()
        return {name: conn.execute(f"select count(*) from {name}").fetchone()[0] for (name,) in tables}


def postgres_counts(url: str) -> dict[str, int]:
    with connect_readonly(url) as conn:
        tables = conn.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ('marketing', 'product', 'logistics') order by 1"
        ).fetchall()
        return {name: conn.execute(f"select count(*) from {name}").fetchone()[0] for (name,) in tables}


def postgres_state(url: str) -> tuple[dict[str, int], list[str], str | None]:
    """Served tables' oids (the same oid is the same table), every schema, and the served run."""
    with connect_readonly(url) as conn:
        oids = dict(
            conn.execute(
                "select n.nspname || '.' || c.relname, c.oid::bigint from pg_class c "
                "join pg_namespace n on n.oid = c.relnamespace where c.relkind = 'r' and n.nspname = any(%s)",
                ([*GOLD, "meta"],),
            ).fetchall()
        )
        names = sorted(name for (name,) in conn.execute("select nspname from pg_namespace").fetchall())
        return oids, names, served_run(conn)


@pytest.fixture(scope="module")
def stack(tmp_path_factory, postgres) -> Stack:
    stack = Stack(tmp_path_factory.mktemp("served-stack"), postgres.create_database("pipeline"))
    stack.cli("generate", "--scale", "0.03", "--days", "14", "--defect-rate", "0.02")
    return stack


@pytest.fixture(scope="module")
def first_run(stack: Stack) -> dict:
    stack.cli("run")
    return stack.runs()[0]


def test_run_serves_every_gold_table_with_the_row_counts_of_duckdb(stack, first_run):
    assert first_run["status"] == "success" and first_run["published"]
    assert {"publish", "serve"} <= set(first_run["stage_seconds"])
    expected = duckdb_counts(stack.current)
    assert len(expected) >= 10 and all(expected.values())
    assert postgres_counts(stack.url) == expected
    with connect_readonly(stack.url) as conn:
        assert served_run(conn) == first_run["run_id"]
        assert conn.execute("select tables, rows from meta.serving_runs").fetchall() == [
            (len(expected), sum(expected.values()))
        ]
        key = conn.execute(
            "select pg_get_constraintdef(oid) from pg_constraint where conrelid = 'marketing.orders'::regclass "
            "and contype = 'p'"
        ).fetchone()
        amount = conn.execute(
            "select data_type, numeric_precision, numeric_scale from information_schema.columns "
            "where table_schema = 'marketing' and table_name = 'orders' and column_name = 'net_amount'"
        ).fetchone()
    assert key == ("PRIMARY KEY (order_id)",)
    assert amount == ("numeric", 18, 2)


def test_a_failed_load_keeps_the_previous_schemas_and_reports_one_line(stack, first_run):
    stack.cli("generate", "--scale", "0.03", "--start-date", "2026-01-15", "--days", "1")
    before = postgres_state(stack.url)
    result = stack.python(LOSE_CONNECTION_AFTER_FIRST_TABLE, check=False)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("error:")]  # logs are on stderr too
    assert error.startswith("error: Postgres serving load into 127.0.0.1:")
    assert "failed and was rolled back" in error
    assert "current.duckdb holds run" in error and "Postgres still serves the previous run" in error
    assert postgres_state(stack.url) == before  # same tables (oids), no leftover schemas, same served run
    failed = stack.runs()[0]
    assert failed["status"] == "failed" and failed["published"]  # the DuckDB publish stays
    assert "serve" in failed["stage_seconds"] and "Postgres serving load" in failed["error"]
    assert postgres_counts(stack.url) != duckdb_counts(stack.current)


class Reader(threading.Thread):
    """A dashboard: reads the served run and every table's row count, in one transaction, over and over."""

    def __init__(self, url: str, tables: list[str]) -> None:
        super().__init__(daemon=True)
        self.url, self.tables = url, tables
        self.seen: Counter[tuple] = Counter()
        self.errors: list[str] = []
        self.stop = threading.Event()

    def has_seen(self, run_id: str) -> bool:
        return any(seen_run == run_id for seen_run, _ in list(self.seen))

    def run(self) -> None:
        with connect_readonly(self.url) as conn:
            while not self.stop.is_set():
                try:
                    run_id = served_run(conn)
                    counts = tuple(conn.execute(f"select count(*) from {name}").fetchone()[0] for name in self.tables)
                    self.seen[(run_id, counts)] += 1
                except psycopg.Error as exc:
                    self.errors.append(repr(exc))
                finally:
                    conn.rollback()
                time.sleep(0.05)  # 20 transactions a second each: any torn read shows, the run keeps its CPU


def test_the_next_run_swaps_atomically_under_concurrent_readers(stack, first_run):
    """Readers in REPEATABLE READ never error, and each transaction sees one run's tables, all of them."""
    stack.cli("generate", "--scale", "0.03", "--start-date", "2026-01-16", "--days", "1")
    _, _, served_before = postgres_state(stack.url)
    expected = {served_before: postgres_counts(stack.url)}
    tables = sorted(expected[served_before])
    readers = [Reader(stack.url, tables), Reader(stack.url, tables[::-1])]  # both lock orders
    for reader in readers:
        reader.start()
    try:
        stack.cli("run")
        latest = stack.runs()[0]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not all(reader.has_seen(latest["run_id"]) for reader in readers):
            time.sleep(0.05)  # let every reader read the new run once
    finally:
        for reader in readers:
            reader.stop.set()
        for reader in readers:
            reader.join(30)
    assert latest["status"] == "success"
    expected[latest["run_id"]] = duckdb_counts(stack.current)
    assert postgres_counts(stack.url) == expected[latest["run_id"]]
    assert expected[served_before] != expected[latest["run_id"]]
    for reader in readers:
        assert not reader.errors, reader.errors[:3]
        seen_runs = {run_id for run_id, _ in reader.seen}
        assert seen_runs == set(expected), "the reader did not read across the swap"
        for (run_id, counts), _ in reader.seen.items():
            assert dict(zip(reader.tables, counts, strict=True)) == expected[run_id]
        assert reader.seen.total() > 20

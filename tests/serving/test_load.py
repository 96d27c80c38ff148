"""The serving load against a real Postgres: types, keys, the swap, rollback, and what concurrent readers see."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import psycopg
import pytest

from data_stack.errors import UserError
from data_stack.serving import ServingError, connect_dashboard, connect_readonly, load_published, served_run
from data_stack.serving import load as serving_load
from data_stack.settings import Settings

KEYS = {"orders": ("order_id",), "revenue_daily": ("order_date", "channel")}
RUN_1, RUN_2 = "20261122T100000Z-aaaa", "20261122T110000Z-bbbb"


def make_warehouse(path: Path, orders: int) -> Path:
    """A published-warehouse look-alike: gold tables in three domains, plus staging/intermediate views."""
    path.unlink(missing_ok=True)
    with duckdb.connect(str(path)) as conn:
        for schema in ("marketing", "product", "logistics", "staging", "intermediate"):
            conn.execute(f"create schema {schema}")
        conn.execute(
            f"""
            create table marketing.orders as
            select range::bigint as order_id, 'c' || (range % 7) as channel,
                   (range * 1.25)::decimal(18, 2) as net_amount, range % 2 = 0 as is_revenue_order,
                   date '2026-01-01' + range::integer % 30 as order_date
            from range({orders})
            """
        )
        conn.execute(
            "create table marketing.revenue_daily as select order_date, channel, sum(net_amount) as revenue "
            "from marketing.orders group by all"
        )
        conn.execute(f"create table product.products as select range as product_id from range({orders // 2})")
        conn.execute(f"create table logistics.shipments as select range as shipment_id from range({orders // 3})")
        conn.execute("create view staging.stg_orders as select * from marketing.orders")
        conn.execute("create view intermediate.int_orders as select * from marketing.orders")
    return path


@pytest.fixture
def warehouse(tmp_path) -> Path:
    return make_warehouse(tmp_path / "current.duckdb", orders=300)


def served_counts(url: str) -> dict[str, int]:
    with connect_readonly(url) as conn:
        tables = conn.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ('marketing', 'product', 'logistics') order by 1"
        ).fetchall()
        return {name: conn.execute(f"select count(*) from {name}").fetchone()[0] for (name,) in tables}


def relation_ids(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "select n.nspname || '.' || c.relname, c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace "
            "where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and c.relkind = 'r'"
        ).fetchall()
    return dict(rows)


def schemas(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        return {name for (name,) in conn.execute("select nspname from pg_namespace").fetchall()}


def test_load_serves_every_gold_table_with_its_rows_and_keys(serving_url, warehouse):
    result = load_published(serving_url, warehouse, RUN_1, primary_keys=KEYS)
    expected = {
        "logistics.shipments": 100,
        "marketing.orders": 300,
        "marketing.revenue_daily": 210,
        "product.products": 150,
    }
    assert result.tables == expected and result.rows == sum(expected.values())
    assert served_counts(serving_url) == expected
    assert not {"staging", "intermediate"} & schemas(serving_url)
    with connect_readonly(serving_url) as conn:
        assert served_run(conn) == RUN_1
        assert conn.execute("select run_id, tables, rows from meta.serving_runs").fetchall() == [
            (RUN_1, 4, sum(expected.values()))
        ]
        keys = dict(
            conn.execute(
                "select conrelid::regclass::text, pg_get_constraintdef(oid) from pg_constraint "
                "where contype = 'p' and connamespace = 'marketing'::regnamespace"
            ).fetchall()
        )
        types = conn.execute(
            "select column_name, data_type, numeric_precision, numeric_scale from information_schema.columns "
            "where table_schema = 'marketing' and table_name = 'orders' order by ordinal_position"
        ).fetchall()
    assert keys == {
        "marketing.orders": "PRIMARY KEY (order_id)",
        "marketing.revenue_daily": "PRIMARY KEY (order_date, channel)",
    }
    assert types == [
        ("order_id", "bigint", 64, 0),
        ("channel", "text", None, None),
        ("net_amount", "numeric", 18, 2),
        ("is_revenue_order", "boolean", None, None),
        ("order_date", "date", None, None),
    ]


def test_values_of_every_type_arrive_unchanged(serving_url, tmp_path):
    path = make_warehouse(tmp_path / "types.duckdb", orders=3)
    with duckdb.connect(str(path)) as conn:
        conn.execute("create type mood as enum ('happy', 'sad')")
        conn.execute(
            """
            create table product.every_type as select * from (values
                (1, 'plain', true, 12.34::decimal(18, 2), 1.5::double, 7::tinyint, 9007199254740993::bigint,
                 date '2026-01-02', timestamp '2026-01-01 01:02:03.456789',
                 timestamptz '2026-01-01 12:00:00+00', 170141183460469231731687303715884105727::hugeint,
                 interval '1 day 2 hours', '6f1c2a4e-9d1b-4c8e-8f1a-2b3c4d5e6f70'::uuid, '\\xDE\\xAD'::blob,
                 [1, 2, 3], {'a': 1, 'b': 'x'}, 'happy'::mood, 'inf'::double),
                (2, '', false, -0.01::decimal(18, 2), -2.25e-10::double, (-128)::tinyint, 0::bigint,
                 date '1999-12-31', timestamp '1999-12-31 23:59:59', timestamptz '1999-12-31 23:00:00-05',
                 0::hugeint, interval '3 months', null, ''::blob, [], {'a': null, 'b': 'y'}, 'sad'::mood,
                 'nan'::double),
                (3, 'quote " comma , newline' || chr(10) || 'backslash \\N tab' || chr(9) || 'ünïcödé ✓', null,
                 null, null, null, null, null, null, null, null, null, null, null, null, null, null, null),
                (4, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                 null)
            ) as t(id, text_value, flag, amount, ratio, tiny, big, day, seen_at, at_utc, huge, span, uid, bytes,
                   ints, record, feeling, special)
            """
        )
    load_published(serving_url, path, RUN_1)
    with connect_readonly(serving_url) as conn:
        rows = conn.execute("select * from product.every_type order by id").fetchall()
        types = dict(
            conn.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'product' and table_name = 'every_type'"
            ).fetchall()
        )
    assert types["feeling"] == "text" and types["ints"] == "jsonb" and types["bytes"] == "bytea"
    assert types["at_utc"] == "timestamp with time zone" and types["huge"] == "numeric"
    first, second, third, fourth = rows
    assert first[:13] == (
        1,
        "plain",
        True,
        Decimal("12.34"),
        1.5,
        7,
        9007199254740993,
        date(2026, 1, 2),
        datetime(2026, 1, 1, 1, 2, 3, 456789),
        datetime(2026, 1, 1, 12, tzinfo=UTC),
        Decimal("170141183460469231731687303715884105727"),
        timedelta(days=1, hours=2),
        uuid.UUID("6f1c2a4e-9d1b-4c8e-8f1a-2b3c4d5e6f70"),
    )
    assert first[13:] == (b"\xde\xad", [1, 2, 3], {"a": 1, "b": "x"}, "happy", float("inf"))
    assert second[1] == "" and second[3] == Decimal("-0.01") and second[4] == -2.25e-10
    assert second[9] == datetime(2000, 1, 1, 4, tzinfo=UTC)
    assert second[11] == timedelta(days=90) and second[13] == b"" and second[14] == []
    assert second[17] != second[17]  # NaN
    assert third[1] == 'quote " comma , newline\nbackslash \\N tab\tünïcödé ✓'
    assert third[2:] == (None,) * 16
    assert fourth[1:] == (None,) * 17  # empty string and NULL stay distinct


def test_second_load_swaps_in_the_new_run_and_keeps_the_history(serving_url, warehouse, tmp_path):
    load_published(serving_url, warehouse, RUN_1, primary_keys=KEYS)
    bigger = make_warehouse(tmp_path / "next.duckdb", orders=600)
    load_published(serving_url, bigger, RUN_2, primary_keys=KEYS)
    assert served_counts(serving_url)["marketing.orders"] == 600
    with connect_readonly(serving_url) as conn:
        assert served_run(conn) == RUN_2
        assert [run for (run,) in conn.execute("select run_id from meta.serving_runs order by published_at")] == [
            RUN_1,
            RUN_2,
        ]
    assert not [name for name in schemas(serving_url) if "__" in name]


def test_a_failure_mid_load_rolls_back_and_leaves_the_previous_run(serving_url, warehouse, tmp_path, monkeypatch):
    load_published(serving_url, warehouse, RUN_1, primary_keys=KEYS)
    before_ids, before_counts = relation_ids(serving_url), served_counts(serving_url)
    copy_table, calls = serving_load._copy_table, []

    def fail_after_first_table(*args, **kwargs):
        calls.append(args[3])
        if len(calls) > 1:
            raise psycopg.OperationalError("server closed the connection unexpectedly\n\tThis probably means ...")
        return copy_table(*args, **kwargs)

    monkeypatch.setattr(serving_load, "_copy_table", fail_after_first_table)
    with pytest.raises(ServingError) as failure:
        load_published(serving_url, make_warehouse(tmp_path / "next.duckdb", orders=600), RUN_2, primary_keys=KEYS)
    message = str(failure.value)
    assert "\n" not in message
    assert "failed and was rolled back (server closed the connection unexpectedly)" in message
    assert len(calls) == 2
    assert relation_ids(serving_url) == before_ids  # the very same tables, not copies
    assert served_counts(serving_url) == before_counts
    assert not [name for name in schemas(serving_url) if "__" in name]
    with connect_readonly(serving_url) as conn:
        assert served_run(conn) == RUN_1


def test_a_second_concurrent_load_is_refused(serving_url, warehouse):
    load_published(serving_url, warehouse, RUN_1, primary_keys=KEYS)
    before = relation_ids(serving_url)
    with psycopg.connect(serving_url) as other:
        other.execute("select pg_advisory_xact_lock(%s)", (serving_load.ADVISORY_LOCK_KEY,))
        with pytest.raises(ServingError, match="Another serving load is writing to this Postgres database"):
            load_published(serving_url, warehouse, RUN_2, primary_keys=KEYS)
    assert relation_ids(serving_url) == before


def test_cannot_connect_is_one_line_without_the_password(tmp_path, warehouse, postgres):
    url = f"postgresql://loader:s3cret@127.0.0.1:{postgres.port}/no_such_database"
    with pytest.raises(ServingError) as failure:
        load_published(url, warehouse, RUN_1)
    message = str(failure.value)
    assert message.startswith(f"Cannot connect to the Postgres serving database 127.0.0.1:{postgres.port}/no_such_")
    assert "s3cret" not in message and "\n" not in message


def test_a_snapshot_taken_before_the_swap_sees_the_new_run_whole(serving_url, warehouse, tmp_path):
    """COPY FREEZE: a REPEATABLE READ reader whose snapshot predates the swap sees full tables, not empty ones."""
    load_published(serving_url, warehouse, RUN_1, primary_keys=KEYS)
    with connect_readonly(serving_url) as reader:
        reader.execute("select 1")  # the snapshot is taken; no served table touched yet
        load_published(serving_url, make_warehouse(tmp_path / "next.duckdb", orders=600), RUN_2, primary_keys=KEYS)
        assert served_run(reader) == RUN_2
        assert reader.execute("select count(*) from marketing.orders").fetchone()[0] == 600
        assert reader.execute("select count(*) from product.products").fetchone()[0] == 300


def _load_in_thread(url: str, path: Path, run_id: str, **kwargs) -> tuple[threading.Thread, list]:
    outcome: list = []

    def target() -> None:
        try:
            outcome.append(load_published(url, path, run_id, primary_keys=KEYS, **kwargs))
        except Exception as exc:
            outcome.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    return thread, outcome


def _wait_for_swap_waiting(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    with psycopg.connect(url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            waiting = conn.execute(
                "select count(*) from pg_locks where not granted and mode = 'AccessExclusiveLock'"
            ).fetchone()[0]
            if waiting:
                return
            time.sleep(0.01)
    raise AssertionError("the serving load never waited for the reader's lock")


def test_a_reader_in_flight_keeps_its_run_and_the_swap_waits_for_it(serving_url, warehouse, tmp_path):
    load_published(serving_url, warehouse, RUN_1, primary_keys=KEYS)
    with connect_readonly(serving_url) as reader:
        assert reader.execute("select count(*) from marketing.orders").fetchone()[0] == 300
        thread, outcome = _load_in_thread(serving_url, make_warehouse(tmp_path / "next.duckdb", 600), RUN_2)
        _wait_for_swap_waiting(serving_url)
        time.sleep(0.5)  # several lock attempts come and go
        assert served_run(reader) == RUN_1
        assert reader.execute("select count(*) from product.products").fetchone()[0] == 150
        assert thread.is_alive()
    thread.join(30)
    assert not isinstance(outcome[0], Exception), outcome
    assert served_counts(serving_url)["marketing.orders"] == 600


def test_in_a_lock_cycle_the_swap_backs_off_and_the_reader_gets_no_error(serving_url, warehouse, tmp_path):
    """The swap locks in name order (logistics first); a reader holding the last table then asking for the first
    closes a cycle. The swap's short lock_timeout ends it before the reader's deadlock check would."""
    load_published(serving_url, warehouse, RUN_1, primary_keys=KEYS)
    with connect_readonly(serving_url) as reader:
        assert reader.execute("select count(*) from product.products").fetchone()[0] == 150
        thread, outcome = _load_in_thread(serving_url, make_warehouse(tmp_path / "next.duckdb", 600), RUN_2)
        _wait_for_swap_waiting(serving_url)
        started = time.monotonic()
        assert reader.execute("select count(*) from logistics.shipments").fetchone()[0] == 100
        assert time.monotonic() - started < 1.0  # released by the swap's lock_timeout, not a deadlock abort
        assert served_run(reader) == RUN_1
    thread.join(30)
    assert not isinstance(outcome[0], Exception), outcome
    assert served_counts(serving_url)["logistics.shipments"] == 200


def test_a_reader_that_never_lets_go_fails_the_load_and_changes_nothing(serving_url, warehouse, tmp_path):
    load_published(serving_url, warehouse, RUN_1, primary_keys=KEYS)
    before = relation_ids(serving_url)
    with connect_readonly(serving_url) as reader:
        reader.execute("select count(*) from marketing.orders").fetchone()
        with pytest.raises(ServingError, match=r"Readers kept the served Postgres tables busy for 1s"):
            load_published(serving_url, make_warehouse(tmp_path / "next.duckdb", 600), RUN_2, swap_wait_seconds=1)
        assert served_run(reader) == RUN_1
    assert relation_ids(serving_url) == before


def test_a_dashboard_role_keeps_read_access_across_swaps(serving_url, warehouse, tmp_path):
    """The grants the runbook sets up once: default privileges for what the loader creates."""
    with psycopg.connect(serving_url, autocommit=True) as admin:
        admin.execute("drop role if exists dashboards")
        admin.execute("create role dashboards login")
        admin.execute("alter default privileges for role postgres grant usage on schemas to dashboards")
        admin.execute("alter default privileges for role postgres grant select on tables to dashboards")
    load_published(serving_url, warehouse, RUN_1, primary_keys=KEYS)
    load_published(serving_url, make_warehouse(tmp_path / "next.duckdb", 600), RUN_2, primary_keys=KEYS)
    dashboards_url = serving_url.replace("postgresql://postgres@", "postgresql://dashboards@")
    with connect_readonly(dashboards_url) as conn:
        assert served_run(conn) == RUN_2
        assert conn.execute("select count(*) from marketing.orders").fetchone()[0] == 600
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("delete from marketing.orders")


def test_connect_dashboard_picks_the_backend(serving_url, warehouse, tmp_path, monkeypatch):
    settings = Settings(data_dir=tmp_path, warehouse_dir=warehouse.parent, serving_db_url=serving_url)
    load_published(serving_url, warehouse, RUN_1)
    query = "select count(*) from marketing.orders"
    monkeypatch.delenv("DASHBOARD_BACKEND", raising=False)
    with connect_dashboard(settings=settings) as conn:
        assert isinstance(conn, duckdb.DuckDBPyConnection)
        assert conn.execute(query).fetchone()[0] == 300
    monkeypatch.setenv("DASHBOARD_BACKEND", "postgres")
    settings = Settings(data_dir=tmp_path, warehouse_dir=warehouse.parent, serving_db_url=serving_url)
    with connect_dashboard(settings=settings) as conn:
        assert isinstance(conn, psycopg.Connection)
        assert conn.cursor().execute(query).fetchone()[0] == 300
    with pytest.raises(UserError, match="DASHBOARD_BACKEND=sqlite is not one of duckdb, postgres"):
        connect_dashboard("sqlite", settings=settings)

"""`data-stack diff` on two small warehouses whose every difference is known: each count, sample key and total."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from data_stack.diff import diff_warehouses

CLI = str(Path(sys.executable).parent / "data-stack")
KEYS = {"customers": ("customer_id",), "products": ("product_id",), "daily": ("day", "region")}

BEFORE = """
create schema marketing; create schema product; create schema logistics;
create table marketing.customers as select * from (values
  (1, 'a@x', 10.0), (2, 'b@x', 20.0), (3, 'c@x', 30.0), (4, 'd@x', 40.0), (5, 'e@x', 50.0)
) t(customer_id, email, lifetime_value);
create table product.products (product_id integer, price decimal(10, 2), name varchar);
insert into product.products values (1, 10.00, 'bolt'), (2, 2.50, 'nut');
create table logistics.daily as select * from (values
  (date '2026-01-01', 'north', 5), (date '2026-01-01', 'south', 7), (date '2026-01-02', 'north', 9)
) t(day, region, shipments);
create table logistics.events as select * from (values ('a', 1), ('a', 1), ('b', 2)) t(kind, n);
create table logistics.retired as select 1 as id;
create table staging_ignored as select 1 as id;
"""
AFTER_CHANGES = """
delete from marketing.customers where customer_id = 5;
insert into marketing.customers values (6, 'f@x', 60.0);
update marketing.customers set email = 'B@x' where customer_id = 2;
update marketing.customers set lifetime_value = 33.0 where customer_id = 3;
alter table product.products alter price type double;
alter table product.products add column margin double;
update product.products set name = 'washer' where product_id = 2;
update logistics.daily set shipments = 8 where day = date '2026-01-01' and region = 'south';
delete from logistics.events where kind = 'a' and rowid = (select min(rowid) from logistics.events where kind = 'a');
insert into logistics.events values ('c', 3);
drop table logistics.retired;
create table logistics.fresh as select * from range(4) t(id);
"""


@pytest.fixture
def warehouses(tmp_path):
    before, after = tmp_path / "before.duckdb", tmp_path / "after.duckdb"
    with duckdb.connect(str(before)) as conn:
        conn.execute(BEFORE)
    with duckdb.connect(str(after)) as conn:
        conn.execute(BEFORE)
        conn.execute(AFTER_CHANGES)
    return after, before


def test_every_difference_is_counted(warehouses):
    result = diff_warehouses(*warehouses, KEYS)
    tables = {table.name: table for table in result.tables}
    assert set(tables) == {
        "marketing.customers", "product.products", "logistics.daily", "logistics.events", "logistics.retired",
        "logistics.fresh",
    }  # fmt: skip

    customers = tables["marketing.customers"]
    assert (customers.status, customers.rows_before, customers.rows_after) == ("changed", 5, 5)
    assert (customers.rows_added, customers.rows_removed, customers.rows_changed) == (1, 1, 2)
    assert {c.column: (c.values_changed, c.sample_keys, c.transitions) for c in customers.columns} == {
        "email": (1, [[2]], [("b@x", "B@x", 1)]),
        "lifetime_value": (1, [[3]], []),  # numbers: the total says how they moved
    }
    (total,) = customers.measures
    assert (total.column, total.before, total.after, total.delta) == ("lifetime_value", 150.0, 163.0, 13.0)

    products = tables["product.products"]
    assert products.columns_added == ["margin"] and products.columns_removed == []
    assert products.columns_retyped == {"price": ("DECIMAL(10,2)", "DOUBLE")}
    assert products.rows_changed == 1  # 10.00 is still 10.0 as a double: only the renamed product changed
    assert [(c.column, c.values_changed, c.sample_keys) for c in products.columns] == [("name", 1, [[2]])]

    daily = tables["logistics.daily"]
    assert daily.key == ("day", "region") and daily.rows_changed == 1
    assert [(c.column, c.sample_keys) for c in daily.columns] == [("shipments", [[date(2026, 1, 1), "south"]])]

    events = tables["logistics.events"]  # no key: compared as a multiset of rows
    assert events.key == () and (events.rows_added, events.rows_removed, events.rows_changed) == (1, 1, None)

    assert (tables["logistics.retired"].status, tables["logistics.retired"].rows_before) == ("removed", 1)
    assert (tables["logistics.fresh"].status, tables["logistics.fresh"].rows_after) == ("added", 4)
    assert len(result.changed) == 6


def test_a_warehouse_against_itself_is_the_same(warehouses):
    after, _ = warehouses
    result = diff_warehouses(after, after, KEYS)
    assert result.changed == [] and all(t.rows_changed in (0, None) for t in result.tables)


def test_the_cli_prints_json_and_markdown_and_refuses_a_missing_file(warehouses, tmp_path):
    after, before = warehouses
    command = [CLI, "diff", "--build", str(after), "--against", str(before)]
    report = json.loads(subprocess.run([*command, "--json"], capture_output=True, text=True, check=True).stdout)
    customers = next(t for t in report["tables"] if t["name"] == "marketing.customers")
    assert customers["rows_changed"] == 2 and customers["measures"][0]["delta"] == 13.0
    markdown = subprocess.run([*command, "--markdown"], capture_output=True, text=True, check=True).stdout
    assert markdown.startswith("### Data diff: 6 of 6 marts change")
    assert "| `marketing.customers` | changed | 5 | 5 | 1 | 1 | 2 | — |" in markdown
    assert "price: DECIMAL(10,2) -> DOUBLE" in markdown and "\n  - b@x -> B@x: 1\n" in markdown
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    assert "email: 1 values changed (e.g. customer_id = 2)" in text and "  b@x -> B@x: 1" in text
    missing = subprocess.run(
        [CLI, "diff", "--build", str(tmp_path / "nope.duckdb"), "--against", str(before)],
        capture_output=True,
        text=True,
    )
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
    assert "--build: no warehouse at" in missing.stderr

"""The synthetic Northwind generator: deterministic, complete, and defective exactly when asked to be."""

from __future__ import annotations

import csv
import fnmatch
import hashlib
from datetime import date
from pathlib import Path

import duckdb
import pytest
import yaml

from data_stack.generate import generate

ROOT = Path(__file__).resolve().parents[2]
SMALL = {"scale": 0.03, "days": 8}


def _streams() -> list[dict]:
    extract = yaml.safe_load((ROOT / "meltano/extract/tap-landing.meltano.yml").read_text())
    return extract["plugins"]["extractors"][0]["config"]["streams"]


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def defective(tmp_path_factory) -> tuple[Path, object]:
    folder = tmp_path_factory.mktemp("defective")
    return folder, generate(folder, defect_rate=0.05, **SMALL)


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("clean")
    generate(folder, defect_rate=0.0, **SMALL)
    return folder


def _csv(folder: Path, pattern: str) -> str:
    return f"read_csv('{folder}/{pattern}', all_varchar = true, union_by_name = true, filename = true)"


def test_same_arguments_give_byte_identical_files(tmp_path, defective):
    folder, _ = defective
    again = tmp_path / "again"
    generate(again, defect_rate=0.05, **SMALL)
    assert _digest(again) == _digest(folder)


def test_different_seed_gives_different_data(tmp_path, defective):
    folder, _ = defective
    other = tmp_path / "other"
    generate(other, defect_rate=0.05, seed=7, **SMALL)
    assert _digest(other) != _digest(folder)


def test_every_stream_matches_the_contract(defective):
    folder, report = defective
    for stream in _streams():
        files = [p for p in folder.rglob("*") if fnmatch.fnmatch(str(p.relative_to(folder)), stream["pattern"])]
        assert files, f"no files for {stream['name']}"
        assert report.rows[stream["name"]] > 0
        if stream["format"] == "csv":
            for path in files:
                header = next(csv.reader(path.open()))
                assert set(stream["columns"]) <= set(header), (path, header)


def test_nested_json_parses(defective):
    folder, _ = defective
    with duckdb.connect() as conn:
        url, device = conn.execute(
            f"select context.page.url, context.device.type from read_json('{folder}/clickstream/*/*.jsonl') limit 1"
        ).fetchone()
        tags = conn.execute(f"select attributes.tags from read_json('{folder}/catalog/*.json') limit 1").fetchone()[0]
    assert url.startswith("/") and device
    assert isinstance(tags, list)


def test_each_defect_kind_is_present(defective):
    folder, report = defective
    for kind in (
        "duplicate_row",
        "null_required",
        "invalid_email",
        "negative_quantity",
        "orphan_customer",
        "orphan_product",
        "untypeable_value",
        "late_order",
        "drifted_file",
    ):
        assert report.defects[kind] > 0, kind
    with duckdb.connect() as conn:
        orders, items, customers = (
            _csv(folder, "orders/orders_*.csv"),
            _csv(folder, "orders/order_items_*.csv"),
            _csv(folder, "customers/*.csv"),
        )
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        assert one(f"select count(*) - count(distinct (order_id, filename)) from {orders}") > 0  # duplicates
        assert one(f"select count(*) from {orders} where customer_id is null") > 0  # null in required
        assert one(f"select count(*) from {customers} where email not like '%@%'") > 0  # invalid email
        assert one(f"select count(*) from {items} where try_cast(quantity as int) < 0") > 0  # negative qty
        assert one(f"select count(*) from {items} where try_cast(product_id as bigint) >= 90000000") > 0  # orphan
        assert one(f"select count(*) from {items} where quantity = 'two'") > 0  # untypeable
        assert (
            one(  # late rows: order dates well before the file's date
                f"select count(*) from {orders} where try_cast(order_ts as timestamp) "
                f"< cast(regexp_extract(filename, '(\\d{{4}}-\\d{{2}}-\\d{{2}})', 1) as date) - 2"
            )
            > 0
        )
    drifted = [p for p in folder.glob("orders/orders_*.csv") if "coupon_code" in p.open().readline()]
    assert len(drifted) == 1


def test_clean_data_has_no_defects(clean):
    with duckdb.connect() as conn:
        orders, items, customers = (
            _csv(clean, "orders/orders_*.csv"),
            _csv(clean, "orders/order_items_*.csv"),
            _csv(clean, "customers/customers_2025-12-31.csv"),
        )
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        assert one(f"select count(*) - count(distinct order_id) from {orders}") == 0
        assert (
            one(f"select count(*) from {orders} where customer_id is null or try_cast(order_ts as timestamp) is null")
            == 0
        )
        assert one(f"select count(*) from {customers} where email not like '%@%'") == 0
        assert (
            one(
                f"select count(*) from {items} where try_cast(quantity as int) is null "
                "or try_cast(quantity as int) <= 0"
            )
            == 0
        )
        # referential integrity: every line's product is in the catalog, every order's customer exists
        assert (
            one(
                f"select count(*) from {items} where product_id::bigint not in "
                f"(select product_id from read_json('{clean}/catalog/*.json'))"
            )
            == 0
        )
        assert one(f"select count(*) from {orders} where customer_id not in (select customer_id from {customers})") == 0
    assert not any("coupon_code" in p.open().readline() for p in clean.glob("orders/orders_*.csv"))


def test_a_later_drop_does_not_collide(tmp_path, clean):
    later = tmp_path / "later"
    generate(later, defect_rate=0.0, scale=0.03, start_date=date(2026, 1, 9), days=1)
    with duckdb.connect() as conn:
        first = {r[0] for r in conn.execute(f"select order_id from {_csv(clean, 'orders/orders_*.csv')}").fetchall()}
        second = {r[0] for r in conn.execute(f"select order_id from {_csv(later, 'orders/orders_*.csv')}").fetchall()}
    assert second and not first & second

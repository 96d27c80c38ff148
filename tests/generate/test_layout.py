"""The landing files match docs/sources.md: names, formats, columns, timestamps."""

from __future__ import annotations

import csv
import json
import re
from datetime import timedelta

from .conftest import SMALL, START

ISO_TS = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"
DAYS = [START + timedelta(days=offset) for offset in range(SMALL["days"])]


def _files(landing) -> list[str]:
    return sorted(str(path.relative_to(landing.root)) for path in landing.root.rglob("*") if path.is_file())


def test_every_file_belongs_to_a_stream_of_the_contract(defective, contract):
    files = _files(defective)
    for spec in contract.values():
        assert any(spec.regex.match(name) for name in files), f"no file for {spec.stream}"
    strays = [name for name in files if not any(spec.regex.match(name) for spec in contract.values())]
    assert strays == []
    assert [str(path.relative_to(defective.root)) for path in defective.report.files] == files
    assert set(defective.report.rows) == set(contract)


def test_daily_weekly_and_one_off_drops(defective):
    files = set(_files(defective))
    for day in DAYS:
        for name in ("orders/orders", "orders/order_items", "logistics/shipments", "customers/customers"):
            assert f"{name}_{day}.csv" in files
    weekly = {START, START + timedelta(days=7)}
    assert {name for name in files if name.startswith(("catalog/", "market/"))} == {
        f"{name}_{day}.{ext}"
        for day in weekly
        for name, ext in (("catalog/products", "json"), ("market/indicators", "csv"))
    }
    assert [name for name in files if name.startswith("fleet/")] == [f"fleet/vehicles_{START}.csv"]
    for day in DAYS:
        hours = [name for name in files if name.startswith(f"clickstream/{day}/")]
        assert len(hours) >= 6, day  # one file per hour with events; small scale leaves quiet night hours out
    for path in defective.root.glob("clickstream/*/*.jsonl"):
        assert path.stat().st_size > 0


def test_csv_headers_are_the_contract_columns_in_order(defective, contract):
    drifted = []
    for spec in contract.values():
        if not spec.path.endswith(".csv"):
            continue
        for path in defective.root.glob(spec.glob):
            with path.open(newline="") as handle:
                header = next(csv.reader(handle))
            if header != spec.columns:
                drifted.append((spec.stream, header))
    assert len(drifted) == 1  # the one drifted orders file, tested with the defects


def test_json_and_jsonl_parse_with_their_nested_fields(defective, contract):
    events = contract["clickstream__events"].columns
    lines = 0
    for path in defective.root.glob("clickstream/*/*.jsonl"):
        for line in path.read_text().splitlines():
            event = json.loads(line)
            lines += 1
            assert list(event) == events
            assert set(event["context"]) == {"page", "device"}
            assert event["context"]["page"]["url"].startswith("https://")
            assert set(event["context"]["device"]) == {"type", "os", "browser"}
    assert lines == defective.report.rows["clickstream__events"]
    products = contract["catalog__products"].columns
    for path in defective.root.glob("catalog/*.json"):
        snapshot = json.loads(path.read_text())
        assert isinstance(snapshot, list) and snapshot
        for product in snapshot:
            assert list(product) == products
            assert isinstance(product["attributes"]["weight_kg"], float)
            assert isinstance(product["attributes"]["tags"], list)
    # DuckDB reads the nested types of the contract
    assert (
        defective.one(
            f"select count(*) from {defective.jsonl()} where context.device.type in ('desktop', 'mobile', 'tablet')"
        )
        == defective.report.rows["clickstream__events"]
    )
    assert defective.one(f"select count(*) from {defective.catalog()} where len(attributes.tags) >= 0") > 0


def test_report_rows_are_the_rows_in_the_files(defective, contract):
    for spec in contract.values():
        if spec.path.endswith(".csv"):
            rows = defective.one(f"select count(*) from {defective.csv(spec.glob)}")
        elif spec.path.endswith(".json"):
            rows = defective.one(f"select count(*) from {defective.catalog()}")
        else:
            rows = defective.one(f"select count(*) from {defective.jsonl()}")
        assert rows == defective.report.rows[spec.stream], spec.stream


def test_timestamps_are_utc_iso_8601_with_z_and_dates_are_plain(clean):
    timestamps = {
        "orders/orders_*.csv": ["order_ts"],
        "customers/*.csv": ["signed_up_at", "updated_at"],
        "logistics/*.csv": ["shipped_at", "promised_at", "delivered_at"],
    }
    for pattern, columns in timestamps.items():
        for column in columns:
            bad = clean.one(
                f"select count(*) from {clean.csv(pattern)} where {column} is not null "
                f"and not regexp_full_match({column}, '{ISO_TS}')"
            )
            assert bad == 0, (pattern, column)
    assert clean.one(f"select count(*) from {clean.jsonl()} where not regexp_full_match(event_ts, '{ISO_TS}')") == 0
    assert clean.one(f"select count(*) from {clean.catalog()} where not regexp_full_match(updated_at, '{ISO_TS}')") == 0
    for pattern, column in (("market/*.csv", "indicator_date"), ("fleet/*.csv", "in_service_date")):
        assert (
            clean.one(
                f"select count(*) from {clean.csv(pattern)} "
                f"where not regexp_full_match({column}, '\\d{{4}}-\\d{{2}}-\\d{{2}}')"
            )
            == 0
        )


def test_vocabularies_are_the_documented_ones(clean):
    assert clean.values(f"select distinct status from {clean.csv('orders/orders_*.csv')}") <= {
        "placed", "shipped", "delivered", "cancelled", "returned"
    }  # fmt: skip
    assert clean.values(f"select distinct channel from {clean.csv('orders/orders_*.csv')}") == {
        "web", "mobile", "marketplace"
    }  # fmt: skip
    assert clean.values(f"select distinct currency from {clean.csv('orders/orders_*.csv')}") == {"USD"}
    regions = {"Northeast", "Southeast", "Midwest", "Southwest", "West"}
    assert clean.values(f"select distinct region from {clean.csv('customers/*.csv')}") == regions
    assert clean.values(f"select distinct country from {clean.csv('customers/*.csv')}") == {"US"}
    assert clean.values(f"select distinct event_type from {clean.jsonl()}") == {
        "session_start", "page_view", "product_view", "add_to_cart", "checkout", "purchase"
    }  # fmt: skip
    assert clean.values(f"select distinct indicator_name from {clean.csv('market/*.csv')}") == {
        "category_demand_index", "avg_competitor_price", "consumer_confidence"
    }  # fmt: skip
    categories = clean.values(f"select distinct category from {clean.catalog()}")
    assert clean.values(f"select distinct category from {clean.csv('market/*.csv')}") == categories
    assert clean.values(f"select distinct status from {clean.csv('logistics/*.csv')}") <= {
        "in_transit", "delivered", "lost"
    }  # fmt: skip
    assert clean.values(f"select distinct service_level from {clean.csv('logistics/*.csv')}") == {"standard", "express"}
    assert clean.values(f"select distinct vehicle_type from {clean.csv('fleet/*.csv')}") <= {
        "van", "box_truck", "cargo_bike"
    }  # fmt: skip
    assert all(
        re.fullmatch(r"[A-Z]{2}", state) for state in clean.values(f"select state_code from {clean.csv('fleet/*.csv')}")
    )
    discounts = clean.values(f"select distinct discount_pct::double from {clean.csv('orders/order_items_*.csv')}")
    assert min(discounts) == 0 and max(discounts) <= 0.5

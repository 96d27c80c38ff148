"""Defects appear exactly as documented (docs/generator.md) and counted, and not at all when the rate is 0."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import timedelta

from data_stack.generate.timeline import ORPHAN_BASE

from .conftest import SMALL, START

LAST_DAY = START + timedelta(days=SMALL["days"] - 1)
# the dbt staging rule for a valid email
VALID_EMAIL = r"^[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$"
CSV_STREAMS = {
    "orders__orders": "orders/orders_*.csv",
    "orders__order_items": "orders/order_items_*.csv",
    "customers__customers": "customers/customers_*.csv",
    "logistics__shipments": "logistics/shipments_*.csv",
}


def _found(landing) -> dict[str, Counter]:
    """Every defect kind found by reading the files back, per stream."""
    orders, items = landing.csv(CSV_STREAMS["orders__orders"]), landing.csv(CSV_STREAMS["orders__order_items"])
    customers, shipments = (
        landing.csv(CSV_STREAMS["customers__customers"]),
        landing.csv(CSV_STREAMS["logistics__shipments"]),
    )
    file_day = "regexp_extract(filename, '(\\d{4}-\\d{2}-\\d{2})', 1)::date"
    one = landing.one
    found = {stream: Counter() for stream in (*CSV_STREAMS, "clickstream__events")}
    found["orders__orders"].update(
        null_required=one(f"select count(*) from {orders} where customer_id is null"),
        untypeable_value=one(f"select count(*) from {orders} where try_cast(order_ts as timestamp) is null"),
        orphan_key=one(f"select count(*) from {orders} where customer_id::bigint >= {ORPHAN_BASE}"),
        late_row=one(f"select count(*) from {orders} where try_cast(order_ts as date) < {file_day} - 2"),
    )
    found["orders__order_items"].update(
        null_required=one(f"select count(*) from {items} where product_id is null"),
        untypeable_value=one(f"select count(*) from {items} where try_cast(quantity as integer) is null"),
        negative_quantity=one(f"select count(*) from {items} where try_cast(quantity as integer) < 0"),
        orphan_key=one(f"select count(*) from {items} where product_id::bigint >= {ORPHAN_BASE}"),
        late_row=one(
            f"select count(*) from {items} as items inner join {orders} as orders "
            f"on orders.order_id = items.order_id and try_cast(orders.order_ts as date) < {orders_file_day()} - 2"
        ),
    )
    found["customers__customers"].update(
        null_required=one(f"select count(*) from {customers} where signed_up_at is null"),
        invalid_email=one(f"select count(*) from {customers} where not regexp_full_match(email, '{VALID_EMAIL}')"),
    )
    found["logistics__shipments"].update(
        null_required=one(f"select count(*) from {shipments} where carrier is null"),
    )
    events = landing.jsonl()
    found["clickstream__events"].update(
        null_required=one(f"select count(*) from {events} where session_id is null"),
        untypeable_value=one(f"select count(*) from {events} where try_cast(event_ts as timestamp) is null"),
    )
    for stream, pattern in CSV_STREAMS.items():
        found[stream]["duplicate_row"] = sum(
            _duplicates(path.read_text().splitlines()[1:]) for path in landing.root.glob(pattern)
        )
    found["clickstream__events"]["duplicate_row"] = sum(
        _duplicates(path.read_text().splitlines()) for path in landing.root.glob("clickstream/*/*.jsonl")
    )
    found["orders__orders"]["drifted_file"] = len(_drifted(landing))
    return {stream: +counts for stream, counts in found.items()}


def orders_file_day() -> str:
    return "regexp_extract(orders.filename, '(\\d{4}-\\d{2}-\\d{2})', 1)::date"


def _duplicates(lines: list[str]) -> int:
    return len(lines) - len(set(lines))


def _drifted(landing) -> list[list[str]]:
    headers = []
    for path in landing.root.glob("orders/orders_*.csv"):
        with path.open(newline="") as handle:
            headers.append((path.name, next(csv.reader(handle))))
    return [header for name, header in headers if header != headers[0][1] or "coupon_code" in header]


def test_every_defect_kind_is_injected_and_counted_exactly(defective):
    report = defective.report
    found = _found(defective)
    assert found == {stream: Counter(kinds) for stream, kinds in report.defects_by_stream.items()}
    for kind, count in report.defects.items():
        assert count > 0, kind
        assert count == sum(kinds.get(kind, 0) for kinds in report.defects_by_stream.values())


def test_quarantine_candidates_are_exactly_the_null_and_untypeable_rows(defective, contract):
    """What ingest must quarantine: a required value that is null or cannot be typed."""
    for stream, pattern in CSV_STREAMS.items():
        spec = contract[stream]
        types = {"order_ts": "timestamp", "signed_up_at": "timestamp", "quantity": "integer", "shipped_at": "timestamp"}
        broken = " or ".join(
            f"{column} is null" + (f" or try_cast({column} as {types[column]}) is null" if column in types else "")
            for column in spec.required
        )
        rows = defective.one(f"select count(*) from {defective.csv(pattern)} where {broken}")
        assert rows == defective.report.quarantine_expected(stream), stream


def test_drifted_file_has_an_extra_column_and_another_order_but_every_required_column(defective, contract):
    (header,) = _drifted(defective)
    spec = contract["orders__orders"]
    assert header != spec.columns
    assert set(header) == {*spec.columns, "coupon_code"}
    drift_day = START + timedelta(days=SMALL["days"] // 2)
    with (defective.root / f"orders/orders_{drift_day}.csv").open(newline="") as handle:
        assert next(csv.reader(handle)) == header


def test_late_rows_arrive_in_the_last_days_files(defective):
    orders = defective.csv("orders/orders_*.csv")
    late = defective.values(
        f"select distinct filename from {orders} "
        "where try_cast(order_ts as date) < regexp_extract(filename, '(\\d{4}-\\d{2}-\\d{2})', 1)::date - 2"
    )
    assert [name.rsplit("/", 1)[1] for name in late] == [f"orders_{LAST_DAY}.csv"]


def test_orphan_keys_are_not_in_the_populations(defective):
    customers = defective.values(f"select customer_id::bigint from {defective.csv('customers/*.csv')}")
    products = defective.values(f"select product_id from {defective.catalog()}")
    orphans = defective.values(
        f"select customer_id::bigint from {defective.csv('orders/orders_*.csv')} "
        f"where customer_id::bigint >= {ORPHAN_BASE}"
    )
    assert orphans and not orphans & customers
    orphans = defective.values(
        f"select product_id::bigint from {defective.csv('orders/order_items_*.csv')} "
        f"where product_id::bigint >= {ORPHAN_BASE}"
    )
    assert orphans and not orphans & products


def test_clean_data_has_no_defects(clean):
    assert _found(clean) == {stream: Counter() for stream in (*CSV_STREAMS, "clickstream__events")}
    assert set(clean.report.defects.values()) == {0}
    assert clean.report.defects_by_stream == {}

"""Hand-made bronze Parquet for every stream of docs/sources.md, rich in the defects dbt must handle.

`write_bronze(lake, run_id=..., load_date=...)` writes a first load; `extra=True` writes a follow-up
load instead: late rows (old order dates, late clickstream hours, an order whose lines and shipment
came first), re-delivered duplicates, updates (order status, shipment delivered, catalog cost),
dimension members that were orphans in the first load, a line re-delivered with a negative quantity,
and a drifted orders file with an extra `coupon_code` column. Files land where target-lake puts them:
`bronze/<source>/<stream>/load_date=<load_date>/<run_id>-<n>.parquet`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

D = Decimal

LINEAGE = [
    ("_source_file", pa.string()),
    ("_loaded_at", pa.timestamp("us")),
    ("_run_id", pa.string()),
]

ORDERS = [
    ("order_id", pa.int64()),
    ("customer_id", pa.int64()),
    ("order_ts", pa.timestamp("us")),
    ("status", pa.string()),
    ("channel", pa.string()),
    ("currency", pa.string()),
    ("shipping_fee", pa.decimal128(10, 2)),
]
ORDER_ITEMS = [
    ("order_item_id", pa.int64()),
    ("order_id", pa.int64()),
    ("product_id", pa.int64()),
    ("quantity", pa.int32()),
    ("unit_price", pa.decimal128(10, 2)),
    ("discount_pct", pa.decimal128(5, 4)),
]
CUSTOMERS = [
    ("customer_id", pa.int64()),
    ("first_name", pa.string()),
    ("last_name", pa.string()),
    ("email", pa.string()),
    ("phone", pa.string()),
    ("street_address", pa.string()),
    ("city", pa.string()),
    ("region", pa.string()),
    ("country", pa.string()),
    ("signed_up_at", pa.timestamp("us")),
    ("updated_at", pa.timestamp("us")),
]
PRODUCTS = [
    ("product_id", pa.int64()),
    ("sku", pa.string()),
    ("product_name", pa.string()),
    ("category", pa.string()),
    ("subcategory", pa.string()),
    ("unit_cost", pa.decimal128(10, 2)),
    ("list_price", pa.decimal128(10, 2)),
    ("supplier", pa.string()),
    ("is_active", pa.bool_()),
    ("updated_at", pa.timestamp("us")),
    (
        "attributes",
        pa.struct([("color", pa.string()), ("weight_kg", pa.float64()), ("tags", pa.list_(pa.string()))]),
    ),
]
EVENTS = [
    ("event_id", pa.string()),
    ("event_type", pa.string()),
    ("event_ts", pa.timestamp("us")),
    ("session_id", pa.string()),
    ("customer_id", pa.int64()),
    ("product_id", pa.int64()),
    ("order_id", pa.int64()),
    (
        "context",
        pa.struct(
            [
                ("page", pa.struct([("url", pa.string()), ("referrer", pa.string())])),
                (
                    "device",
                    pa.struct([("type", pa.string()), ("os", pa.string()), ("browser", pa.string())]),
                ),
            ]
        ),
    ),
]
INDICATORS = [
    ("indicator_date", pa.date32()),
    ("category", pa.string()),
    ("indicator_name", pa.string()),
    ("value", pa.float64()),
    ("unit", pa.string()),
]
SHIPMENTS = [
    ("shipment_id", pa.int64()),
    ("order_id", pa.int64()),
    ("carrier", pa.string()),
    ("service_level", pa.string()),
    ("destination_region", pa.string()),
    ("vehicle_id", pa.int64()),
    ("shipped_at", pa.timestamp("us")),
    ("promised_at", pa.timestamp("us")),
    ("delivered_at", pa.timestamp("us")),
    ("status", pa.string()),
]
VEHICLES = [
    ("vehicle_id", pa.int64()),
    ("license_plate", pa.string()),
    ("state_code", pa.string()),
    ("make", pa.string()),
    ("model", pa.string()),
    ("model_year", pa.int32()),
    ("vehicle_type", pa.string()),
    ("capacity_kg", pa.int32()),
    ("depot_region", pa.string()),
    ("in_service_date", pa.date32()),
]


def ts(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def day(value: str) -> date:
    return date.fromisoformat(value)


# ---------------------------------------------------------------- first load
CUSTOMER_ROWS = [
    (
        1,
        "Ada",
        "Lovelace",
        "ada.lovelace@example.com",
        "(555) 010-0001",
        "12 Analytical St",
        "Boston",
        "Northeast",
        "US",
        ts("2025-06-01T09:00:00"),
        ts("2025-06-01T09:00:00"),
    ),
    # invalid email
    (
        2,
        "Bob",
        "Badmail",
        "bob.at.example.com",
        "555-010-0002",
        "3 Oak Ave",
        "Denver",
        "West",
        "US",
        ts("2025-06-02T09:00:00"),
        ts("2025-06-02T09:00:00"),
    ),
    # valid once trimmed and lower-cased
    (
        3,
        "Grace",
        "Hopper",
        "  Grace.Hopper@Example.ORG ",
        "555.010.0003",
        "7 Navy Rd",
        "Atlanta",
        "Southeast",
        "US",
        ts("2025-06-03T09:00:00"),
        ts("2025-06-03T09:00:00"),
    ),
    # no contact data at all
    (
        4,
        "Dan",
        "Nulls",
        None,
        None,
        None,
        "Chicago",
        "Midwest",
        "US",
        ts("2025-06-04T09:00:00"),
        None,
    ),
    # exact duplicate within one file
    (
        5,
        "Eve",
        "Twin",
        "eve.twin@example.net",
        "(555) 010-0005",
        "55 Mirror Ln",
        "Phoenix",
        "Southwest",
        "US",
        ts("2025-06-05T09:00:00"),
        ts("2025-06-05T09:00:00"),
    ),
    (
        5,
        "Eve",
        "Twin",
        "eve.twin@example.net",
        "(555) 010-0005",
        "55 Mirror Ln",
        "Phoenix",
        "Southwest",
        "US",
        ts("2025-06-05T09:00:00"),
        ts("2025-06-05T09:00:00"),
    ),
    # two versions in one file: the later updated_at wins
    (
        6,
        "Fay",
        "Mover",
        "fay.mover@example.com",
        "555 010 0006",
        "1 Old Rd",
        "Omaha",
        "Midwest",
        "US",
        ts("2025-06-06T09:00:00"),
        ts("2025-07-01T09:00:00"),
    ),
    (
        6,
        "Fay",
        "Mover",
        "fay.mover@example.com",
        "555 010 0006",
        "9 New Rd",
        "Seattle",
        "West",
        "US",
        ts("2025-06-06T09:00:00"),
        ts("2025-09-01T09:00:00"),
    ),
    # never orders
    (
        7,
        "Gus",
        "Browsewell",
        "gus@example.com",
        "555-010-0007",
        "70 Window St",
        "Austin",
        "Southwest",
        "US",
        ts("2025-06-07T09:00:00"),
        ts("2025-06-07T09:00:00"),
    ),
    (
        8,
        "Hal",
        "Bigspender",
        "hal@example.com",
        "555-010-0008",
        "88 Gold Ave",
        "Miami",
        "Southeast",
        "US",
        ts("2025-06-08T09:00:00"),
        ts("2025-06-08T09:00:00"),
    ),
]

ORDER_ROWS = [
    (101, 1, ts("2026-01-05T10:00:00"), "placed", "web", "USD", D("5.00")),
    (102, 1, ts("2026-01-06T11:00:00"), "delivered", "mobile", "USD", D("5.00")),
    (103, 2, ts("2026-01-06T12:00:00"), "shipped", "web", "USD", D("0.00")),
    (104, 3, ts("2026-01-07T09:30:00"), "cancelled", "marketplace", "USD", D("4.00")),
    (105, 5, ts("2026-01-07T15:00:00"), "delivered", "web", "USD", D("5.00")),
    (105, 5, ts("2026-01-07T15:00:00"), "delivered", "web", "USD", D("5.00")),  # duplicate
    (106, 6, ts("2026-01-08T08:00:00"), "returned", "mobile", "USD", D("5.00")),
    (107, 8, ts("2026-01-08T18:00:00"), "delivered", "web", "USD", D("0.00")),
    (108, 8, ts("2026-01-09T19:00:00"), "delivered", "marketplace", "USD", D("0.00")),
    (
        109,
        9,
        ts("2026-01-09T20:00:00"),
        "placed",
        "web",
        "USD",
        D("5.00"),
    ),  # customer 9 comes later
    (110, 99, ts("2026-01-09T21:00:00"), "placed", None, "USD", D("5.00")),  # customer never comes
    (111, 4, ts("2026-01-09T22:00:00"), "shipped", "web", "USD", None),
]

ORDER_ITEM_ROWS = [
    (1001, 101, 1, 2, D("10.00"), D("0")),
    (1002, 101, 2, 1, D("25.00"), D("0.1")),
    (1003, 102, 3, 3, D("8.50"), D("0")),
    (1004, 103, 1, 1, D("10.00"), D("0")),
    (1005, 103, 4, -2, D("15.00"), D("0")),  # negative quantity
    (1006, 104, 2, 1, D("25.00"), D("0")),
    (1007, 105, 5, 2, D("40.00"), D("0.05")),
    (1007, 105, 5, 2, D("40.00"), D("0.05")),  # duplicate
    (1008, 106, 3, 1, D("8.50"), D("0")),
    (1009, 107, 5, 10, D("40.00"), D("0")),
    (1010, 107, 2, 12, D("25.00"), D("0")),
    (1011, 108, 5, 10, D("40.00"), D("0.1")),
    (1012, 109, 1, 1, D("10.00"), None),
    (1013, 110, 6, 2, D("12.00"), D("0")),  # product 6 enters the catalog later
    (1014, 111, 999, 1, D("5.00"), D("0")),  # product never in the catalog
    (1015, 150, 1, 4, D("10.00"), D("0")),  # order 150 arrives late
    (1016, 108, 4, 1, D("15.00"), D("0.75")),  # discount out of range
]


def _product(pid, sku, name, category, sub, cost, price, color, weight, tags, updated):
    return (
        pid,
        sku,
        name,
        category,
        sub,
        D(cost),
        D(price),
        "Acme Supply",
        True,
        ts(updated),
        {"color": color, "weight_kg": weight, "tags": tags},
    )


PRODUCT_ROWS = [
    _product(
        1,
        "EL-001",
        "USB-C Cable",
        "electronics",
        "cables",
        "4.00",
        "10.00",
        "black",
        0.1,
        ["usb", "cable"],
        "2025-12-01T00:00:00",
    ),
    _product(
        2,
        "EL-002",
        "Headphones",
        "electronics",
        "audio",
        "12.00",
        "25.00",
        "white",
        0.3,
        ["audio"],
        "2025-12-01T00:00:00",
    ),
    _product(
        3,
        "HO-001",
        "Stoneware Mug",
        "home",
        "kitchen",
        "3.00",
        "8.50",
        "blue",
        0.4,
        [],
        "2025-12-01T00:00:00",
    ),
    _product(
        3,
        "HO-001",
        "Stoneware Mug",
        "home",
        "kitchen",
        "3.00",
        "8.50",
        "blue",
        0.4,
        [],
        "2025-12-01T00:00:00",
    ),  # duplicate within the snapshot
    _product(
        4,
        "OU-001",
        "Water Bottle",
        "outdoor",
        "hydration",
        "6.00",
        "15.00",
        "green",
        0.2,
        None,
        "2025-12-01T00:00:00",
    ),
    _product(
        5,
        "OU-002",
        "Two-Person Tent",
        "outdoor",
        "camping",
        "22.00",
        "40.00",
        "orange",
        3.5,
        ["camping", "tent"],
        "2025-12-01T00:00:00",
    ),
]


def _event(eid, etype, at, session, customer=None, product=None, order=None, device="desktop"):
    context = {
        "page": {"url": f"https://shop.northwind.example/{etype}", "referrer": None},
        "device": {"type": device, "os": "linux", "browser": "firefox"},
    }
    return (eid, etype, ts(at), session, customer, product, order, context)


EVENT_ROWS = [
    _event("e01", "session_start", "2026-01-08T10:00:00", "s1", 1),
    _event("e02", "page_view", "2026-01-08T10:01:00", "s1", 1),
    _event("e03", "product_view", "2026-01-08T10:02:00", "s1", 1, 1),
    _event("e04", "add_to_cart", "2026-01-08T10:03:00", "s1", 1, 1),
    _event("e05", "checkout", "2026-01-08T10:04:00", "s1", 1),
    _event("e06", "purchase", "2026-01-08T10:05:00", "s1", 1, None, 101),
    _event("e07", "session_start", "2026-01-08T11:00:00", "s2", device="mobile"),
    _event("e08", "product_view", "2026-01-08T11:01:00", "s2", None, 2, device="mobile"),
    _event("e09", "add_to_cart", "2026-01-08T11:02:00", "s2", None, 2, device="mobile"),
    _event("e10", "session_start", "2026-01-08T12:00:00", "s3", 3),
    _event("e11", "page_view", "2026-01-08T12:01:00", "s3", 3),
    _event("e12", "session_start", "2026-01-09T09:00:00", "s4", 8, device="mobile"),
    _event("e13", "product_view", "2026-01-09T09:01:00", "s4", 8, 5, device="mobile"),
    _event("e13", "product_view", "2026-01-09T09:01:00", "s4", 8, 5, device="mobile"),  # duplicate
    _event("e14", "checkout", "2026-01-09T09:05:00", "s4", 8, device="mobile"),  # no add_to_cart
    _event("e15", "purchase", "2026-01-09T09:06:00", "s4", 8, None, 108, device="mobile"),
    _event("e16", "product_view", "2026-01-09T22:00:00", "s5", None, 4, device="tablet"),  # no start
]


def _indicators(week: str, values: dict[str, tuple[float, float, float]]):
    names = ("category_demand_index", "avg_competitor_price", "consumer_confidence")
    units = ("index", "USD", "index")
    return [
        (day(week), category, name, value, unit)
        for category, triple in values.items()
        for name, value, unit in zip(names, triple, units, strict=True)
    ]


INDICATOR_ROWS = _indicators(
    "2026-01-05",
    {"electronics": (102.5, 19.0, 98.0), "home": (95.0, 9.0, 98.0), "outdoor": (88.0, 30.0, 98.0)},
)

SHIPMENT_ROWS = [
    # on time, 44 h
    (
        5001,
        102,
        "UPS",
        "standard",
        "Northeast",
        1,
        ts("2026-01-06T14:00:00"),
        ts("2026-01-09T14:00:00"),
        ts("2026-01-08T10:00:00"),
        "delivered",
    ),
    # in transit, delivered in the second load
    (
        5002,
        103,
        "FedEx",
        "express",
        "West",
        2,
        ts("2026-01-06T16:00:00"),
        ts("2026-01-07T16:00:00"),
        None,
        "in_transit",
    ),
    # late by two hours; vehicle 77 is not in the fleet register
    (
        5003,
        105,
        "UPS",
        "standard",
        "Southwest",
        77,
        ts("2026-01-07T18:00:00"),
        ts("2026-01-09T18:00:00"),
        ts("2026-01-09T20:00:00"),
        "delivered",
    ),
    (
        5004,
        107,
        "DHL",
        "standard",
        "Southeast",
        1,
        ts("2026-01-08T20:00:00"),
        ts("2026-01-11T20:00:00"),
        ts("2026-01-09T12:30:00"),
        "delivered",
    ),
    (
        5005,
        108,
        "DHL",
        "express",
        "Southeast",
        None,
        ts("2026-01-09T21:00:00"),
        ts("2026-01-10T21:00:00"),
        None,
        "lost",
    ),
    # its order (150) arrives in the second load
    (
        5006,
        150,
        "UPS",
        "standard",
        "Southeast",
        2,
        ts("2026-01-03T08:00:00"),
        ts("2026-01-06T08:00:00"),
        ts("2026-01-05T08:00:00"),
        "delivered",
    ),
    (
        5007,
        106,
        "UPS",
        "standard",
        "West",
        3,
        ts("2026-01-08T10:00:00"),
        ts("2026-01-11T10:00:00"),
        ts("2026-01-09T10:00:00"),
        "delivered",
    ),
    (
        5007,
        106,
        "UPS",
        "standard",
        "West",
        3,
        ts("2026-01-08T10:00:00"),
        ts("2026-01-11T10:00:00"),
        ts("2026-01-09T10:00:00"),
        "delivered",
    ),  # duplicate
    # its order never arrives
    (
        5009,
        999,
        "FedEx",
        "standard",
        "Midwest",
        3,
        ts("2026-01-08T09:00:00"),
        ts("2026-01-11T09:00:00"),
        ts("2026-01-10T09:00:00"),
        "delivered",
    ),
]

VEHICLE_ROWS = [
    (1, "ABC1234", "MA", "Ford", "Transit", 2022, "van", 1500, "Northeast", day("2022-03-01")),
    (2, "XYZ9876", "CO", "Mercedes", "Sprinter", 2021, "van", 1800, "West", day("2021-05-01")),
    (2, "XYZ9876", "CO", "Mercedes", "Sprinter", 2021, "van", 1800, "West", day("2021-05-01")),
    (
        3,
        "BKE0001",
        "NY",
        "Urban Arrow",
        "Cargo",
        2023,
        "cargo_bike",
        200,
        "Northeast",
        day("2023-04-01"),
    ),
]

# ---------------------------------------------------------------- second load
EXTRA_CUSTOMER_ROWS = [
    (
        9,
        "Ivy",
        "Late",
        "ivy.late@example.com",
        "555-010-0009",
        "9 Tardy Ct",
        "Portland",
        "West",
        "US",
        ts("2025-12-30T09:00:00"),
        ts("2025-12-30T09:00:00"),
    ),
    (
        1,
        "Ada",
        "Lovelace",
        "ada.lovelace@example.com",
        "(555) 010-0001",
        "12 Analytical St",
        "Cambridge",
        "Northeast",
        "US",
        ts("2025-06-01T09:00:00"),
        ts("2026-01-10T09:00:00"),
    ),
    CUSTOMER_ROWS[1],  # re-delivered
    (
        10,
        "Jon",
        "Atat",
        "jon@@example",
        "555-010-0010",
        "10 Typo Way",
        "Dallas",
        "Southwest",
        "US",
        ts("2026-01-09T09:00:00"),
        ts("2026-01-09T09:00:00"),
    ),
]

EXTRA_ORDER_ROWS = [
    (101, 1, ts("2026-01-05T10:00:00"), "delivered", "web", "USD", D("5.00")),  # status update
    ORDER_ROWS[1],  # re-delivered unchanged
    (150, 3, ts("2026-01-02T08:00:00"), "delivered", "web", "USD", D("5.00")),  # late, old date
    (112, 8, ts("2026-01-10T09:00:00"), "delivered", "web", "USD", D("0.00")),
    (113, 10, ts("2026-01-10T10:00:00"), "placed", "mobile", "USD", D("5.00")),
]

# The drifted file: an extra coupon_code column.
DRIFTED_ORDER_ROWS = [
    (114, 1, ts("2026-01-10T11:00:00"), "placed", "web", "USD", D("5.00"), "WINTER10"),
    (115, 3, ts("2026-01-10T12:00:00"), "placed", "web", "USD", D("5.00"), None),
]

EXTRA_ORDER_ITEM_ROWS = [
    (1002, 101, 2, -1, D("25.00"), D("0.1")),  # re-delivered, now invalid
    (1005, 103, 4, 2, D("15.00"), D("0")),  # re-delivered, corrected
    ORDER_ITEM_ROWS[2],  # re-delivered unchanged
    (1017, 112, 5, 5, D("40.00"), D("0")),
    (1018, 113, 3, 1, D("8.50"), D("0")),
    (1019, 114, 6, 1, D("12.00"), D("0")),
    (1020, 115, 2, 2, D("25.00"), D("0.2")),
    (1021, 150, 3, 1, D("8.50"), D("0")),  # late line of the late order
]

EXTRA_PRODUCT_ROWS = [
    _product(
        1,
        "EL-001",
        "USB-C Cable",
        "electronics",
        "cables",
        "4.50",
        "10.00",
        "black",
        0.1,
        ["usb", "cable"],
        "2026-01-10T00:00:00",
    ),  # cost change
    *[row for row in PRODUCT_ROWS[1:] if row[0] != 3],
    PRODUCT_ROWS[2],
    _product(
        6,
        "HO-002",
        "Soy Candle",
        "home",
        "decor",
        "5.00",
        "12.00",
        "ivory",
        0.5,
        ["gift"],
        "2026-01-10T00:00:00",
    ),  # was an orphan
]

EXTRA_EVENT_ROWS = [
    _event("e17", "add_to_cart", "2026-01-09T23:10:00", "s5", None, 4, device="tablet"),  # late hour
    # late: s5 now starts the day before, and (2026-01-09, tablet) loses its only session
    _event("e25", "page_view", "2026-01-08T21:00:00", "s5", None, None, device="tablet"),
    _event("e06", "purchase", "2026-01-08T10:05:00", "s1", 1, None, 101),  # re-delivered
    _event("e20", "session_start", "2026-01-10T10:00:00", "s6", 10, device="mobile"),
    _event("e21", "product_view", "2026-01-10T10:01:00", "s6", 10, 3, device="mobile"),
    _event("e22", "add_to_cart", "2026-01-10T10:02:00", "s6", 10, 3, device="mobile"),
    _event("e23", "checkout", "2026-01-10T10:03:00", "s6", 10, device="mobile"),
    _event("e24", "purchase", "2026-01-10T10:04:00", "s6", 10, None, 113, device="mobile"),
]

EXTRA_INDICATOR_ROWS = [
    *INDICATOR_ROWS[:3],  # re-delivered
    (day("2026-01-05"), "home", "category_demand_index", 97.5, "index"),  # vendor correction
    *_indicators(
        "2025-12-29",
        {
            "electronics": (99.0, 18.5, 97.0),
            "home": (93.0, 9.5, 97.0),
            "outdoor": (85.0, 29.0, 97.0),
        },
    ),
]

EXTRA_SHIPMENT_ROWS = [
    (
        5002,
        103,
        "FedEx",
        "express",
        "West",
        2,
        ts("2026-01-06T16:00:00"),
        ts("2026-01-07T16:00:00"),
        ts("2026-01-07T15:00:00"),
        "delivered",
    ),  # now delivered, 23 h
    SHIPMENT_ROWS[0],  # re-delivered
    (
        5008,
        112,
        "FedEx",
        "standard",
        "Southeast",
        4,
        ts("2026-01-10T12:00:00"),
        ts("2026-01-13T12:00:00"),
        None,
        "in_transit",
    ),
]

EXTRA_VEHICLE_ROWS = [
    VEHICLE_ROWS[0],  # re-delivered
    (4, "NEW4444", "FL", "Ford", "E-Transit", 2025, "van", 1600, "Southeast", day("2026-01-02")),
]

PII_VALUES = {
    value for row in CUSTOMER_ROWS + EXTRA_CUSTOMER_ROWS for value in (row[1], row[2], row[3], row[4], row[5]) if value
}
"""Every raw name, email, phone and street address in the fixture: none may reach gold."""

RAW_EMAILS_AND_PHONES = {value for row in CUSTOMER_ROWS + EXTRA_CUSTOMER_ROWS for value in (row[3], row[4]) if value}


def _table(columns: list[tuple[str, pa.DataType]], rows: list[tuple], lineage: tuple) -> pa.Table:
    schema = pa.schema(columns + LINEAGE)
    data = [tuple(row) + lineage for row in rows]
    return pa.Table.from_pylist([dict(zip(schema.names, values, strict=True)) for values in data], schema=schema)


def _write(lake: Path, source: str, stream: str, load_date: str, name: str, table: pa.Table) -> None:
    folder = lake / "bronze" / source / stream / f"load_date={load_date}"
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, folder / name)


def write_bronze(lake_dir: Path, *, run_id: str, load_date: str, extra: bool = False) -> None:
    """Write one load of every stream under `lake_dir/bronze`.

    `extra=False` is the first load; `extra=True` the follow-up load described in the module
    docstring. Rows are stamped `_loaded_at` = load_date 02:00 UTC plus a few seconds per stream,
    so use a later `load_date` for a later load.
    """
    lake = Path(lake_dir)
    start = datetime.fromisoformat(f"{load_date}T02:00:00")
    day_tag = (date.fromisoformat(load_date) - timedelta(days=1)).isoformat()

    def lineage(offset: int, landing_file: str) -> tuple:
        return (landing_file, start + timedelta(seconds=offset), run_id)

    def put(source, stream, columns, rows, offset, landing_file, n=1):
        table = _table(columns, rows, lineage(offset, landing_file))
        _write(lake, source, stream, load_date, f"{run_id}-{n}.parquet", table)

    if not extra:
        put(
            "customers",
            "customers",
            CUSTOMERS,
            CUSTOMER_ROWS,
            1,
            f"customers/customers_{day_tag}.csv",
        )
        put("orders", "orders", ORDERS, ORDER_ROWS, 2, f"orders/orders_{day_tag}.csv")
        put(
            "orders",
            "order_items",
            ORDER_ITEMS,
            ORDER_ITEM_ROWS,
            3,
            f"orders/order_items_{day_tag}.csv",
        )
        put("catalog", "products", PRODUCTS, PRODUCT_ROWS, 4, f"catalog/products_{day_tag}.json")
        put(
            "clickstream",
            "events",
            EVENTS,
            EVENT_ROWS[:11],
            5,
            f"clickstream/{day_tag}/events_10.jsonl",
        )
        put(
            "clickstream",
            "events",
            EVENTS,
            EVENT_ROWS[11:],
            5,
            f"clickstream/{day_tag}/events_22.jsonl",
            n=2,
        )
        put(
            "market",
            "indicators",
            INDICATORS,
            INDICATOR_ROWS,
            6,
            f"market/indicators_{day_tag}.csv",
        )
        put(
            "logistics",
            "shipments",
            SHIPMENTS,
            SHIPMENT_ROWS,
            7,
            f"logistics/shipments_{day_tag}.csv",
        )
        put("fleet", "vehicles", VEHICLES, VEHICLE_ROWS, 8, f"fleet/vehicles_{day_tag}.csv")
        return

    put(
        "customers",
        "customers",
        CUSTOMERS,
        EXTRA_CUSTOMER_ROWS,
        1,
        f"customers/customers_{day_tag}.csv",
    )
    put("orders", "orders", ORDERS, EXTRA_ORDER_ROWS, 2, f"orders/orders_{day_tag}.csv")
    put(
        "orders",
        "orders",
        [*ORDERS, ("coupon_code", pa.string())],
        DRIFTED_ORDER_ROWS,
        2,
        f"orders/orders_{day_tag}_promo.csv",
        n=2,
    )
    put(
        "orders",
        "order_items",
        ORDER_ITEMS,
        EXTRA_ORDER_ITEM_ROWS,
        3,
        f"orders/order_items_{day_tag}.csv",
    )
    put("catalog", "products", PRODUCTS, EXTRA_PRODUCT_ROWS, 4, f"catalog/products_{day_tag}.json")
    put(
        "clickstream",
        "events",
        EVENTS,
        EXTRA_EVENT_ROWS,
        5,
        f"clickstream/{day_tag}/events_23.jsonl",
    )
    put(
        "market",
        "indicators",
        INDICATORS,
        EXTRA_INDICATOR_ROWS,
        6,
        f"market/indicators_{day_tag}.csv",
    )
    put(
        "logistics",
        "shipments",
        SHIPMENTS,
        EXTRA_SHIPMENT_ROWS,
        7,
        f"logistics/shipments_{day_tag}.csv",
    )
    put("fleet", "vehicles", VEHICLES, EXTRA_VEHICLE_ROWS, 8, f"fleet/vehicles_{day_tag}.csv")

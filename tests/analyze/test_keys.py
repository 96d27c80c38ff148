"""Keys on constructed files: a measure is no key, a composite key is found when no column alone is one (and only
the minimal sets), a column with a few repeated values is an almost-key with its duplicates counted, and files
whose headers list the same columns in another order are read by name."""

from __future__ import annotations

import itertools

from data_stack.analyze import analyze

from .conftest import write_csv


def test_a_unique_fractional_number_is_not_a_key(data_dir, settings):
    rows = [[n, f"{n + 0.25:.2f}", n * 3] for n in range(1, 41)]
    path = write_csv(data_dir / "landing" / "shop" / "prices.csv", ["sku_id", "price", "units"], rows)
    profile = analyze(str(path), settings)
    assert all(column.distinct == 40 for column in profile.columns)
    assert profile.key_candidates == ["sku_id", "units"]  # a whole number unique on every row may be an id
    assert profile.composite_keys == []  # not looked for when a single column is a key


def test_the_minimal_composite_keys(data_dir, settings):
    days = [f"2026-01-{day:02d}" for day in range(1, 11)]
    regions, channels = ["east", "west", "north"], ["web", "shop"]
    rows = [
        [day, region, channel, index % 7, f"{index * 1.5:.1f}"]
        for index, (day, region, channel) in enumerate(itertools.product(days, regions, channels))
    ]
    header = ["order_date", "region", "channel", "order_count", "revenue"]
    path = write_csv(data_dir / "landing" / "sales" / "daily.csv", header, rows)
    profile = analyze(str(path), settings)
    assert profile.rows == 60 and profile.key_candidates == []
    # (order_date, region, channel) and no superset of it; the count and the revenue are measures, not keys
    assert profile.composite_keys == [["order_date", "region", "channel"]]
    assert profile.keys_shown() == "(order_date, region, channel)"


def test_a_composite_key_beyond_the_sample(data_dir, settings):
    """More rows than the sample: a set unique in the sample is checked on every row."""
    rows = [[customer, day, (customer + day) % 4] for customer in range(3000) for day in range(10)]
    rows.append([5, 3, 1])  # (customer_id, day_number) repeated, with another code: only the three are a key
    path = write_csv(data_dir / "landing" / "crm" / "visits.csv", ["customer_id", "day_number", "visit_code"], rows)
    profile = analyze(str(path), settings)
    assert profile.rows == 30_001
    assert profile.composite_keys == [["customer_id", "day_number", "visit_code"]]
    rows.pop()
    write_csv(path, ["customer_id", "day_number", "visit_code"], rows)
    assert analyze(str(path), settings).composite_keys == [["customer_id", "day_number"]]


def test_an_almost_key_counts_its_duplicates(data_dir, settings):
    rows = [[n, f"c{n % 97}", n * 2] for n in range(1, 201)] + [[7, "c7", 1], [8, "c8", 2], [8, "c8", 3]]
    path = write_csv(data_dir / "landing" / "shop" / "orders.csv", ["order_id", "customer", "total"], rows)
    profile = analyze(str(path), settings)
    order_id = profile.column("order_id")
    assert not order_id.is_key_candidate
    assert order_id.duplicates == {"values": 2, "rows": 5}  # 7 twice, 8 three times
    assert profile.column("customer").duplicates is None  # 97 values in 203 rows: not nearly unique
    assert profile.column("total").duplicates is None  # a measure, not an identifier
    assert profile.near_keys_shown() == "order_id (2 duplicated values in 5 rows)"


def test_files_with_reordered_headers_are_read_by_name(data_dir, settings):
    folder = data_dir / "landing" / "shop"
    write_csv(folder / "sales_1.csv", ["sale_id", "region"], [[1, "east"], [2, "west"]])
    write_csv(folder / "sales_2.csv.gz", ["region", "sale_id"], [["north", 3]])
    profile = analyze(str(folder / "sales_*"), settings)
    assert any("headers differ" in note for note in profile.notes)
    assert profile.column("sale_id").max == 3 and profile.column("region").accepted is None
    assert profile.column("sale_id").unparseable == 0  # "north" did not land under sale_id

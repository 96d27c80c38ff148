"""What `--source` can name: a glob of landing files (compressed too), JSON, a mart; and what it refuses."""

from __future__ import annotations

import json
import zipfile

import pytest

from data_stack.analyze import analyze
from data_stack.errors import UserError

from .conftest import build_warehouse, cli, write_csv

HEADER = ["sale_id", "region", "amount"]


def _sales(data_dir, day: int, first: int, rows: int, compression: str = ""):
    name = f"sales_2026-01-{day:02d}.csv{compression}"
    values = [[first + n, "north" if n % 2 else "south", 10 + n] for n in range(rows)]
    return write_csv(data_dir / "landing" / "shop" / name, HEADER, values)


def test_a_glob_relative_to_the_landing_folder_reads_every_file(data_dir, settings):
    _sales(data_dir, 1, 1, 2)
    _sales(data_dir, 2, 3, 3, ".gz")
    _sales(data_dir, 3, 6, 4, ".zst")
    profile = analyze("shop/sales_*", settings)
    assert profile.rows == 9
    assert len(profile.source["files"]) == 3 and profile.source["name"] == "shop/sales_*"
    assert profile.key_candidates == ["sale_id"]
    assert profile.column("sale_id").max == 9
    assert profile.contract["stream"]["pattern"] == "shop/sales_*.csv"  # what every file fits, compressed too
    assert profile.notes == []


def test_files_whose_headers_differ_are_matched_by_name(data_dir, settings):
    _sales(data_dir, 1, 1, 2)
    write_csv(
        data_dir / "landing" / "shop" / "sales_2026-01-02.csv",
        ["amount", "sale_id", "region", "coupon"],
        [[99, 3, "east", "X"]],
    )
    profile = analyze(str(data_dir / "landing" / "shop" / "*.csv"), settings)
    assert profile.rows == 3
    assert profile.column("amount").max == 99 and profile.column("coupon").nulls == 2
    assert any("headers differ" in note for note in profile.notes)


def test_json_array_and_json_lines(data_dir, settings):
    folder = data_dir / "landing" / "catalog"
    folder.mkdir()
    products = [{"product_id": n, "price": n + 0.5, "attributes": {"color": "red", "tags": ["a"]}} for n in range(1, 6)]
    (folder / "products_2026-01-01.json").write_text(json.dumps(products))
    (folder / "events_01.jsonl").write_text("".join(json.dumps({"event_id": f"e{n}", "n": n}) + "\n" for n in range(7)))
    array = analyze("catalog/products_*.json", settings)
    assert array.rows == 5 and array.key_candidates == ["product_id"]  # price is unique here, but a measure
    assert array.column("attributes").contract_type == "STRUCT(color VARCHAR, tags VARCHAR[])"
    assert array.contract["stream"]["format"] == "json"
    lines = analyze("catalog/events_*.jsonl", settings)
    assert lines.rows == 7 and lines.contract["stream"]["format"] == "jsonl"
    assert lines.contract["stream"]["name"] == "catalog__events"
    assert lines.rejected == 0 and lines.notes == []


def test_invalid_json_lines_are_skipped_with_a_note(data_dir, settings):
    path = data_dir / "landing" / "events.jsonl"
    path.write_text('{"n": 1}\n{"n": 2}\nnot json\n{"n": 3}\n')
    profile = analyze(str(path), settings)
    assert profile.column("n").max == 3 and profile.rejected is None
    assert profile.notes == ["Some records are not valid JSON: they are skipped, uncounted."]


def test_a_mart_from_the_published_warehouse(data_dir, settings):
    build_warehouse(data_dir)
    profile = analyze("marketing.orders", settings)
    assert profile.source["kind"] == "mart" and profile.rows == 120
    assert profile.key_candidates == ["order_id", "ordered_at"]
    assert profile.column("channel").accepted == ["marketplace", "mobile", "web"]  # 40 each: by name
    assert profile.column("order_total").contract_type == "DECIMAL(18,2)"
    assert profile.column("is_revenue_order").top == [{"value": False, "count": 96}, {"value": True, "count": 24}]
    assert "pattern" not in profile.contract["stream"]
    assert analyze("shipments", settings).source["name"] == "logistics.shipments"  # a table name alone


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("missing.csv", "error: No file matches missing.csv"),
        ("shop/none_*.csv", "error: No file matches shop/none_*.csv"),
        ("marketing.nothing", "error: No file or mart named marketing.nothing in the published warehouse"),
        ("ordrs", "Try orders"),
        ("orders", "error: orders is ambiguous: logistics.orders, marketing.orders. Give it as schema.table."),
        ("binary.csv", "binary.csv is binary, not CSV or JSON text"),
        ("book.csv", "book.csv is a ZIP archive (or an Excel workbook), not CSV or JSON text"),
        ("notes.txt.bz2", "is not a CSV or JSON file by its name"),
        ("empty.csv", "empty.csv is empty"),
    ],
)
def test_a_bad_source_is_one_clear_line_and_exit_1(data_dir, tmp_path, source, message):
    build_warehouse(data_dir)
    (tmp_path / "binary.csv").write_bytes(bytes(range(256)) * 8)
    with zipfile.ZipFile(tmp_path / "book.csv", "w") as archive:
        archive.writestr("sheet.xml", "<x/>")
    (tmp_path / "notes.txt.bz2").write_bytes(b"BZh91AY")
    (tmp_path / "empty.csv").write_bytes(b"")
    result = cli("analyze", "--source", source, cwd=tmp_path)
    assert result.returncode == 1, result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr and not result.stdout


def test_a_mart_without_a_published_warehouse(data_dir, tmp_path):
    result = cli("analyze", "--source", "marketing.orders", cwd=tmp_path)
    assert result.returncode == 1
    assert "there is no published warehouse at" in result.stderr and "data-stack run" in result.stderr


def test_a_folder_says_to_give_a_glob(data_dir, settings):
    (data_dir / "landing" / "shop").mkdir()
    with pytest.raises(UserError, match=r"landing/shop is a folder\. Give a file or a glob such as .*shop/\*\.csv"):
        analyze(str(data_dir / "landing" / "shop"), settings)

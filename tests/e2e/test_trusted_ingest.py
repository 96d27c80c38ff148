"""Ingestion you can trust, through the real `data-stack run`: landing files the way real exports deliver them next to
the generated demo data. Per file the ledger proves landed = loaded + quarantined with landed counted by framing;
encodings, line endings, compression, header drift and UTC offsets load right; bad values are quarantined without
blocking the publish; unrecognised, temporary and half-written files are reported; a re-delivered file is a new
version whose rows win in staging."""

from __future__ import annotations

import gzip
import os
import time
from pathlib import Path

import duckdb
import pytest
import zstandard

from .conftest import Stack

pytestmark = pytest.mark.slow

ORDERS = "order_id,customer_id,order_ts,status,channel,currency,shipping_fee"
CUSTOMERS = "customer_id,first_name,last_name,email,phone,street_address,city,region,country,signed_up_at,updated_at"

# landing path -> (content, records in it, quarantined of them)
FILES: dict[str, tuple[bytes, int, int]] = {
    # BOM, CRLF, header in other case with spaces and another column order, offsets and a naive timestamp
    "orders/orders_2026-03-01.csv": (
        (
            "\ufeff Status ,ORDER_ID,Customer_Id,order_ts,channel,currency,shipping_fee\r\n"
            "placed,910000001,1,2026-03-01T10:00:00+02:00,web,USD,1.00\r\n"
            "Shipped,910000002,1,2026-03-01T01:30:00-05:00,mobile,USD,2.00\r\n"
            "placed,910000003,1,2026-03-01 12:00:00,web,USD,3.00\r\n"
            "pending,910000004,1,2026-03-01T12:00:00Z,web,USD,4.00\r\n"  # not an accepted status
        ).encode(),
        4,
        1,
    ),
    # gzip, old-Mac line endings, an impossible date
    "orders/orders_2026-03-02.csv.gz": (
        gzip.compress(
            (
                f"{ORDERS}\r910000011,1,2026-03-02T08:00:00Z,placed,web,USD,1.00\r"
                "910000012,1,2026-02-30T08:00:00Z,placed,web,USD,1.00\r"
            ).encode()
        ),
        2,
        1,
    ),
    # zstd, semicolon delimiter, a quoted value holding the delimiter and a line break
    "orders/orders_2026-03-03.csv.zst": (
        zstandard.ZstdCompressor().compress(
            (
                f"{ORDERS.replace(',', ';')};note\n"
                '910000021;1;2026-03-03T08:00:00Z;placed;web;USD;1.00;"two; lines\nin one value"\n'
            ).encode()
        ),
        1,
        0,
    ),
    # Windows-1252 text, detected and transcoded
    "customers/customers_2026-03-01.csv": (
        (
            f"{CUSTOMERS}\n"
            "910000101,Zoë,Müller,zoe@example.com,555-0100,1 Main St,Zürich,West,US,2026-03-01T00:00:00Z,\n"
        ).encode("cp1252"),
        1,
        0,
    ),
    # UTF-16 with a byte-order mark
    "customers/customers_2026-03-02.csv": (
        (
            f"{CUSTOMERS}\r\n"
            "910000102,Åsa,Ødegård,asa@example.com,555-0101,2 Main St,Portland,West,US,2026-03-02T00:00:00Z,\r\n"
        ).encode("utf-16"),
        1,
        0,
    ),
    # JSON lines: CRLF, a blank line, a line in another encoding, an event type outside the contract
    "clickstream/2026-03-01/events_00.jsonl": (
        b'{"event_id":"t1","event_type":"page_view","event_ts":"2026-03-01T00:00:01+01:00","session_id":"s1"}\r\n'
        b"\r\n"
        b'{"event_id":"t2","event_type":"page_view","event_ts":"2026-03-01T00:00:02Z","session_id":"s\xe9"}\r\n'
        b'{"event_id":"t3","event_type":"page_vue","event_ts":"2026-03-01T00:00:03Z","session_id":"s1"}\r\n',
        3,
        2,
    ),
}
UNRECOGNISED = {"orders/README.txt": b"what the export holds", "exports/sales.xlsx": b"PK\x03\x04 workbook"}
TEMPORARY = {"orders/orders_2026-03-04.csv.part": f"{ORDERS}\n".encode()}
HALF_WRITTEN = "orders/orders_2026-03-05.csv"  # modified "now": waits for the next run


def _write(landing: Path, path: str, content: bytes) -> Path:
    target = landing / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return target


@pytest.fixture(scope="module")
def trusted(tmp_path_factory):
    stack = Stack(tmp_path_factory.mktemp("trusted"))
    stack.generate()
    landing = stack.root / "landing"
    for path, (content, _, _) in FILES.items():
        _write(landing, path, content)
    for path, content in {**UNRECOGNISED, **TEMPORARY}.items():
        _write(landing, path, content)
    half = _write(landing, HALF_WRITTEN, f"{ORDERS}\n910000031,1,2026-03-05T08:00:00Z,placed,web,USD,1.00\n".encode())
    future = time.time() + 3600  # still being written as far as any run can tell
    os.utime(half, (future, future))
    first = stack.cli("run")
    first_run = stack.runs()[0]
    # the next delivery: the half-written file is finished, and the March 1st export is sent again, corrected
    os.utime(half, (time.time() - 60, time.time() - 60))
    content = FILES["orders/orders_2026-03-01.csv"][0].replace(b"pending,910000004", b"cancelled,910000004")
    _write(landing, "orders/orders_2026-03-01.csv", content)
    second = stack.cli("run", "--json")
    return stack, first, first_run, second, stack.runs()[0]


def _files(run: dict) -> dict[str, dict]:
    return {item["path"]: item for item in run["files"]}


def test_each_file_balances_with_its_independent_count(trusted):
    _, _, run, _, _ = trusted
    files = _files(run)
    for path, (_, records, bad) in FILES.items():
        item = files[path]
        assert (item["landed"], item["quarantined"]) == (records, bad), (path, item)
        assert item["landed"] == item["loaded"] + item["quarantined"], path
    for item in files.values():
        if item["landed"] is not None:
            assert item["landed"] == item["loaded"] + item["quarantined"], item
    for name, counts in run["streams"].items():
        assert counts["landed"] == counts["loaded"] + counts["quarantined"], name


def test_real_exports_load_with_the_right_values(trusted):
    stack, _, _, _, _ = trusted
    with duckdb.connect() as conn:
        orders = dict(
            conn.execute(
                f"select order_id, order_ts from read_parquet('{stack.root}/lake/bronze/orders/orders/*/*.parquet', "
                "union_by_name = true) where order_id between 910000000 and 919999999"
            ).fetchall()
        )
        people = conn.execute(
            "select customer_id, first_name, last_name, city from read_parquet("
            f"'{stack.root}/lake/bronze/customers/customers/*/*.parquet', union_by_name = true) "
            "where customer_id > 910000000 order by 1"
        ).fetchall()
        note = conn.execute(
            f"select note from read_parquet('{stack.root}/lake/bronze/orders/orders/*/*.parquet', "
            "union_by_name = true) where order_id = 910000021"
        ).fetchone()
    # offsets become the UTC instant; a naive timestamp is UTC
    assert str(orders[910000001]) == "2026-03-01 08:00:00"
    assert str(orders[910000002]) == "2026-03-01 06:30:00"
    assert str(orders[910000003]) == "2026-03-01 12:00:00"
    assert 910000011 in orders and 910000012 not in orders and 910000021 in orders
    assert people == [
        (910000101, "Zoë", "Müller", "Zürich"),
        (910000102, "Åsa", "Ødegård", "Portland"),
    ]
    assert note == ("two; lines\nin one value",)


def test_notes_report_drift_encoding_and_delimiter(trusted):
    _, first, run, _, _ = trusted
    notes = {path: " ".join(item["notes"]) for path, item in _files(run).items()}
    assert "header names normalised" in notes["orders/orders_2026-03-01.csv"]
    assert "Windows-1252" in notes["customers/customers_2026-03-01.csv"]
    assert "UTF-16" in notes["customers/customers_2026-03-02.csv"]
    assert "delimiter ';'" in notes["orders/orders_2026-03-03.csv.zst"]
    assert "landing files to look at" in first.stdout


def test_bad_values_are_quarantined_and_the_good_rows_publish(trusted):
    stack, _, run, _, _ = trusted
    assert run["status"] == "success" and run["published"]
    with duckdb.connect() as conn:
        reasons = dict(
            conn.execute(
                f"select _source_file, string_agg(_reason, ' | ') from read_parquet("
                f"'{stack.root}/lake/quarantine/**/*.parquet', union_by_name = true) "
                f"where _run_id = ? group by 1",
                [run["run_id"]],
            ).fetchall()
        )
    assert '"pending" is not an accepted value' in reasons["orders/orders_2026-03-01.csv"]
    assert "cannot read" in reasons["orders/orders_2026-03-02.csv.gz"]
    assert "not valid UTF-8" in reasons["clickstream/2026-03-01/events_00.jsonl"]
    assert "is not an accepted value" in reasons["clickstream/2026-03-01/events_00.jsonl"]


def test_every_landing_file_is_accounted_for(trusted):
    _, first, run, _, _ = trusted
    files = _files(run)
    for path in UNRECOGNISED:
        assert files[path]["status"] == "unrecognised", path
    for path in (*TEMPORARY, HALF_WRITTEN):
        assert files[path]["status"] == "waiting", path
    assert "unrecognised" in first.stdout and "waiting" in first.stdout


def test_a_redelivered_file_is_a_new_version_and_wins_in_staging(trusted):
    stack, _, _, second, run = trusted
    files = _files(run)
    again = files["orders/orders_2026-03-01.csv"]
    assert again["version"] == 2 and "delivered again: version 2" in again["notes"]
    assert (again["landed"], again["loaded"], again["quarantined"]) == (4, 4, 0)
    assert files[HALF_WRITTEN]["status"] == "ingested"  # finished since: read by this run
    assert '"version": 2' in second.stdout
    with duckdb.connect(str(stack.current), read_only=True) as conn:
        status = conn.execute("select status from staging.stg_orders__orders where order_id = 910000004").fetchone()
        ordered = conn.execute("select count(*) from staging.stg_orders__orders where order_id = 910000001").fetchone()
    assert status == ("cancelled",)
    assert ordered == (1,)  # the first delivery's row is replaced, not doubled


def test_the_lake_side_proof_fails_naming_the_file(trusted, monkeypatch):
    """The ingest stage's check counts loaded and quarantined rows in the lake by `_source_file`: a file whose framed
    count does not match them stops the stage with its name."""
    from data_stack.errors import StageFailed
    from data_stack.ingest import accounting
    from data_stack.ingest.files import account_files, check_balance
    from data_stack.settings import Settings

    stack, _, _, _, run = trusted
    monkeypatch.setenv("DATA_DIR", str(stack.root))
    settings = Settings()
    records = account_files(settings, run["run_id"])
    check_balance(records)
    entries = accounting.state_files(settings)
    tampered = {key: dict(value) for key, value in entries.items()}
    key = next(k for k, v in tampered.items() if v.get("run_id") == run["run_id"] and v["landed"] > 0)
    tampered[key]["landed"] += 1
    monkeypatch.setattr("data_stack.ingest.files.state_files", lambda _settings: tampered)
    with pytest.raises(StageFailed, match=key[1]):
        check_balance(account_files(settings, run["run_id"]))


def test_files_younger_than_the_settle_time_wait(tmp_path):
    """LANDING_SETTLE_SECONDS reaches the tap: a file written a moment ago is left for a later run."""
    import json
    import subprocess

    from .conftest import CLI

    stack = Stack(tmp_path)
    _write(
        stack.root / "landing",
        "orders/orders_2026-03-09.csv",
        f"{ORDERS}\n1,1,2026-03-09T08:00:00Z,placed,web,USD,1.00\n".encode(),
    )
    env = stack.env | {"LANDING_SETTLE_SECONDS": "3600"}
    result = subprocess.run([CLI, "ingest", "--json"], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    (item,) = json.loads(result.stdout)["files"]
    assert (item["path"], item["status"]) == ("orders/orders_2026-03-09.csv", "waiting")

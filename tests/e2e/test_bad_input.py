"""Every kind of malformed landing file a real drop produces, through the real `data-stack ingest`:
quarantined with a reason (or refused in one line), never a traceback, and landed = loaded + quarantined."""

from __future__ import annotations

import duckdb
import pytest

from tests.meltano.landing_files import good_orders, malformed

from .conftest import Stack

pytestmark = pytest.mark.slow

KINDS = {
    "untypeable value and null required field": ("orders/orders_2026-02-01.csv", "cannot read"),
    "ragged rows (too few / too many columns)": ("orders/orders_2026-02-01.csv", "unparseable CSV record"),
    "missing required column": ("orders/orders_2026-02-02.csv", "missing required column"),
    "empty file": ("orders/orders_2026-02-03.csv", "empty file"),
    "binary file named .csv": ("orders/orders_2026-02-04.csv", "binary content"),
    "wrong encoding": ("orders/orders_2026-02-06.csv", "not valid UTF-8"),
    "broken CSV quoting": ("orders/orders_2026-02-07.csv", "unterminated quoted field"),
    "huge field": ("orders/orders_2026-02-08.csv", "longer than 2 MB"),
    "truncated or invalid JSON line": ("clickstream/2026-02-01/events_00.jsonl", "invalid JSON"),
    "JSON record that is not an object": ("clickstream/2026-02-01/events_00.jsonl", "not an object"),
    "invalid JSON document": ("catalog/products_2026-02-01.json", "not valid JSON"),
}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    stack = Stack(tmp_path_factory.mktemp("bad-input"))
    landing = stack.root / "landing"
    good_orders(landing)
    expected = malformed(landing)
    result = stack.cli("ingest", check=False)
    with duckdb.connect() as conn:
        rows = conn.execute(
            f"select _source_file, _reason from read_parquet('{stack.root}/lake/quarantine/**/*.parquet')"
        ).fetchall()
    return stack, result, expected, rows


def test_ingest_succeeds_without_traceback(ingested):
    _, result, _, _ = ingested
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_is_quarantined_with_a_reason(ingested, kind):
    _, _, _, rows = ingested
    source_file, fragment = KINDS[kind]
    reasons = [reason for path, reason in rows if path == source_file]
    assert any(fragment in reason for reason in reasons), (kind, reasons)


def test_header_only_file_is_accepted_as_empty(ingested):
    _, _, expected, rows = ingested
    assert expected["orders/orders_2026-02-05.csv"] == 0
    assert not [path for path, _ in rows if path == "orders/orders_2026-02-05.csv"]


def test_ledger_accounts_for_every_row(ingested):
    stack, _, expected, rows = ingested
    (run,) = stack.runs()
    assert run["status"] == "waiting"  # ingested; transform, check and publish are still to run
    for name, counts in run["streams"].items():
        assert counts["landed"] == counts["loaded"] + counts["quarantined"], name
    assert sum(c["quarantined"] for c in run["streams"].values()) == len(rows) == sum(expected.values())

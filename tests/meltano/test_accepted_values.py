"""Accepted values are compared ignoring case and surrounding spaces (docs/sources.md), on every read path: CSV, the
fast JSON-lines path and the per-record path. Bronze keeps the value as delivered; staging normalises it."""

from __future__ import annotations

import json

import duckdb
import pytest

from .conftest import scratch
from .landing_files import ORDERS_HEADER
from .test_direct_path import EVENT
from .test_ingest_properties import _specs

SPACED = [" page_view ", "PAGE_VIEW  ", "  Page_View"]
PATH = "clickstream/2026-03-01/events_00.jsonl"


def _read_events(lines: list[str], *, direct: bool) -> tuple[list[tuple], list[str], duckdb.DuckDBPyConnection]:
    from tap_landing.prepare import prepare
    from tap_landing.reader import read_stream

    spec = _specs()["clickstream__events"]
    data = ("\n".join(lines) + "\n").encode()
    conn = duckdb.connect()
    conn.execute("set timezone = 'UTC'")
    prepared = prepare(PATH, data, "jsonl", list(spec.columns), spec.required, None, direct=direct)
    result = read_stream(conn, spec, iter([prepared]), scratch())
    assert result.read == {PATH: len(lines)}
    good = conn.execute("select event_id, event_type from good order by event_id").fetchall()
    return good, [row[0] for row in conn.execute("select _reason from bad").fetchall()], conn


@pytest.mark.parametrize("direct", [True, False], ids=["fast path", "per-record path"])
def test_spaced_event_types_load_on_both_json_paths(direct):
    lines = [json.dumps(dict(EVENT, event_id=f"e{n}", event_type=value)) for n, value in enumerate(SPACED)]
    good, bad, conn = _read_events(lines, direct=direct)
    assert good == [(f"e{n}", value) for n, value in enumerate(SPACED)]  # as delivered: staging normalises
    assert not bad
    if direct:  # loaded by DuckDB's JSON reader, not given back to the per-record path
        assert conn.execute("select count(*) from typed").fetchone()[0] == 0  # the per-record path read nothing


@pytest.mark.parametrize("direct", [True, False], ids=["fast path", "per-record path"])
def test_a_spaced_value_outside_the_list_is_still_quarantined(direct):
    lines = [json.dumps(dict(EVENT, event_id="e1", event_type=" page_vue ")), json.dumps(EVENT)]
    good, bad, _ = _read_events(lines, direct=direct)
    assert good == [(EVENT["event_id"], EVENT["event_type"])]
    assert bad == [
        'event_type: " page_vue " is not an accepted value (session_start, page_view, product_view, add_to_cart, '
        "checkout, purchase)"
    ]


def test_spaced_values_load_from_csv():
    from tap_landing.prepare import prepare
    from tap_landing.reader import read_stream

    spec = _specs()["orders__orders"]
    data = (
        ORDERS_HEADER
        + '1,10,2026-01-01T10:00:00Z," Shipped ",WEB , usd ,4.99\n'
        + "2,10,2026-01-01T10:00:00Z, delivered,mobile,USD,4.99\n"
        + "3,10,2026-01-01T10:00:00Z, shipped-ish ,web,USD,4.99\n"
    ).encode()
    conn = duckdb.connect()
    conn.execute("set timezone = 'UTC'")
    prepared = prepare("orders/orders_2026-01-01.csv", data, "csv", list(spec.columns), spec.required, None)
    result = read_stream(conn, spec, iter([prepared]), scratch())
    good = conn.execute("select order_id, status, channel, currency from good order by order_id").fetchall()
    assert good == [(1, " Shipped ", "WEB ", " usd "), (2, " delivered", "mobile", "USD")]
    reasons = [row[0] for row in conn.execute("select _reason from bad").fetchall()]
    assert reasons == [
        'status: " shipped-ish " is not an accepted value (placed, shipped, delivered, cancelled, returned)'
    ]
    assert result.read == {"orders/orders_2026-01-01.csv": 3}

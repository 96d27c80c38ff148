"""Property: for any drop of malformed exports, every file's framed count = loaded + quarantined, no exception, and
every valid row loads with the right values (UTC instants included). The tap's reader runs in process, as it does
inside `tap-landing`; tests/e2e/test_trusted_ingest.py runs drops from the same strategy through `data-stack run`."""

from __future__ import annotations

import tempfile
from collections import Counter

import duckdb
from hypothesis import HealthCheck, given, settings

from .conftest import scratch, tap_config
from .drops import Drop, drops


def _specs():
    from tap_landing.spec import StreamSpec

    config = tap_config(tempfile.gettempdir())
    return {
        item["name"]: StreamSpec(
            name=item["name"],
            pattern=item["pattern"],
            format=item["format"],
            columns=dict(item["columns"]),
            required=list(item.get("required") or []),
            accepted=dict(item.get("accepted") or {}),
            ranges=dict(item.get("ranges") or {}),
            patterns=dict(item.get("patterns") or {}),
        )
        for item in config["streams"]
    }


def ingest(drop: Drop, stream: str, prefix: str) -> tuple[dict, dict, dict, duckdb.DuckDBPyConnection]:
    """(framed, loaded, quarantined) per file for one stream, and the connection holding `good` and `bad`."""
    from tap_landing.prepare import prepare
    from tap_landing.reader import read_stream

    spec = _specs()[stream]
    conn = duckdb.connect()
    conn.execute("set timezone = 'UTC'")
    paths = sorted(path for path in drop.files if path.startswith(prefix))
    prepared = [prepare(path, drop.files[path], spec.format, list(spec.columns), spec.required, None) for path in paths]
    result = read_stream(conn, spec, iter(prepared), scratch())
    framed = {item.relpath: item.landed for item in prepared}
    return framed, result.loaded, result.quarantined, conn


STREAMS = (  # stream, its landing folder, the query of its good rows keyed like the drop's truth
    ("orders__orders", "orders/", "select order_id, customer_id, order_ts, lower(status) from good", "orders"),
    ("clickstream__events", "clickstream/", "select event_id, event_type, event_ts from good", "events"),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(drops())
def test_every_record_is_loaded_or_quarantined(drop: Drop):
    for stream, prefix, query, truth in STREAMS:
        framed, loaded, quarantined, conn = ingest(drop, stream, prefix)
        for path in framed:
            assert framed[path] == drop.records[path], path
            assert loaded.get(path, 0) + quarantined.get(path, 0) == framed[path], path
            assert quarantined.get(path, 0) == drop.bad[path], (path, conn.sql("select * from bad").fetchall())
        rows = conn.execute(query).fetchall()
        assert {row[0]: row[1:] for row in rows} == getattr(drop, truth)
        assert not [key for key, n in Counter(row[0] for row in rows).items() if n > 1]
        assert conn.execute("select count(*) from bad where _reason is null or _reason = ''").fetchone()[0] == 0


def test_a_column_beyond_the_contract_in_a_header_without_rows_is_no_error():
    """A header-only CSV naming a column the contract does not (found by the property above): no row and no error,
    alone or beside another file's rows."""
    header = b"order_id,customer_id,order_ts,status,channel,currency,shipping_fee"
    row = b"\n1,7,2026-03-01T10:00:00Z,placed,web,USD,4.99"
    alone = Drop({"orders/orders_2026-03-01.csv": header + b",note"}, {"orders/orders_2026-03-01.csv": 0}, {}, {}, {})
    framed, loaded, quarantined, _ = ingest(alone, "orders__orders", "orders/")
    assert (framed, loaded, quarantined) == ({"orders/orders_2026-03-01.csv": 0}, {}, {})
    files = {"orders/orders_2026-03-01.csv": header + b",note", "orders/orders_2026-03-02.csv": header + row}
    mixed = Drop(files, {path: 0 for path in files}, {}, {}, {})
    _, loaded, quarantined, conn = ingest(mixed, "orders__orders", "orders/")
    assert (loaded, quarantined) == ({"orders/orders_2026-03-02.csv": 1}, {})
    assert conn.execute("select order_id from good").fetchall() == [(1,)]


def test_a_file_whose_counts_differ_stops_the_stream_naming_it(tmp_path):
    """The tap's own proof: were the typed reader ever to lose a record, the stream stops before emitting anything."""
    import pytest
    from tap_landing.files import LandingFile
    from tap_landing.prepare import prepare
    from tap_landing.reader import read_stream
    from tap_landing.streams import AccountingError, _check_accounting

    spec = _specs()["orders__orders"]
    content = b"order_id,customer_id,order_ts,status\n1,1,2026-03-01T00:00:00Z,placed\n"
    prepared = prepare("orders/orders_2026-03-01.csv", content, "csv", list(spec.columns), spec.required, None)
    conn = duckdb.connect()
    result = read_stream(conn, spec, iter([prepared]), str(tmp_path))
    item = LandingFile(str(tmp_path / "x"), "orders/orders_2026-03-01.csv")
    _check_accounting([(item, prepared)], result)  # 1 framed, 1 loaded
    prepared.landed = 2  # a record the reader did not return
    with pytest.raises(AccountingError, match=r"orders/orders_2026-03-01.csv: 2 record\(s\) framed but 1 read"):
        _check_accounting([(item, prepared)], result)

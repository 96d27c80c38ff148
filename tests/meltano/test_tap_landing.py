"""tap-landing: BATCH and RECORD output, Singer state, and quarantine of every malformed kind."""

from __future__ import annotations

import duckdb
import pytest

from .conftest import last_state, run_plugin, tap_config
from .landing_files import good_orders, malformed


def _batches(messages: list[dict], stream: str) -> list[str]:
    return [uri for m in messages if m["type"] == "BATCH" and m["stream"] == stream for uri in m["manifest"]]


def _count(uris: list[str], where: str = "true") -> int:
    if not uris:
        return 0
    paths = [uri.removeprefix("file://") for uri in uris]
    return duckdb.sql(f"select count(*) from read_parquet({paths}) where {where}").fetchone()[0]


def test_batch_mode_writes_typed_parquet(tmp_path):
    landing = tmp_path / "landing"
    good_orders(landing)
    messages = run_plugin("tap_landing.tap", tap_config(landing, batch_root=tmp_path / "batches"), tmp_path)
    assert not [m for m in messages if m["type"] == "RECORD"]  # no per-record path
    (uri,) = _batches(messages, "orders__orders")
    path = uri.removeprefix("file://")
    types = dict(duckdb.sql(f"select column_name, column_type from (describe select * from '{path}')").fetchall())
    assert types["order_id"] == "BIGINT" and types["order_ts"] == "TIMESTAMP"
    assert types["shipping_fee"] == "DECIMAL(10,2)" and types["_source_file"] == "VARCHAR"
    assert duckdb.sql(f"select list(_source_file) from '{path}'").fetchone()[0] == ["orders/orders_2026-01-01.csv"] * 3
    # final bronze: the lineage columns are written by the tap, target-lake moves the file as it is
    assert list(types)[-3:] == ["_source_file", "_loaded_at", "_run_id"]
    assert duckdb.sql(f"select distinct _run_id from '{path}'").fetchall() == [("test-run",)]
    files = last_state(messages)["bookmarks"]["orders__orders"]["files"]
    assert files["orders/orders_2026-01-01.csv"]["landed"] == 3
    assert files["orders/orders_2026-01-01.csv"]["run_id"] == "test-run"


def test_record_mode_emits_the_same_rows(tmp_path):
    landing = tmp_path / "landing"
    good_orders(landing)
    messages = run_plugin("tap_landing.tap", tap_config(landing), tmp_path)
    records = [m["record"] for m in messages if m["type"] == "RECORD" and m["stream"] == "orders__orders"]
    assert [r["order_id"] for r in records] == [1, 2, 3]
    assert records[0]["_source_file"] == "orders/orders_2026-01-01.csv"


def test_state_skips_ingested_files_and_picks_up_new_ones(tmp_path):
    landing = tmp_path / "landing"
    good_orders(landing)
    config = tap_config(landing, batch_root=tmp_path / "batches")
    first = run_plugin("tap_landing.tap", config, tmp_path)
    state = last_state(first)
    again = run_plugin("tap_landing.tap", config, tmp_path, state=state)
    assert not [m for m in again if m["type"] == "BATCH"]
    good_orders(landing, day="2026-01-02", first_id=10, rows=2)
    third = run_plugin("tap_landing.tap", config, tmp_path, state=last_state(again))
    (uri,) = _batches(third, "orders__orders")
    assert _count([uri]) == 2
    files = last_state(third)["bookmarks"]["orders__orders"]["files"]
    assert set(files) == {"orders/orders_2026-01-01.csv", "orders/orders_2026-01-02.csv"}


@pytest.mark.parametrize("mode", ["batch", "record"])
def test_every_malformed_kind_is_quarantined_with_a_reason(tmp_path, mode):
    landing = tmp_path / "landing"
    expected = malformed(landing)
    config = tap_config(landing, batch_root=tmp_path / "batches" if mode == "batch" else None)
    messages = run_plugin("tap_landing.tap", config, tmp_path)
    if mode == "batch":
        paths = [u.removeprefix("file://") for u in _batches(messages, "_quarantine")]
        rows = duckdb.sql(
            f"select _source_file, _reason, decode(value) from read_parquet({paths}) as q inner join "
            f"parquet_kv_metadata({paths}) as kv on kv.file_name = q.filename and decode(kv.key) = 'data_stack.stream'"
        ).fetchall()
    else:
        rows = [
            (m["record"]["_source_file"], m["record"]["_reason"], m["record"]["_stream"])
            for m in messages
            if m["type"] == "RECORD" and m["stream"] == "_quarantine"
        ]
    per_file: dict[str, int] = {}
    for source_file, reason, _stream in rows:
        assert reason and "\n" not in reason
        per_file[source_file] = per_file.get(source_file, 0) + 1
    assert {k: v for k, v in expected.items() if v} == per_file
    reasons = " | ".join(r for _, r, _ in rows)
    for fragment in (
        "cannot read",
        "required column customer_id is null",
        "unparseable CSV record",
        "missing required column",
        "empty file",
        "invalid JSON",
        "not an object",
    ):
        assert fragment in reasons, fragment
    # landed = loaded + quarantined, per file, from the state
    bookmarks = last_state(messages)["bookmarks"]
    landed = {path: info["landed"] for b in bookmarks.values() for path, info in b.get("files", {}).items()}
    if mode == "batch":
        loaded = {}
        for stream in ("orders__orders", "clickstream__events", "catalog__products"):
            for uri in _batches(messages, stream):
                for source_file, n in duckdb.sql(
                    f"select _source_file, count(*) from '{uri.removeprefix('file://')}' group by 1"
                ).fetchall():
                    loaded[source_file] = loaded.get(source_file, 0) + n
    else:
        loaded = {}
        for m in messages:
            if m["type"] == "RECORD" and m["stream"] != "_quarantine":
                loaded[m["record"]["_source_file"]] = loaded.get(m["record"]["_source_file"], 0) + 1
    for path, count in landed.items():
        assert count == loaded.get(path, 0) + per_file.get(path, 0), path
    assert landed["orders/orders_2026-02-01.csv"] == 5


def test_drifted_file_keeps_the_extra_column(tmp_path):
    landing = tmp_path / "landing"
    good_orders(landing)
    drifted = landing / "orders/orders_2026-01-02.csv"
    drifted.write_text(
        "order_id,status,order_ts,customer_id,channel,currency,shipping_fee,coupon_code\n"
        "50,placed,2026-01-02T10:00:00Z,7,web,USD,0.00,SPRING10\n"
    )
    messages = run_plugin("tap_landing.tap", tap_config(landing, batch_root=tmp_path / "b"), tmp_path)
    paths = [uri.removeprefix("file://") for uri in _batches(messages, "orders__orders")]
    rows = duckdb.sql(
        f"select order_id, customer_id, coupon_code from read_parquet({paths}, union_by_name = true) order by order_id"
    ).fetchall()
    assert rows[-1] == (50, 7, "SPRING10")
    assert rows[0][2] is None


def test_unknown_landing_folder_is_not_a_crash(tmp_path):
    messages = run_plugin(
        "tap_landing.tap",
        tap_config(tmp_path / "nothing-here", batch_root=tmp_path / "b"),
        tmp_path,
    )
    assert not [m for m in messages if m["type"] == "BATCH"]

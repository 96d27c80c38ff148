"""target-lake: bronze and quarantine layout from BATCH files and RECORD messages; never overwrites."""

from __future__ import annotations

import json

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from .conftest import run_plugin

SCHEMA = {
    "type": "SCHEMA",
    "stream": "orders__orders",
    "key_properties": [],
    "schema": {
        "type": "object",
        "properties": {"order_id": {"type": ["integer"]}, "_source_file": {"type": ["string"]}},
    },
}
Q_SCHEMA = {
    "type": "SCHEMA",
    "stream": "_quarantine",
    "key_properties": [],
    "schema": {
        "type": "object",
        "properties": {"_stream": {"type": ["string"]}, "_reason": {"type": ["string"]}},
    },
}


def _messages(*items: dict) -> str:
    return "".join(json.dumps(item) + "\n" for item in items)


def test_batch_files_land_in_bronze_with_lineage_and_are_consumed(tmp_path):
    batch = tmp_path / "batch.parquet"
    pq.write_table(pa.table({"order_id": [1, 2, 3], "_source_file": ["orders/a.csv"] * 3}), batch)
    qbatch = tmp_path / "q.parquet"
    pq.write_table(
        pa.table(
            {
                "_stream": ["orders__orders"],
                "_source_file": ["orders/a.csv"],
                "_row_number": [4],
                "_reason": ["bad"],
                "_raw": ["x"],
            }
        ),
        qbatch,
    )
    stdin = _messages(
        Q_SCHEMA,
        SCHEMA,
        {
            "type": "BATCH",
            "stream": "_quarantine",
            "encoding": {"format": "parquet"},
            "manifest": [f"file://{qbatch}"],
        },
        {
            "type": "BATCH",
            "stream": "orders__orders",
            "encoding": {"format": "parquet"},
            "manifest": [f"file://{batch}"],
        },
        {
            "type": "STATE",
            "value": {"bookmarks": {"orders__orders": {"files": {"orders/a.csv": {"landed": 4}}}}},
        },
    )
    lake = tmp_path / "lake"
    out = run_plugin("target_lake.target", {"lake_uri": str(lake), "run_id": "r42"}, tmp_path, stdin=stdin)
    (bronze,) = lake.glob("bronze/orders/orders/load_date=*/r42-1.parquet")
    rows = duckdb.sql(f"select order_id, _source_file, _run_id, _loaded_at from '{bronze}' order by 1").fetchall()
    assert [r[0] for r in rows] == [1, 2, 3]
    assert {r[2] for r in rows} == {"r42"} and all(r[3] is not None for r in rows)
    (quarantine,) = lake.glob("quarantine/orders/orders/load_date=*/r42-1.parquet")
    assert duckdb.sql(f"select _reason, _row_number, _run_id from '{quarantine}'").fetchall() == [("bad", 4, "r42")]
    assert not batch.exists() and not qbatch.exists()
    assert out[-1]["bookmarks"]["orders__orders"]["files"]["orders/a.csv"]["landed"] == 4  # state passed on
    assert not list(lake.rglob("*.tmp"))


def test_record_messages_are_buffered_into_parquet_and_never_overwrite(tmp_path):
    lake = tmp_path / "lake"
    records = [
        {
            "type": "RECORD",
            "stream": "orders__orders",
            "record": {"order_id": i, "_source_file": "f"},
        }
        for i in range(5)
    ]
    for _ in range(2):
        run_plugin(
            "target_lake.target",
            {"lake_uri": str(lake), "run_id": "r1"},
            tmp_path,
            stdin=_messages(SCHEMA, *records),
        )
    files = sorted(p.name for p in lake.glob("bronze/orders/orders/load_date=*/*.parquet"))
    assert files == ["r1-1.parquet", "r1-2.parquet"]
    total = duckdb.sql(f"select count(*) from '{lake}/bronze/orders/orders/*/*.parquet'").fetchone()[0]
    assert total == 10

"""The per-record JSON path: framed records (JSON lines, array elements) go to DuckDB as text, in batches, and are
parsed and typed there, each row with its `_reason` (empty when good)."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from tap_landing.prepare import Prepared
from tap_landing.spec import StreamSpec
from tap_landing.typed import typed_select


class JsonBuffer:
    """JSON records of many small files go to DuckDB in batches: one insert per file costs more than its rows."""

    ROWS = 200_000

    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self.conn = conn
        self.files: list[str] = []
        self.numbers: list[int] = []
        self.lines: list[str] = []
        conn.execute("create or replace temp table raw_json (_source_file varchar, _row_number bigint, line varchar)")

    def add(self, item: Prepared) -> None:
        self.files += [item.relpath] * len(item.records)
        self.numbers += [number for number, _ in item.records]
        self.lines += [line for _, line in item.records]
        item.records = []
        if len(self.lines) >= self.ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.lines:
            return
        batch = pa.table(  # noqa: F841 - read by DuckDB's replacement scan
            {
                "_source_file": pa.array(self.files, pa.string()),
                "_row_number": pa.array(self.numbers, pa.int64()),
                "line": pa.array(self.lines, pa.string()),
            }
        )
        self.conn.execute("insert into raw_json select * from batch")
        self.files, self.numbers, self.lines = [], [], []


def json_select(spec: StreamSpec) -> str:
    """The typed rows of `raw_json`."""
    source = (
        "(select *, case when json_valid(line) and json_type(try_cast(line as json)) = 'OBJECT' "
        "then line end as rec from raw_json)"
    )
    return typed_select(spec, source, None, [], "line", row_number="_row_number")

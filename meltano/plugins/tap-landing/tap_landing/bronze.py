"""The tap writes each batch as the final bronze (or quarantine) Parquet file, lineage columns included, so
target-lake only validates it and moves it into the lake's layout (ADR 0022).

Every file carries `_loaded_at` and `_run_id` as its last columns, and the same facts, with the stream it belongs
to, in its key-value metadata: the target reads those from the footer without scanning a row.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from tap_landing.spec import literal

STREAM_KEY, RUN_KEY, LOADED_KEY = "data_stack.stream", "data_stack.run_id", "data_stack.loaded_at"


@dataclass(frozen=True)
class Lineage:
    run_id: str
    loaded_at: datetime  # naive UTC, as `_loaded_at` holds it

    @classmethod
    def now(cls, run_id: str | None) -> Lineage:
        loaded_at = datetime.now(UTC).replace(tzinfo=None)
        return cls(run_id or loaded_at.strftime("%Y%m%dT%H%M%SZ"), loaded_at)

    @property
    def stamp(self) -> str:
        return self.loaded_at.strftime("%Y-%m-%d %H:%M:%S.%f")

    def columns_sql(self) -> str:
        return f"timestamp '{self.stamp}' as _loaded_at, {literal(self.run_id)} as _run_id"


def write(conn: duckdb.DuckDBPyConnection, select: str, path: str, lineage: Lineage, stream: str) -> int:
    """One statement: `select` plus the lineage columns to the Parquet file `path` (replaced whole). Returns its
    rows."""
    metadata = {STREAM_KEY: stream, RUN_KEY: lineage.run_id, LOADED_KEY: lineage.stamp}
    kv = "{" + ", ".join(f"{literal(key)}: {literal(value)}" for key, value in metadata.items()) + "}"
    temp = path + ".tmp"
    rows = conn.execute(
        f"copy (select *, {lineage.columns_sql()} from ({select})) to {literal(temp)} "
        f"(format parquet, compression zstd, kv_metadata {kv})"
    ).fetchone()[0]
    os.replace(temp, path)
    return rows

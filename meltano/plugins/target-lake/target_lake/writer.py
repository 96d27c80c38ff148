"""Write Parquet into the lake with DuckDB: temp file, then atomic rename (readers never see partial files)."""

from __future__ import annotations

import os
from datetime import datetime

import duckdb

from target_lake.layout import next_file, partition_dir


def land(
    conn: duckdb.DuckDBPyConnection,
    relation: str,
    *,
    lake_uri: str,
    zone: str,
    stream_name: str,
    run_id: str,
    loaded_at: datetime,
) -> tuple[str, int]:
    """Copy `relation` (a SQL relation) to the lake adding `_loaded_at` and `_run_id`. Returns (path, rows)."""
    directory = partition_dir(lake_uri, zone, stream_name, loaded_at)
    final = next_file(directory, run_id)
    temp = final + ".tmp"
    stamp = loaded_at.strftime("%Y-%m-%d %H:%M:%S.%f")
    rows = conn.execute(f"select count(*) from {relation}").fetchone()[0]
    conn.execute(
        f"copy (select *, timestamp '{stamp}' as _loaded_at, '{run_id}' as _run_id from {relation}) "
        f"to '{temp}' (format parquet, compression zstd)"
    )
    os.replace(temp, final)
    return final, rows

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
    on_s3 = directory.startswith("s3://")
    if not on_s3:
        os.makedirs(directory, exist_ok=True)
    taken = {row[0] for row in conn.execute("select file from glob(?)", [f"{directory}/*.parquet"]).fetchall()}
    final = next_file(directory, run_id, taken)
    # Local: write a temp file and rename, so readers never see a partial file. S3: a PUT is atomic already.
    temp = final if on_s3 else final + ".tmp"
    stamp = loaded_at.strftime("%Y-%m-%d %H:%M:%S.%f")
    rows = conn.execute(f"select count(*) from {relation}").fetchone()[0]
    conn.execute(
        f"copy (select *, timestamp '{stamp}' as _loaded_at, '{run_id}' as _run_id from {relation}) "
        f"to '{temp}' (format parquet, compression zstd)"
    )
    if not on_s3:
        os.replace(temp, final)
    return final, rows

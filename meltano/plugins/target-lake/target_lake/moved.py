"""BATCH files the tap wrote as final bronze or quarantine Parquet (lineage included, ADR 0022) are validated and
moved into the lake's layout as they are: renamed on a local lake, PUT byte for byte on s3://.

A file qualifies when its footer names the stream, the run and the load time, and its columns end with the lineage
columns. One of another run is rewritten with this run's lineage, and a file without that footer (another tap's
batch) with lineage added, by writer.py.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow.parquet as pq

from target_lake.layout import next_file, partition_dir

STREAM_KEY, RUN_KEY, LOADED_KEY = b"data_stack.stream", b"data_stack.run_id", b"data_stack.loaded_at"
LINEAGE = ["_loaded_at", "_run_id"]


class InvalidBatch(ValueError):
    """A final file that cannot be moved as it is: its columns or lineage are not what the stream needs."""


@dataclass(frozen=True)
class Final:
    path: str
    stream: str  # the data stream it belongs to (also for quarantine files)
    run_id: str
    loaded_at: datetime
    rows: int  # from the Parquet footer


def final_file(path: str) -> Final | None:
    """The file's facts from its footer when the tap wrote it final, else None."""
    metadata = pq.read_metadata(path)
    kv = metadata.metadata or {}
    if not all(key in kv for key in (STREAM_KEY, RUN_KEY, LOADED_KEY)):
        return None
    names = metadata.schema.to_arrow_schema().names
    if names[-2:] != LINEAGE:
        raise InvalidBatch(f"{path}: the lineage columns {LINEAGE} are not its last columns ({names[-3:]})")
    stream, run_id, loaded_at = (kv[key].decode() for key in (STREAM_KEY, RUN_KEY, LOADED_KEY))
    return Final(path, stream, run_id, datetime.fromisoformat(loaded_at), metadata.num_rows)


def check_columns(final: Final, expected: list[str]) -> None:
    """Every column of the stream's Singer schema is in the file (schema drift may add more)."""
    names = set(pq.read_schema(final.path).names)
    missing = [name for name in expected if name not in names]
    if missing:
        raise InvalidBatch(f"{final.path}: column(s) {', '.join(missing)} of stream {final.stream} are missing")


def move(conn: duckdb.DuckDBPyConnection, final: Final, *, lake_uri: str, zone: str, run_id: str) -> str:
    """Into `<lake>/<zone>/<source>/<stream>/load_date=.../<run_id>-<n>.parquet`, never over another file."""
    directory = partition_dir(lake_uri, zone, final.stream, final.loaded_at)
    taken = {row[0] for row in conn.execute("select file from glob(?)", [f"{directory}/*.parquet"]).fetchall()}
    target = next_file(directory, run_id, taken)
    if directory.startswith("s3://"):  # one PUT of the same bytes: atomic on S3
        conn.execute(
            "copy (select content from read_blob(?)) to '" + target.replace("'", "''") + "' (format blob)", [final.path]
        )
        os.remove(final.path)
        return target
    os.makedirs(directory, exist_ok=True)
    temp = target + ".tmp"  # a rename within the lake's file system: readers never see a partial file
    shutil.move(final.path, temp)
    os.replace(temp, target)
    return target

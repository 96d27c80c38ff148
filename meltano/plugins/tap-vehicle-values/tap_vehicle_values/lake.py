"""The lake from the tap's side (a folder or s3://, through DuckDB): list files, write a file atomically.

Values are inlined as SQL literals and rows pass through a JSON-lines temp file: DuckDB's first bound parameter or
registered Python object in a process probes the environment for dataframe libraries, which can cost seconds."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime

import duckdb
from duckdb_s3 import enable_s3


def connect(lake_uri: str) -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect()
    conn.execute("set timezone = 'UTC'")
    if lake_uri.startswith("s3://"):
        enable_s3(conn)
    return conn


def is_local(uri: str) -> bool:
    return "://" not in uri or uri.startswith("file://")


def local_path(uri: str) -> str:
    return uri.removeprefix("file://")


def glob(conn: duckdb.DuckDBPyConnection, pattern: str) -> list[str]:
    return [row[0] for row in conn.execute(f"select file from glob({literal(pattern)}) order by file").fetchall()]


def literal(value: str | list[str] | datetime) -> str:
    """A SQL literal (strings are quoted, lists and timestamps spelled out)."""
    if isinstance(value, list):
        return "[" + ", ".join(literal(item) for item in value) + "]"
    if isinstance(value, datetime):
        return f"timestamp '{value.isoformat(sep=' ')}'"
    return "'" + value.replace("'", "''") + "'"


def write_rows(
    conn: duckdb.DuckDBPyConnection, uri: str, rows: list[dict], columns: dict[str, str], file_format: str
) -> None:
    """Write `rows` to `uri` as parquet or json (lines), typed by `columns` (name: DuckDB type). Locally via a temp
    file and a rename, so readers never see a partial file; on S3 a PUT is atomic already."""
    with tempfile.TemporaryDirectory(prefix="tap-vehicle-values-") as tmp:
        source = os.path.join(tmp, "rows.jsonl")
        with open(source, "w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, default=str) + "\n")
        types = "{" + ", ".join(f"{literal(name)}: {literal(sql_type)}" for name, sql_type in columns.items()) + "}"
        select = f"select * from read_json({literal(source)}, format = 'newline_delimited', columns = {types})"
        if is_local(uri):
            path = local_path(uri)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            conn.execute(f"copy ({select}) to {literal(path + '.tmp')} (format {file_format})")
            os.replace(f"{path}.tmp", path)
        else:
            conn.execute(f"copy ({select}) to {literal(uri)} (format {file_format})")


def remove(uri: str) -> None:
    """Delete a local file; objects on S3 are left to a lifecycle rule on the prefix."""
    if is_local(uri):
        os.remove(local_path(uri))

"""Put the source where the profile reads it: landing files copied into a scratch table, a mart attached read-only.

CSV is read with every column as text: the profile infers the types itself and counts the values that do not fit,
where DuckDB's sniffer would settle on VARCHAR for a whole column because of one bad value.
"""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from data_stack.analyze.sources import Source
from data_stack.analyze.sql import ident, literal
from data_stack.errors import UserError

TABLE = "source_rows"
NULL_TOKENS = ("", "NULL", "null", "\\N")  # what tap-landing reads as null (docs/sources.md)
REJECT_EXAMPLES = 5
RECORD_CHARS = 200
BUFFER_BYTES = 4 * 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


@dataclass(frozen=True)
class Loaded:
    relation: str  # what the profile selects from
    rejected: int | None = None  # records DuckDB could not read; None when they were not counted
    rejected_examples: list[dict[str, object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def load(conn: duckdb.DuckDBPyConnection, source: Source) -> Loaded:
    if source.kind == "mart":
        conn.execute(f"attach {literal(str(source.database))} as published (read_only)")
        return Loaded(f"published.{ident(source.schema or '')}.{ident(source.table or '')}")
    files = "[" + ", ".join(literal(str(path)) for path in source.files) + "]"
    try:
        if source.format == "csv":
            return _csv(conn, files, source.files)
        return _json(conn, files, source.format or "json")
    except duckdb.Error as exc:
        reason = str(exc).strip().splitlines()[0]
        raise UserError(
            f"DuckDB cannot read {source.label} as {source.format}: {reason}",
            "Check the file, or analyze its files one at a time to find the bad one",
        ) from exc


def _csv(conn: duckdb.DuckDBPyConnection, files: str, paths: list[Path]) -> Loaded:
    nulls = "[" + ", ".join(literal(token) for token in NULL_TOKENS) + "]"
    # 4 MB read buffers (the default is 32 MB per thread) leave room under a small memory limit.
    options = f"header = true, all_varchar = true, nullstr = {nulls}, buffer_size = {BUFFER_BYTES}"
    if len(paths) > 1 and _headers_differ(conn, paths):
        # DuckDB counts unreadable records only when it reads the files by position, not by name.
        by_name = f"{options}, union_by_name = true, ignore_errors = true"
        conn.execute(f"create table {TABLE} as select * from read_csv({files}, {by_name})")
        note = "The files' headers differ: columns are matched by name; unreadable records are skipped uncounted."
        return Loaded(TABLE, notes=[note])
    conn.execute(f"create table {TABLE} as select * from read_csv({files}, {options}, store_rejects = true)")
    rejected = conn.execute("select count(distinct (scan_id, file_id, line)) from reject_errors").fetchone()
    examples = conn.execute(
        f"""
        select any_value(scans.file_path), errors.line, string_agg(distinct errors.error_type::varchar, ', '),
            left(any_value(errors.csv_line), {RECORD_CHARS})
        from reject_errors as errors
        inner join reject_scans as scans on scans.scan_id = errors.scan_id and scans.file_id = errors.file_id
        group by errors.scan_id, errors.file_id, errors.line
        order by 1, 2
        limit {REJECT_EXAMPLES}
        """
    ).fetchall()
    return Loaded(
        TABLE,
        rejected=int(rejected[0]) if rejected else 0,
        rejected_examples=[
            {"file": file, "line": int(line), "error": error.lower(), "record": record}
            for file, line, error, record in examples
        ],
    )


def _headers_differ(conn: duckdb.DuckDBPyConnection, paths: list[Path]) -> bool:
    """Whether any file's header names other columns, or the same in another order, than the first file's: then
    reading by position would put values under the wrong names. The delimiter is DuckDB's guess on the first file;
    each header is read by Python, which is much faster than DuckDB sniffing every file of a large glob."""
    row = conn.execute(f"select Delimiter from sniff_csv({literal(str(paths[0]))})").fetchone()
    delimiter = row[0] if row and len(row[0]) == 1 else ","
    first = _header(conn, paths[0], delimiter)
    return any(_header(conn, path, delimiter) != first for path in paths[1:])


def _header(conn: duckdb.DuckDBPyConnection, path: Path, delimiter: str) -> list[str]:
    with path.open("rb") as raw:
        magic = raw.read(4)
    if magic == ZSTD_MAGIC:  # no zstd reader in the standard library: DuckDB reads the names
        described = conn.execute(f"describe select * from read_csv({literal(str(path))}, all_varchar = true)")
        return [row[0] for row in described.fetchall()]
    with gzip.open(path, "rb") if magic.startswith(GZIP_MAGIC) else path.open("rb") as handle:
        line = handle.readline(1024 * 1024).decode("utf-8", errors="replace").removeprefix("\ufeff")
    return next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter), [])


def _json(conn: duckdb.DuckDBPyConnection, files: str, fmt: str) -> Loaded:
    # Every record is looked at for the schema (sample_size = -1): a late record of another shape cannot fail the load.
    options = f"format = '{'newline_delimited' if fmt == 'jsonl' else 'auto'}', union_by_name = true, sample_size = -1"
    try:
        conn.execute(f"create table {TABLE} as select * from read_json({files}, {options})")
        return Loaded(TABLE, rejected=0)  # read strictly: every record was valid JSON
    except duckdb.InvalidInputException:
        conn.execute(f"create table {TABLE} as select * from read_json({files}, {options}, ignore_errors = true)")
        return Loaded(TABLE, notes=["Some records are not valid JSON: they are skipped, uncounted."])

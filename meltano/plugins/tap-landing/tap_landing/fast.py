"""The fast path: a batch of plain files (plain.py) typed, checked and written as final bronze Parquet by one
DuckDB statement, with DuckDB's own parallel readers.

JSON lines: `read_json` gives each contract column as the text of its value (a nested column as its JSON), exactly
what the per-record path extracts from a parsed line. CSV (one header per batch): `read_csv` gives every column as
text, exactly what the per-record path reads from its copy. The statement keeps only the good rows: it asks one
boolean per row and builds no reason. A file whose good rows differ from its landed count (a broken row, a line the
reader saw otherwise) or that the reader refuses goes back to the per-record path (reader.py), which builds the
reasons.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from tap_landing.bronze import Lineage, write
from tap_landing.checks import NESTED
from tap_landing.plain import MAX_LINE_BYTES
from tap_landing.spec import StreamSpec, literal
from tap_landing.typed import good_select

FILES = "__files__"  # where a reader's list of files goes


@dataclass
class Member:
    path: str  # what DuckDB reads: the landing file itself, or a copy of it
    relpath: str
    landed: int


@dataclass
class Written:
    path: str | None  # None when the reader refused every file
    loaded: dict[str, int]  # relpath -> good rows in the file
    refused: list[str]  # relpaths the reader refused: none of their rows is in the file


def write_batch(
    conn: duckdb.DuckDBPyConnection,
    spec: StreamSpec,
    members: list[Member],
    header: list[str] | None,
    extras: list[str],
    path: str,
    lineage: Lineage,
) -> Written:
    """`header`: the CSV header the batch's files share (None for JSON lines)."""
    conn.execute(
        "create or replace temp table fast_files as select * from (values "
        + ", ".join("(?, ?)" for _ in members)
        + ") as t(copy, relpath)",
        [value for member in members for value in (member.path, member.relpath)],
    )
    reader = _json_reader(spec) if header is None else _csv_reader(header)
    names = list(spec.columns) if header is None else header

    def select(copies: list[str]) -> str:
        files = "[" + ", ".join(literal(copy) for copy in copies) + "]"
        source = (
            f"(select t.*, f.relpath as _source_file from {reader.replace(FILES, files)} as t "
            "inner join fast_files as f on f.copy = t._copy)"
        )
        return good_select(spec, source, names, extras)

    conn.execute("set preserve_insertion_order = false")  # 2-3x faster over many files; row order is not data
    try:
        refused = _write_readable(conn, select, [member.path for member in members], path, lineage, spec.name)
    finally:
        conn.execute("set preserve_insertion_order = true")
    conn.execute("drop table fast_files")
    by_path = {member.path: member.relpath for member in members}
    if len(refused) == len(members):
        return Written(None, {}, [by_path[copy] for copy in refused])
    loaded = dict(
        conn.execute(f"select _source_file, count(*) from read_parquet({literal(path)}) group by 1").fetchall()
    )
    return Written(path, loaded, [by_path[copy] for copy in refused])


def _write_readable(conn, select, copies: list[str], path: str, lineage: Lineage, stream: str) -> list[str]:
    """Every copy in one statement. When the reader refuses one, the copy its error names is set aside and the rest
    written again; an error naming none has each copy tried on its own first. Returns the refused copies."""
    refused: list[str] = []
    remaining = list(copies)
    while remaining:
        try:
            write(conn, select(remaining), path, lineage, stream)
            return refused
        except duckdb.Error as error:
            named = [copy for copy in remaining if f'"{copy}"' in str(error) or f"'{copy}'" in str(error)]
            if len(named) != 1:
                break
            refused += named
            remaining.remove(named[0])
    for copy in list(remaining):
        try:
            conn.execute(f"select count(*) from ({select([copy])})").fetchone()
        except duckdb.Error:
            refused.append(copy)
            remaining.remove(copy)
    if remaining:
        write(conn, select(remaining), path, lineage, stream)
    return refused


def _json_reader(spec: StreamSpec) -> str:
    types = ", ".join(f"{literal(name)}: {literal(_text_type(kind))}" for name, kind in spec.columns.items())
    return (
        f"read_json({FILES}, format = 'newline_delimited', columns = {{{types}}}, filename = '_copy', "
        f"maximum_object_size = {2 * MAX_LINE_BYTES})"
    )


def _csv_reader(header: list[str]) -> str:
    types = ", ".join(f"{literal(name)}: 'VARCHAR'" for name in header)
    return (
        f"read_csv({FILES}, header = true, columns = {{{types}}}, delim = ',', quote = '\"', escape = '\"', "
        f"filename = '_copy', max_line_size = {2 * MAX_LINE_BYTES}, auto_detect = false)"
    )


def _text_type(sql_type: str) -> str:
    kind = sql_type.strip().upper()
    return "JSON" if kind.startswith(NESTED) or kind.endswith("[]") else "VARCHAR"

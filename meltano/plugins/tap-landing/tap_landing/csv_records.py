"""The per-record CSV path: each prepared file as a normalised copy (UTF-8, `\\n` line breaks, the normalised
header, each record prefixed with its record number) read by DuckDB's CSV reader as text, with its rejects; files
sharing a header are read together. Rows come out with a `_reason` (empty when good), lines DuckDB cannot split
land in `bad` with theirs."""

from __future__ import annotations

import csv
import io

import duckdb

from tap_landing.framing import csv_records
from tap_landing.prepare import Prepared
from tap_landing.spec import StreamSpec, one_line, q
from tap_landing.typed import typed_select

MAX_LINE_BYTES = 10_000_000  # above prepare.MAX_RECORD_CHARS in UTF-8, so DuckDB never refuses a kept record


def write_copy(path: str, item: Prepared) -> None:
    """UTF-8, `\\n` line breaks, the normalised header, and each record prefixed with its record number."""
    header = io.StringIO()
    csv.writer(header, delimiter=item.delimiter, lineterminator="\n").writerow(["_row_number", *item.header])
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(header.getvalue())
        handle.write("\n".join(f"{number}{item.delimiter}{record}" for number, record in item.records))
        handle.write("\n")
    item.records = []  # the copy holds them now


def read_groups(conn: duckdb.DuckDBPyConnection, spec: StreamSpec, groups, extras: list[str]) -> list[str]:
    """Files with one header are read together; a group DuckDB cannot read is read file by file. Returns a select
    per table read."""
    selects: list[str] = []
    for index, (header, members) in enumerate(groups.items()):
        table = f"csv_group_{index}"
        try:
            _read(conn, spec, table, list(header), members, extras)
            selects.append(f"select * from {table}")
        except duckdb.Error:
            for number, member in enumerate(members):
                single = f"{table}_{number}"
                try:
                    _read(conn, spec, single, list(header), [member], extras)
                except duckdb.Error as error:
                    _reject_copy(conn, member, f"unreadable CSV file: {one_line(error)}")
                    continue
                selects.append(f"select * from {single}")
    return selects


def _read(conn, spec: StreamSpec, table: str, header: list[str], members, extras: list[str]) -> None:
    """DuckDB parses the copies as text; lines it cannot split into the header's columns land in its rejects."""
    delimiter = _delimiter_of(members[0][0])
    names = ["_row_number", *header]
    types = ", ".join("'" + name.replace("'", "''") + "': 'VARCHAR'" for name in names)
    conn.execute(
        f"create or replace temp table {table}_files as select * from (values "
        + ", ".join("(?, ?)" for _ in members)
        + ") as t(copy, relpath)",
        [value for member in members for value in member],
    )
    conn.execute(
        f"create or replace temp table {table}_text as "
        f"select * from read_csv(?, header = true, columns = {{{types}}}, delim = ?, quote = '\"', escape = '\"', "
        f"filename = '_copy', max_line_size = {MAX_LINE_BYTES}, store_rejects = true, "
        f"rejects_table = '{table}_rejects', rejects_scan = '{table}_scans')",
        [[copy for copy, _ in members], delimiter],
    )
    raw = "to_json(struct_pack(" + ", ".join(f"{q(c)} := {q(c)}" for c in header) + "))::varchar"
    conn.execute(
        f"create or replace temp table {table} as "
        + typed_select(
            spec,
            f"(select t.*, f.relpath as _source_file, t._row_number::bigint as _rn from {table}_text as t "
            f"inner join {table}_files as f on f.copy = t._copy)",
            header,
            extras,
            raw,
            row_number="_rn",
        )
    )
    # one row per rejected line (a line can carry several errors: keep the first), the record number from its prefix
    conn.execute(
        "insert into bad select f.relpath, try_cast(split_part(any_value(errors.csv_line), ?, 1) as bigint), "
        "left('unparseable CSV record: ' || arg_min(errors.error_type::varchar || ': ' "
        "|| regexp_replace(errors.error_message, '\\s+', ' ', 'g'), errors.column_idx), 300), "
        "left(regexp_replace(any_value(errors.csv_line), '^[0-9]+' || ?, ''), 10000) "
        f"from {table}_rejects as errors inner join {table}_scans as scans "
        "on scans.scan_id = errors.scan_id and scans.file_id = errors.file_id "
        f"inner join {table}_files as f on f.copy = scans.file_path "
        "group by f.relpath, errors.line",
        [delimiter, _regex_escape(delimiter)],
    )
    conn.execute(f"drop table if exists {table}_rejects; drop table if exists {table}_scans; drop table {table}_text")


def _reject_copy(conn: duckdb.DuckDBPyConnection, member: tuple[str, str], reason: str) -> None:
    """Quarantine every record of a copy DuckDB could not read at all, one row each (the count stays exact)."""
    copy, relpath = member
    delimiter = _delimiter_of(copy)
    with open(copy, encoding="utf-8", newline="") as handle:
        text = handle.read()
    rows = []
    for record in csv_records(text, delimiter).records[1:]:
        number, _, rest = record.partition(delimiter)
        rows.append((relpath, int(number), reason, rest[:10000]))
    if rows:
        conn.executemany("insert into bad values (?, ?, ?, ?)", rows)


def _delimiter_of(copy: str) -> str:
    with open(copy, encoding="utf-8") as handle:
        return handle.read(len("_row_number") + 1)[-1]


def _regex_escape(text: str) -> str:
    return "\\" + text if text in "|.^$*+?()[]{}\\" else text

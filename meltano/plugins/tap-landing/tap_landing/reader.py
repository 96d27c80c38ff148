"""Read one stream's new landing files with DuckDB into two temp tables: `good` (typed) and `bad` (quarantine).

Nothing is parsed row by row in Python. Every record read is counted per file (`landed`), and ends either in
`good` or in `bad` with a one-line `_reason`.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field

import duckdb

from tap_landing.files import LandingFile, relative

QUARANTINE_COLUMNS = "_source_file varchar, _row_number bigint, _reason varchar, _raw varchar"
NESTED = ("STRUCT", "MAP")


@dataclass
class StreamSpec:
    name: str
    pattern: str
    format: str  # csv | jsonl | json
    columns: dict[str, str]
    required: list[str] = field(default_factory=list)


@dataclass
class ReadResult:
    landed: dict[str, int]  # relpath -> records read
    extra_columns: list[str]


def read_stream(conn: duckdb.DuckDBPyConnection, spec: StreamSpec, files: list[LandingFile], root: str) -> ReadResult:
    conn.execute(f"create or replace temp table bad ({QUARANTINE_COLUMNS})")
    if spec.format == "csv":
        raw_tables, extras = _load_csv(conn, spec, files, root)
    else:
        raw_tables, extras = _load_json(conn, spec, files, root), []
    typed = [_typed_select(spec, table, columns, extras) for table, columns in raw_tables]
    if typed:
        conn.execute("create or replace temp table typed as " + " union all by name ".join(typed))
    else:
        columns = ", ".join(
            [f'null::{t} as "{c}"' for c, t in spec.columns.items()] + [f'null::varchar as "{c}"' for c in extras]
        )
        conn.execute(
            f"create or replace temp table typed as select {columns}, null::varchar as _source_file, "
            "null::bigint as _row_number, '' as _reason, null::varchar as _raw where false"
        )
    conn.execute("insert into bad select _source_file, _row_number, _reason, _raw from typed where _reason <> ''")
    ordered = [f'"{name}"' for name in spec.columns] + [f'"{name}"' for name in extras] + ["_source_file"]
    conn.execute(f"create or replace temp table good as select {', '.join(ordered)} from typed where _reason = ''")
    landed: dict[str, int] = defaultdict(int)
    for table in ("good", "bad"):
        for relpath, count in conn.execute(f"select _source_file, count(*) from {table} group by 1").fetchall():
            landed[relpath] += count
    for item in files:
        landed.setdefault(item.relpath, 0)
    return ReadResult(dict(landed), extras)


def _reject_file(conn: duckdb.DuckDBPyConnection, item: LandingFile, reason: str, *, has_header: bool = False) -> None:
    """Quarantine a whole file. Its lines (after the header) are the records when it is readable text;
    otherwise the file is one record."""
    first = 2 if has_header else 1
    try:
        inserted = conn.execute(
            f"insert into bad select ?, n - {first - 1}, ?, left(line, 10000) from ({_LINES_SQL}) "
            f"where trim(line) <> '' and n >= {first}",
            [item.relpath, reason, [item.uri]],
        ).fetchone()[0]
    except duckdb.Error:
        inserted = 0
    if not inserted:
        conn.execute("insert into bad values (?, null, ?, null)", [item.relpath, reason])


_LINES_SQL = (
    "select filename, unnest(string_split(replace(content, chr(13), ''), chr(10))) as line, "
    "generate_subscripts(string_split(replace(content, chr(13), ''), chr(10)), 1) as n from read_text(?)"
)


def _one_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0][:300] if str(error).strip() else type(error).__name__


def _load_csv(conn, spec: StreamSpec, files: list[LandingFile], root: str):
    groups: dict[tuple[str, ...], list[LandingFile]] = defaultdict(list)
    for item in files:
        try:
            header = _csv_header(conn, item.uri)
        except (duckdb.Error, OSError, UnicodeDecodeError, csv.Error) as error:
            _reject_file(conn, item, f"unreadable CSV file: {_one_line(error)}")
            continue
        if not header:
            _reject_file(conn, item, "empty file or no header row")
            continue
        missing = [name for name in spec.required if name not in header]
        if missing:
            _reject_file(
                conn,
                item,
                f"file is missing required column(s): {', '.join(missing)}",
                has_header=True,
            )
            continue
        groups[tuple(header)].append(item)
    tables, extras = [], []
    for index, (header, members) in enumerate(groups.items()):
        table = f"raw_csv_{index}"
        try:
            _read_csv_group(conn, table, members)
        except duckdb.Error:
            # one bad file must not sink the others: read them one by one
            for item in members:
                single = f"{table}_{abs(hash(item.relpath))}"
                try:
                    _read_csv_group(conn, single, [item])
                except duckdb.Error as error:
                    _reject_file(conn, item, f"unreadable CSV file: {_one_line(error)}")
                    continue
                tables.append((single, list(header)))
            continue
        tables.append((table, list(header)))
        extras += [name for name in header if name not in spec.columns and name not in extras]
    for _table, header in tables:
        extras += [name for name in header if name not in spec.columns and name not in extras]
    by_uri = {item.uri: item.relpath for item in files}
    _ = root
    return [(_with_relpath(conn, table, by_uri), header) for table, header in tables], extras


def _csv_header(conn: duckdb.DuckDBPyConnection, uri: str) -> list[str]:
    """The header row, read directly (DuckDB's sniffer per file costs ~150 ms; this costs microseconds)."""
    if "://" in uri:
        text = conn.execute("select content from read_text(?)", [uri]).fetchone()[0]
        first = text.split("\n", 1)[0]
    else:
        with open(uri, "rb") as handle:
            first = handle.readline(1_000_000).decode("utf-8")
    if "\x00" in first:
        raise UnicodeDecodeError("utf-8", b"", 0, 1, "binary content (NUL bytes)")
    rows = list(csv.reader(io.StringIO(first.strip("\r\n\ufeff"))))
    return [name.strip() for name in rows[0]] if rows and any(rows[0]) else []


def _read_csv_group(conn, table: str, members: list[LandingFile]) -> None:
    uris = [item.uri for item in members]
    conn.execute(
        f"create or replace temp table {table} as select * from read_csv(?, all_varchar = true, header = true, "
        "filename = '_filename', store_rejects = true, rejects_table = 'csv_rejects', "
        "rejects_scan = 'csv_reject_scans')",
        [uris],
    )
    by_uri = {item.uri: item.relpath for item in members}
    rejects = conn.execute(
        "select scans.file_path, errors.line, any_value(errors.error_type::varchar || ': ' "
        "|| errors.error_message), any_value(errors.csv_line) "
        "from csv_rejects as errors inner join csv_reject_scans as scans "
        "on scans.scan_id = errors.scan_id and scans.file_id = errors.file_id "
        "group by all order by all"
    ).fetchall()
    if rejects:
        conn.executemany(
            "insert into bad values (?, ?, ?, ?)",
            [
                (
                    by_uri.get(path, path),
                    line,
                    f"unparseable CSV line: {' '.join(reason.split())}"[:300],
                    raw,
                )
                for path, line, reason, raw in rejects
            ],
        )
    conn.execute("drop table if exists csv_rejects; drop table if exists csv_reject_scans")


def _with_relpath(conn, table: str, by_uri: dict[str, str]) -> str:
    mapping = " ".join(
        f"when '{uri.replace(chr(39), chr(39) * 2)}' then '{rel.replace(chr(39), chr(39) * 2)}'"
        for uri, rel in by_uri.items()
    )
    conn.execute(
        f"create or replace temp table {table}_r as select *, case _filename {mapping} end as _source_file, "
        f"null::bigint as _row_number from {table}"
    )
    conn.execute(f"drop table {table}")
    return f"{table}_r"


def _load_json(conn, spec: StreamSpec, files: list[LandingFile], root: str):
    conn.execute("create or replace temp table raw_json (_source_file varchar, _row_number bigint, line varchar)")
    conn.execute("create or replace temp table json_files (uri varchar, relpath varchar)")
    conn.executemany("insert into json_files values (?, ?)", [(item.uri, item.relpath) for item in files])
    try:
        conn.execute(
            "create or replace temp table json_text as select filename, content from read_text(?)",
            [[item.uri for item in files]],
        )
    except duckdb.Error:
        # an unreadable file (binary, bad encoding) must not sink the others: read them one by one
        conn.execute("create or replace temp table json_text (filename varchar, content varchar)")
        for item in files:
            try:
                conn.execute("insert into json_text select filename, content from read_text(?)", [item.uri])
            except duckdb.Error as error:
                _reject_file(conn, item, f"unreadable file: {_one_line(error)}")
    for (uri,) in conn.execute("select filename from json_text where trim(content) = ''").fetchall():
        _reject_file(conn, next(item for item in files if item.uri == uri), "empty file")
    if spec.format == "jsonl":
        conn.execute(
            "insert into raw_json select f.relpath, n, line from (select filename, "
            "unnest(string_split(replace(content, chr(13), ''), chr(10))) as line, "
            "generate_subscripts(string_split(replace(content, chr(13), ''), chr(10)), 1) as n "
            "from json_text where trim(content) <> '') as l inner join json_files as f on f.uri = l.filename "
            "where trim(line) <> ''"
        )
        return [("raw_json", None)]
    checks = conn.execute(
        "select filename, json_valid(content), json_type(try_cast(content as json)) from json_text "
        "where trim(content) <> ''"
    ).fetchall()
    by_uri = {item.uri: item for item in files}
    for uri, valid, kind in checks:
        if not valid or kind != "ARRAY":
            reason = "not valid JSON" if not valid else f"top-level JSON is {kind}, expected an ARRAY of objects"
            _reject_file(conn, by_uri[uri], reason)
            continue
        conn.execute(
            "insert into raw_json select ?, n, element::varchar from (select unnest(elements) as element, "
            "generate_subscripts(elements, 1) as n from (select json_extract(content::json, '$[*]') as elements "
            "from json_text where filename = ?))",
            [by_uri[uri].relpath, uri],
        )
    _ = root
    return [("raw_json", None)]


def _typed_select(spec: StreamSpec, table: str, header: list[str] | None, extras: list[str]) -> str:
    """SQL turning raw text into typed columns plus `_reason` (empty when the row is good) and `_raw`."""
    selects, reasons = [], []
    for name, sql_type in spec.columns.items():
        kind = sql_type.upper()
        if header is None:  # JSON: extract from the record (null when the line is not a JSON object)
            nested = kind.startswith(NESTED) or kind.endswith("[]")
            source = f"json_extract{'' if nested else '_string'}(rec, '$.\"{name}\"')"
        elif name in header:
            source = f'"{name}"'
        else:
            source = "null::varchar"
        typed = _cast(source, kind, sql_type)
        selects.append(f'{typed} as "{name}"')
        if name in spec.required:
            reasons.append(f"case when {source} is null then 'required column {name} is null' end")
        reasons.append(
            f"case when {source} is not null and {typed} is null then "
            f"'{name}: cannot read \"' || left({source}::varchar, 80) || '\" as {sql_type}' end"
        )
    for name in extras:
        in_file = header is not None and name in header
        selects.append(f'"{name}"::varchar as "{name}"' if in_file else f'null::varchar as "{name}"')
    reason = "concat_ws('; ', " + ", ".join(reasons) + ")"
    if header is None:
        reason = (
            "case when rec is not null then " + reason + " when json_valid(line) "
            "then 'JSON record is not an object' else 'invalid JSON' end"
        )
        source_table = (
            "(select *, case when json_valid(line) and json_type(try_cast(line as json)) = 'OBJECT' "
            f"then line end as rec from {table})"
        )
        raw = "line"
    else:
        source_table = table
        raw = "to_json(struct_pack(" + ", ".join(f'"{c}" := "{c}"' for c in header) + "))::varchar"
    return (
        f"select {', '.join(selects)}, _source_file, _row_number, {reason} as _reason, {raw} as _raw "
        f"from {source_table}"
    )


def _cast(source: str, kind: str, sql_type: str) -> str:
    if kind == "TIMESTAMP":
        return f"(try_cast({source} as timestamptz) at time zone 'UTC')"
    if kind == "BOOLEAN":
        return f"try_cast({source} as boolean)"
    return f"try_cast({source} as {sql_type})"


def relpath_of(root: str, uri: str) -> str:
    return relative(root, uri)

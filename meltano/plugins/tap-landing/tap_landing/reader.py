"""Read one stream's new landing files into two DuckDB temp tables: `good` (typed) and `bad` (quarantine).

Each file is prepared on its own (prepare.py: decoded, framed, header normalised) and handed to DuckDB: a CSV file as
a normalised copy read by DuckDB's CSV reader, a plain JSON-lines file as it is to DuckDB's JSON reader (direct.py,
which gives back any file it cannot load whole), other JSON records as text that DuckDB parses. DuckDB types every
value (checks.py). Every record ends in `good` or in `bad` with a one-line `_reason`; per file, `read` counts them so
the tap can hold it against the framing count (`landed`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from tap_landing.checks import NESTED, Rules, reasons_sql, typed_sql, value_sql
from tap_landing.direct import read_direct
from tap_landing.prepare import Prepared, prepare

QUARANTINE_COLUMNS = "_source_file varchar, _row_number bigint, _reason varchar, _raw varchar"
MAX_LINE_BYTES = 10_000_000  # above prepare.MAX_RECORD_CHARS in UTF-8, so DuckDB never refuses a kept record


@dataclass
class StreamSpec:
    name: str
    pattern: str
    format: str  # csv | jsonl | json
    columns: dict[str, str]
    required: list[str] = field(default_factory=list)
    accepted: dict[str, list[str]] = field(default_factory=dict)
    ranges: dict[str, list[float]] = field(default_factory=dict)
    patterns: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None

    @property
    def rules(self) -> Rules:
        return Rules(self.required, self.accepted, self.ranges, self.patterns)


@dataclass
class ReadResult:
    read: dict[str, int]  # relpath -> records in good + bad
    loaded: dict[str, int]
    quarantined: dict[str, int]
    extra_columns: list[str]


def read_stream(
    conn: duckdb.DuckDBPyConnection,
    spec: StreamSpec,
    prepared: Iterable[Prepared],
    scratch: str,
    on_file: Callable[[Prepared], None] = lambda item: None,
) -> ReadResult:
    """`prepared` yields one prepared file at a time; its records are handed to DuckDB before the next is made."""
    conn.execute(f"create or replace temp table bad ({QUARANTINE_COLUMNS})")
    conn.execute("create or replace temp table raw_json (_source_file varchar, _row_number bigint, line varchar)")
    groups: dict[tuple[str, ...], list[tuple[str, str]]] = defaultdict(list)  # CSV header -> (copy, relpath)
    pending = _JsonBuffer(conn)
    direct: dict[str, tuple[str, Prepared]] = {}  # relpath -> (copy, item) of plain JSON-lines files
    for number, item in enumerate(prepared):
        _insert_rejected(conn, item)
        if item.content is not None:
            path = item.location or os.path.join(scratch, f"{spec.name}-{number}.jsonl")
            if item.location is None:
                with open(path, "wb") as handle:
                    handle.write(item.content)
            item.content = None  # the file (or its copy) holds it
            direct[item.relpath] = (path, item)
        elif item.records and spec.format == "csv":
            copy = os.path.join(scratch, f"{spec.name}-{number}.csv")
            _write_copy(copy, item)
            groups[tuple(item.header)].append((copy, item.relpath))
        elif item.records:
            pending.add(item)
        on_file(item)
    if direct:
        back = _read_direct(conn, spec, direct)
        for path, item in direct.values():
            if item.stamp is not None and stamp(path) != item.stamp:
                raise LandingFileChanged(item.relpath)
        for relpath in back:
            _per_record(conn, spec, *direct[relpath], pending)
    pending.flush()
    extras: list[str] = []
    for header in groups:
        extras += [name for name in header if name not in spec.columns and name not in extras]
    selects = _read_csv_groups(conn, spec, groups, extras) if spec.format == "csv" else [_json_select(spec)]
    selects += ["select * from direct_typed"] if direct else []
    conn.execute("create or replace temp table typed as " + " union all by name ".join(selects or [_empty(spec)]))
    conn.execute("insert into bad select _source_file, _row_number, _reason, _raw from typed where _reason <> ''")
    ordered = [_q(name) for name in spec.columns] + [_q(name) for name in extras] + ["_source_file"]
    conn.execute(f"create or replace temp view good as select {', '.join(ordered)} from typed where _reason = ''")
    loaded = dict(conn.execute("select _source_file, count(*) from good group by 1").fetchall())
    quarantined = dict(conn.execute("select _source_file, count(*) from bad group by 1").fetchall())
    read = {path: loaded.get(path, 0) + quarantined.get(path, 0) for path in set(loaded) | set(quarantined)}
    return ReadResult(read, loaded, quarantined, extras)


def _read_direct(conn: duckdb.DuckDBPyConnection, spec: StreamSpec, direct: dict[str, tuple[str, Prepared]]):
    """Plain JSON-lines files through DuckDB's JSON reader into `direct_typed`; returns those it gives back."""
    members = [(copy, relpath, item.landed) for relpath, (copy, item) in direct.items()]
    columns = list(spec.columns)
    return read_direct(
        conn,
        spec.columns,
        members,
        lambda source: _typed_select(spec, source, columns, [], "null::varchar", row_number="_rn"),
    )


class LandingFileChanged(RuntimeError):
    """A landing file was rewritten while the tap read it: what was read is not one version of the file."""

    def __init__(self, relpath: str) -> None:
        super().__init__(
            f"{relpath} changed while it was being read; nothing of this stream was ingested. Run again: the file "
            "is read anew once it has settled"
        )


def stamp(path: str) -> tuple[int, int]:
    """A local file's size and modification time (ns): equal before and after a read, it was not rewritten (nor
    replaced by a link: `lstat` describes the link itself)."""
    info = os.lstat(path)
    return info.st_size, info.st_mtime_ns


def _per_record(conn: duckdb.DuckDBPyConnection, spec: StreamSpec, path: str, item: Prepared, pending) -> None:
    """A file the fast path gave back: framed and read record by record, with record numbers and reasons."""
    with open(path, "rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != item.sha256:
        raise LandingFileChanged(item.relpath)
    framed = prepare(item.relpath, data, spec.format, list(spec.columns), spec.required, spec.encoding, direct=False)
    item.landed, item.records, item.rejected = framed.landed, framed.records, framed.rejected
    item.encoding, item.compression, item.warnings = framed.encoding, framed.compression, framed.warnings
    _insert_rejected(conn, item)
    if item.records:
        pending.add(item)


def _insert_rejected(conn: duckdb.DuckDBPyConnection, item: Prepared) -> None:
    if item.rejected:
        conn.executemany(
            "insert into bad values (?, ?, ?, ?)",
            [(item.relpath, row.row, row.reason, row.raw) for row in item.rejected],
        )


def _write_copy(path: str, item: Prepared) -> None:
    """UTF-8, `\\n` line breaks, the normalised header, and each record prefixed with its record number."""
    header = io.StringIO()
    csv.writer(header, delimiter=item.delimiter, lineterminator="\n").writerow(["_row_number", *item.header])
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(header.getvalue())
        handle.write("\n".join(f"{number}{item.delimiter}{record}" for number, record in item.records))
        handle.write("\n")
    item.records = []  # the copy holds them now


class _JsonBuffer:
    """JSON records of many small files go to DuckDB in batches: one insert per file costs more than its rows."""

    ROWS = 200_000

    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self.conn = conn
        self.files: list[str] = []
        self.numbers: list[int] = []
        self.lines: list[str] = []

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


def _read_csv_groups(conn, spec: StreamSpec, groups, extras: list[str]) -> list[str]:
    """Files with one header are read together; a group DuckDB cannot read is read file by file."""
    selects: list[str] = []
    for index, (header, members) in enumerate(groups.items()):
        table = f"csv_group_{index}"
        try:
            _read_csv(conn, spec, table, list(header), members, extras)
            selects.append(f"select * from {table}")
        except duckdb.Error:
            for number, member in enumerate(members):
                single = f"{table}_{number}"
                try:
                    _read_csv(conn, spec, single, list(header), [member], extras)
                except duckdb.Error as error:
                    _reject_copy(conn, member, f"unreadable CSV file: {_one_line(error)}")
                    continue
                selects.append(f"select * from {single}")
    return selects


def _read_csv(conn, spec: StreamSpec, table: str, header: list[str], members, extras: list[str]) -> None:
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
    raw = "to_json(struct_pack(" + ", ".join(f"{_q(c)} := {_q(c)}" for c in header) + "))::varchar"
    conn.execute(
        f"create or replace temp table {table} as "
        + _typed_select(
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
    from tap_landing.framing import csv_records

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


def _json_select(spec: StreamSpec) -> str:
    source = (
        "(select *, case when json_valid(line) and json_type(try_cast(line as json)) = 'OBJECT' "
        "then line end as rec from raw_json)"
    )
    return _typed_select(spec, source, None, [], "line", row_number="_row_number")


def _typed_select(
    spec: StreamSpec, table: str, header: list[str] | None, extras: list[str], raw: str, *, row_number: str
) -> str:
    """SQL turning text into typed columns plus `_reason` (empty when the row is good) and `_raw`. Layered so every
    column's source text, value and typed value is computed once per row, however many rules read it."""
    sources, values, typed, reasons, outputs = [], [], [], [], []
    paths: dict[bool, list[str]] = {False: [], True: []}  # JSON paths of text and of nested columns
    for index, (name, sql_type) in enumerate(spec.columns.items()):
        kind = sql_type.upper()
        if header is None:  # JSON: from the record, parsed once for all columns (null when not a JSON object)
            nested = kind.startswith(NESTED) or kind.endswith("[]")
            paths[nested].append("'$.\"" + name.replace("'", "''") + "\"'")
            source = f"{'__nested' if nested else '__text'}[{len(paths[nested])}]"
        elif name in header:
            source = _q(name)
        else:
            source = "null::varchar"
        s, v, t = f'"__s{index}"', f'"__v{index}"', f'"__t{index}"'
        sources.append(f"{source} as {s}")
        values.append(f"{value_sql(sql_type, s)} as {v}")
        typed.append(f"{typed_sql(sql_type, v)} as {t}")
        reasons += reasons_sql(name, sql_type, s, v, t, spec.rules)
        outputs.append(f"{t} as {_q(name)}")
    for name in extras:
        in_file = header is not None and name in header
        outputs.append(f"{_q(name)}::varchar as {_q(name)}" if in_file else f"null::varchar as {_q(name)}")
    reason = "concat_ws('; ', " + ", ".join(reasons) + ")"
    if header is None:
        reason = (
            "case when rec is not null then " + reason + " when json_valid(line) "
            "then 'JSON record is not an object' else 'invalid JSON' end"
        )
    if header is None:
        extracted = [f"json_extract_string(rec, [{', '.join(paths[False])}]) as __text"] if paths[False] else []
        extracted += [f"json_extract(rec, [{', '.join(paths[True])}]) as __nested"] if paths[True] else []
        table = f"(select *, {', '.join(extracted)} from {table})" if extracted else table
    layered = f"(select *, {', '.join(sources)} from {table})"
    layered = f"(select *, {', '.join(values)} from {layered})"
    layered = f"(select *, {', '.join(typed)} from {layered})"
    layered = f"(select *, {reason} as _reason from {layered})"
    return (
        f"select {', '.join(outputs)}, _source_file, {row_number} as _row_number, _reason, "
        f"case when _reason <> '' then left({raw}, 10000) end as _raw from {layered}"
    )


def _empty(spec: StreamSpec) -> str:
    columns = ", ".join(f"null::{t} as {_q(c)}" for c, t in spec.columns.items())
    return (
        f"select {columns}, null::varchar as _source_file, null::bigint as _row_number, '' as _reason, "
        "null::varchar as _raw where false"
    )


def _q(name: str) -> str:
    """A column name from a file's header as a SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _one_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0][:300] if str(error).strip() else type(error).__name__

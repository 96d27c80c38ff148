"""The fast path for clean JSON-lines files: DuckDB's JSON reader reads them as they are, in parallel.

A file takes this path only when its bytes alone show it is plain: uncompressed UTF-8 that starts with an object,
with no control bytes (no `\\r`, NUL or form feed), no blank lines and no line longer than a record may be. Its
landed count is then its number of lines, counted on the bytes (`record_count`), independent of any JSON parser.

DuckDB reads every such file with `read_json`: each contract column as the text of its value (a nested column as
its JSON), which is exactly what the per-record path extracts from a parsed line. The same typing and rule SQL
then runs over them. A file goes back to the per-record path (`prepare(..., direct=False)`) when `read_json`
refuses it (a line that is not an object, a duplicate key, invalid JSON), when its rows differ from its line
count, or when any of its rows breaks a rule: quarantine rows always come from the per-record path, with their
record numbers. So the fast path loads exactly what the per-record path would, only sooner.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import duckdb

from tap_landing.checks import NESTED, _literal

MAX_LINE_BYTES = 2_000_000  # the per-record limit (prepare.MAX_RECORD_CHARS) in bytes: a longer line is judged there
_FORBIDDEN = bytes([*range(0, 9), *range(11, 32), 127])  # every control byte but tab and line feed
_ALLOWED = bytes(byte for byte in range(256) if byte not in _FORBIDDEN)
_MAYBE_BLANK = re.compile(rb"\n[\n\t ]")  # one scan; most files have none, and then no line is blank


def record_count(data: bytes, encoding: str | None) -> int | None:
    """The number of records of a plain JSON-lines file (its lines), or None when the file needs the full framing."""
    if encoding and encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
        return None
    if data[:1] != b"{" or data.translate(None, _ALLOWED):  # a mark, compression, leading space or control bytes
        return None
    body = data[:-1] if data.endswith(b"\n") else data
    if body.endswith(b"\n") or (_MAYBE_BLANK.search(body) and _has_blank_line(body)):
        return None
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if len(data) > MAX_LINE_BYTES and max(map(len, body.split(b"\n"))) > MAX_LINE_BYTES:
        return None
    return body.count(b"\n") + 1


def _has_blank_line(body: bytes) -> bool:
    """An empty line, or one of only spaces or tabs (the per-record framing skips it; DuckDB's reader would too)."""
    if b"\n\n" in body:
        return True
    for blank in (b"\n ", b"\n\t"):
        start = body.find(blank)
        while start >= 0:
            end = body.find(b"\n", start + 1)
            if not body[start + 1 : end if end >= 0 else len(body)].strip(b" \t"):
                return True
            start = body.find(blank, start + 1)
    return False


def read_direct(
    conn: duckdb.DuckDBPyConnection,
    columns: dict[str, str],
    members: list[tuple[str, str, int]],
    typed_select: Callable[[str], str],
) -> list[str]:
    """Read the copies `members` (copy, relpath, landed) into the temp table `direct_typed` with DuckDB's JSON
    reader and `typed_select(source)`; return the relpaths that must take the per-record path instead (their rows
    are not in `direct_typed`)."""
    conn.execute(
        "create or replace temp table direct_text ("
        + ", ".join(f"{_identifier(name)} {_text_type(kind)}" for name, kind in columns.items())
        + ", _copy varchar)"
    )
    conn.execute(
        "create or replace temp table direct_files as select * from (values "
        + ", ".join("(?, ?)" for _ in members)
        + ") as t(copy, relpath)",
        [value for copy, relpath, _ in members for value in (copy, relpath)],
    )
    text_types = ", ".join(f"{_literal(name)}: {_literal(_text_type(kind))}" for name, kind in columns.items())
    text_types = "{" + text_types + "}"
    refused = _read_text(conn, text_types, [copy for copy, _, _ in members])
    conn.execute(
        "create or replace temp table direct_typed as "
        + typed_select(
            "(select t.*, f.relpath as _source_file, null::bigint as _rn from direct_text as t "
            "inner join direct_files as f on f.copy = t._copy)"
        )
    )
    counts = {
        relpath: (rows, broken)
        for relpath, rows, broken in conn.execute(
            "select _source_file, count(*), count(*) filter (where _reason <> '') from direct_typed group by 1"
        ).fetchall()
    }
    by_copy = {copy: relpath for copy, relpath, _ in members}
    back = {by_copy[copy] for copy in refused}
    back |= {relpath for _, relpath, landed in members if counts.get(relpath, (0, 0)) != (landed, 0)}
    if back:
        conn.execute("delete from direct_typed where list_contains(?, _source_file)", [sorted(back)])
    conn.execute("drop table direct_text; drop table direct_files")
    return [relpath for _, relpath, _ in members if relpath in back]


def _read_text(conn: duckdb.DuckDBPyConnection, text_types: str, copies: list[str]) -> list[str]:
    """All copies in one parallel read. When DuckDB refuses one, the copy its error names is set aside and the rest
    read again; an error naming none has each copy read on its own. Returns the refused copies."""
    conn.execute("set preserve_insertion_order = false")  # 2-3x faster over many files; row order is not data
    refused: list[str] = []
    try:
        remaining = list(copies)
        while remaining:
            try:
                _insert_text(conn, text_types, remaining)
                return refused
            except duckdb.Error as error:
                named = [copy for copy in remaining if f'"{copy}"' in str(error)]
                if len(named) != 1:
                    break
                refused += named
                remaining.remove(named[0])
        for copy in remaining:
            try:
                _insert_text(conn, text_types, [copy])
            except duckdb.Error:
                refused.append(copy)
        return refused
    finally:
        conn.execute("set preserve_insertion_order = true")


def _insert_text(conn: duckdb.DuckDBPyConnection, text_types: str, copies: list[str]) -> None:
    table = (
        f"read_json(?, format = 'newline_delimited', columns = {text_types}, filename = '_copy', "
        f"maximum_object_size = {2 * MAX_LINE_BYTES})"
    )
    conn.execute(f"insert into direct_text by name select * from {table}", [copies])


def _text_type(sql_type: str) -> str:
    kind = sql_type.strip().upper()
    return "JSON" if kind.startswith(NESTED) or kind.endswith("[]") else "VARCHAR"


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'

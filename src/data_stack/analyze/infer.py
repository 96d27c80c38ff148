"""Each column's kind and typed value: a declared type as it is, text read as the type most of its values have.

A text column whose values are mostly (`SHARE`) integers, numbers, dates, timestamps or booleans is profiled as
that type; the values that do not parse are counted, with examples, as the rows the contract would quarantine.
The checks are stricter than DuckDB's casts, which accept `1.5` as an integer and `2026-01-31 10:00` as a date.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import duckdb

from data_stack.analyze.sql import ident, literal

SHARE = 0.9
EXAMPLES = 5
EXAMPLE_CHARS = 80
INTEGER = r"\s*[+-]?\d{1,18}\s*"
NUMBER = r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*"
CODE = r"\s*[+-]?0\d.*"  # a leading zero: a code (zip, phone), not a number
DATE = r"\s*\d{4}-\d{2}-\d{2}\s*"
TIMESTAMP = r"\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)?\s*"
INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")
FLOAT_TYPES = ("FLOAT", "DOUBLE", "REAL")
TIME_TYPES = ("DATE", "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMP WITH TIME ZONE")
TEXT_TYPES = ("VARCHAR", "JSON", "UUID")


@dataclass(frozen=True)
class Typing:
    kind: str  # number | time | text | boolean | nested | other
    typed_as: str  # the DuckDB type of `expr`
    expr: str  # SQL for the column's typed value
    integer: bool = False
    unparseable: int = 0  # values present that are not of the inferred type
    unparseable_examples: list[dict[str, object]] = field(default_factory=list)


def read_as(conn: duckdb.DuckDBPyConnection, relation: str, name: str, read_type: str, infer: bool) -> Typing:
    """How to read column `name`; with `infer`, text columns are tried as the other types first."""
    column = ident(name)
    base = read_type.upper()
    if base.startswith("DECIMAL") or base in FLOAT_TYPES:
        return Typing("number", read_type, column)
    if base in INTEGER_TYPES:
        return Typing("number", read_type, column, integer=True)
    if base in TIME_TYPES:
        if base == "DATE":
            return Typing("time", "DATE", column)
        return Typing("time", "TIMESTAMP", f"{column}::timestamp")  # the session is UTC: a zoned time as UTC
    if base == "BOOLEAN":
        return Typing("boolean", read_type, column)
    if base.startswith(("STRUCT", "MAP", "UNION")) or base.endswith("]"):
        return Typing("nested", read_type, column)
    if base not in TEXT_TYPES and not base.startswith("ENUM"):
        return Typing("other", read_type, column)
    text = column if base == "VARCHAR" else f"{column}::varchar"
    if infer:
        inferred = _infer(conn, relation, text)
        if inferred is not None:
            return _with_unparseable(conn, relation, text, inferred)
    return Typing("text", "VARCHAR", text)


def _candidates(text: str) -> dict[str, Typing]:
    trimmed = f"trim({text})"

    def when(pattern: str, value: str) -> str:
        return f"case when regexp_full_match({text}, {literal(pattern)}) then {value} end"

    return {
        "boolean": Typing(
            "boolean", "BOOLEAN", f"case when lower({trimmed}) in ('true', 'false') then lower({trimmed}) = 'true' end"
        ),
        "integer": Typing("number", "BIGINT", when(INTEGER, f"try_cast({trimmed} as bigint)"), integer=True),
        "number": Typing(
            "number",
            "DOUBLE",
            f"case when regexp_full_match({text}, {literal(NUMBER)}) and isfinite(try_cast({trimmed} as double)) "
            f"then try_cast({trimmed} as double) end",  # 1e400 is not a number a contract can hold
        ),
        "date": Typing("time", "DATE", when(DATE, f"try_cast({trimmed} as date)")),
        "timestamp": Typing(
            "time",
            "TIMESTAMP",
            f"case when regexp_full_match({text}, {literal(DATE)}) or regexp_full_match({text}, {literal(TIMESTAMP)}) "
            f"then try_cast({trimmed} as timestamptz)::timestamp end",  # the session is UTC: stored as UTC
        ),
    }


def _infer(conn: duckdb.DuckDBPyConnection, relation: str, text: str) -> Typing | None:
    candidates = _candidates(text)
    order = ("boolean", "integer", "number", "date", "timestamp")
    counts = ", ".join(f"count({candidates[name].expr})" for name in order)
    row = conn.execute(
        f"select count(*) filter (where trim({text}) <> ''), "
        f"count(*) filter (where regexp_full_match({text}, {literal(CODE)})), {counts} from {relation}"
    ).fetchone()
    present, codes, *matched = row or (0, 0)
    if not present:
        return None
    for name, count in zip(order, matched, strict=True):
        if name in ("integer", "number") and codes:
            continue
        if count >= SHARE * present:
            return candidates[name]
    return None


def _with_unparseable(conn: duckdb.DuckDBPyConnection, relation: str, text: str, typed: Typing) -> Typing:
    bad = f"{text} is not null and trim({text}) <> '' and ({typed.expr}) is null"
    examples = conn.execute(
        f"select value, n, sum(n) over () from (select left({text}, {EXAMPLE_CHARS}) as value, count(*) as n "
        f"from {relation} where {bad} group by 1) order by 2 desc, 1 limit {EXAMPLES}"
    ).fetchall()
    return replace(
        typed,
        unparseable=int(examples[0][2]) if examples else 0,
        unparseable_examples=[{"value": value, "count": int(n)} for value, n, _ in examples],
    )

"""Keys: the single columns that identify a row, the sets of columns that do when none alone does, and the
columns that would be keys but for a few duplicated values.

A key column is never empty and holds no fractional number: a price or a rate that happens to be unique here is a
measure, not an identifier. A composite key is looked for only when no single column is a key, among the first
`CANDIDATE_COLUMNS` columns in table order that are never empty and are text, times, flags, or numbers named as
identifiers or periods (`*_id`, `*_key`, `*_code`, `*_number`, `*_no`, `*_hour` … `*_year`). Smallest sets come
first and only the minimal ones are kept: a set is not tried when it holds a key already found or when the
product of its distinct counts is below the row count.
"""

from __future__ import annotations

import itertools
import math
import re

import duckdb

from data_stack.analyze.model import ColumnProfile
from data_stack.analyze.sql import ident

KEY_KINDS = ("text", "number", "time")
COMPOSITE_KINDS = (*KEY_KINDS, "boolean")
COMPOSITE_SIZE = 4  # columns in a composite key, at most
CANDIDATE_COLUMNS = 10
COMPOSITE_CHECKS = 200  # sets of columns tried, at most
COMPOSITE_ROWS = 5_000_000  # above this, composite keys are not looked for
SAMPLE_ROWS = 20_000  # a set with a repeat in this many rows drawn at random is no key: not tried on all of them
SAMPLE_TABLE = "key_sample"
# a number named so identifies something, or is a period: a dimension, not a measure
IDENTIFIER = re.compile(r"(^|_)(id|key|code|number|no|hour|day|week|month|quarter|year)$")
NEAR_KEY_SHARE = 0.95  # distinct values over present values for a column to be an almost-key


def is_key(column: ColumnProfile, rows: int) -> bool:
    return _never_empty(column) and column.kind in KEY_KINDS and not _fractional(column) and column.distinct == rows


def is_near_key(column: ColumnProfile, rows: int) -> bool:
    """Nearly every value distinct, but not every: an identifier with duplicates (times collide by nature)."""
    if column.kind not in ("text", "number") or _fractional(column) or column.distinct is None:
        return False
    if column.kind == "number" and not _identifier(column):
        return False  # a measure that is nearly unique says nothing
    present = rows - column.nulls - column.blanks - column.unparseable
    return present > 1 and NEAR_KEY_SHARE * present <= column.distinct < present


def duplicates(conn: duckdb.DuckDBPyConnection, relation: str, expr: str) -> dict[str, int]:
    """The values of `expr` found more than once, and the rows that hold them."""
    values, held = conn.execute(
        f"select count(*), coalesce(sum(n), 0) from (select {expr} as v, count(*) as n from {relation} "
        f"where {expr} is not null group by 1 having count(*) > 1)"
    ).fetchone() or (0, 0)
    return {"values": int(values), "rows": int(held)}


def composite_keys(
    conn: duckdb.DuckDBPyConnection, relation: str, rows: int, columns: list[ColumnProfile]
) -> tuple[list[list[str]], str | None]:
    """The minimal sets of 2 to `COMPOSITE_SIZE` columns that identify every row, and a note when the search was
    cut short or not made. A set is first tried on a sample of the rows (a repeat there proves it is no key) and
    only the sets unique in the sample on every row."""
    if rows < 2 or any(column.is_key_candidate for column in columns):
        return [], None
    if rows > COMPOSITE_ROWS:
        return [], f"Composite keys are not looked for above {COMPOSITE_ROWS:,} rows."
    eligible = [column for column in columns if _composable(column)][:CANDIDATE_COLUMNS]
    if len(eligible) < 2:
        return [], None
    sample, sampled = _sample(conn, relation, rows, eligible)
    found: list[tuple[ColumnProfile, ...]] = []
    checks = 0
    for size in range(2, COMPOSITE_SIZE + 1):
        for combination in itertools.combinations(eligible, size):
            if math.prod(column.distinct or 0 for column in combination) < rows:
                continue  # too few value combinations to tell every row apart
            if any({id(column) for column in key} <= {id(column) for column in combination} for key in found):
                continue  # not minimal
            if checks == COMPOSITE_CHECKS:
                note = f"The composite key search stopped after {COMPOSITE_CHECKS} sets of columns: " + (
                    f"other keys of {size} columns may exist." if found else "there may be a key of more columns."
                )
                return _names(found), note
            checks += 1
            if sample != relation and _distinct(conn, sample, combination) < sampled:
                continue
            if _distinct(conn, relation, combination) == rows:
                found.append(combination)
        if found:
            break  # the smallest keys are the ones worth showing
    return _names(found), None


def _sample(conn: duckdb.DuckDBPyConnection, relation: str, rows: int, columns: list[ColumnProfile]) -> tuple[str, int]:
    """A table of `SAMPLE_ROWS` rows of `relation` drawn at random, and its size; `relation` itself when small."""
    if rows <= SAMPLE_ROWS:
        return relation, rows
    listed = ", ".join(ident(column.name) for column in columns)
    conn.execute(
        f"create or replace temp table {SAMPLE_TABLE} as select {listed} from {relation} "
        f"using sample reservoir({SAMPLE_ROWS} rows) repeatable (7)"
    )
    return SAMPLE_TABLE, SAMPLE_ROWS


def _distinct(conn: duckdb.DuckDBPyConnection, relation: str, columns: tuple[ColumnProfile, ...]) -> int:
    listed = ", ".join(ident(column.name) for column in columns)
    row = conn.execute(f"select count(*) from (select distinct {listed} from {relation})").fetchone()
    return int(row[0]) if row else 0


def _composable(column: ColumnProfile) -> bool:
    """A column that can be part of a composite key: a dimension (text, time, a flag) or an identifier; a count
    or another whole-number measure would make spurious keys with the date."""
    if not (_never_empty(column) and column.kind in COMPOSITE_KINDS and column.distinct):
        return False
    return column.kind != "number" or _identifier(column)


def _identifier(column: ColumnProfile) -> bool:
    return IDENTIFIER.search(column.name.lower()) is not None


def _never_empty(column: ColumnProfile) -> bool:
    return not (column.nulls or column.blanks or column.unparseable)


def _fractional(column: ColumnProfile) -> bool:
    return column.kind == "number" and bool(column.scale)


def _names(found: list[tuple[ColumnProfile, ...]]) -> list[list[str]]:
    return [[column.name for column in key] for key in found]

"""Compare two warehouses mart by mart, in DuckDB: both files attached read-only to one in-memory database, every
count a join on the mart's primary key (from its dbt contract), nothing pulled into Python but the counts.

Per mart: the schema change (columns added, removed, retyped), rows added and removed by key, rows changed and, per
column, how many values changed with a few sample keys, and the change in each numeric measure's total. A mart with
no key is compared as a multiset of rows (rows only on one side); one on one side only is reported added or removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

MART_SCHEMAS = ("marketing", "product", "logistics")
SAMPLE_KEYS = 3
NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT",
           "FLOAT", "REAL", "DOUBLE", "DECIMAL")  # fmt: skip


@dataclass
class ColumnChange:
    column: str
    values_changed: int
    sample_keys: list[list[object]] = field(default_factory=list)
    # the commonest (before, after, rows) moves of a column that is not numeric: a segment, a status, a flag
    transitions: list[tuple[object, object, int]] = field(default_factory=list)


@dataclass
class MeasureChange:
    column: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        """after - before; 0 within float noise (a parallel sum of doubles need not add in the same order)."""
        if self.before is None or self.after is None:
            return None
        delta = self.after - self.before
        return 0.0 if abs(delta) <= 1e-9 * max(1.0, abs(self.before)) else delta


@dataclass
class TableDiff:
    name: str  # schema.table
    status: str  # added | removed | changed | same
    key: tuple[str, ...]
    rows_before: int | None
    rows_after: int | None
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    columns_retyped: dict[str, tuple[str, str]] = field(default_factory=dict)
    rows_added: int = 0
    rows_removed: int = 0
    rows_changed: int | None = None  # None without a key: a changed row counts as one removed and one added
    columns: list[ColumnChange] = field(default_factory=list)
    measures: list[MeasureChange] = field(default_factory=list)


@dataclass
class WarehouseDiff:
    after: str
    before: str
    tables: list[TableDiff]

    @property
    def changed(self) -> list[TableDiff]:
        return [table for table in self.tables if table.status != "same"]


def diff_warehouses(after: Path, before: Path, keys: dict[str, tuple[str, ...]]) -> WarehouseDiff:
    """`after` against `before`; `keys` maps a mart's table name to its key columns."""
    conn = duckdb.connect(":memory:")
    try:
        for alias, path in (("after_db", after), ("before_db", before)):
            conn.execute(f"attach '{_literal(str(path))}' as {alias} (read_only)")
        columns_after, columns_before = _columns(conn, "after_db"), _columns(conn, "before_db")
        tables = [
            _table(conn, name, columns_after.get(name), columns_before.get(name), keys.get(name.split(".", 1)[1], ()))
            for name in sorted(columns_after.keys() | columns_before.keys())
        ]
    finally:
        conn.close()
    return WarehouseDiff(str(after), str(before), tables)


def _columns(conn: duckdb.DuckDBPyConnection, database: str) -> dict[str, dict[str, str]]:
    rows = conn.execute(
        "select schema_name || '.' || table_name, column_name, data_type from duckdb_columns() "
        "where database_name = ? and schema_name in (select unnest(?)) order by column_index",
        [database, list(MART_SCHEMAS)],
    ).fetchall()
    tables: dict[str, dict[str, str]] = {}
    for table, column, data_type in rows:
        tables.setdefault(table, {})[column] = data_type
    return tables


def _table(conn, name: str, after: dict | None, before: dict | None, key: tuple[str, ...]) -> TableDiff:
    if before is None or after is None:
        side = "after_db" if before is None else "before_db"
        rows = _count(conn, f"{side}.{_quote_table(name)}")
        status = "added" if before is None else "removed"
        return TableDiff(name, status, key, None if before is None else rows, None if after is None else rows)
    diff = TableDiff(
        name,
        "same",
        key,
        rows_before=_count(conn, f"before_db.{_quote_table(name)}"),
        rows_after=_count(conn, f"after_db.{_quote_table(name)}"),
        columns_added=[column for column in after if column not in before],
        columns_removed=[column for column in before if column not in after],
        columns_retyped={c: (before[c], after[c]) for c in after if c in before and before[c] != after[c]},
    )
    common = [column for column in after if column in before]
    if key and set(key) <= set(common):
        _by_key(conn, diff, common, after)
    else:
        diff.key = ()
        _as_multiset(conn, diff, common)
    diff.measures = _measures(conn, diff, after, before)
    schema_changed = diff.columns_added or diff.columns_removed or diff.columns_retyped
    if schema_changed or diff.rows_added or diff.rows_removed or diff.rows_changed:
        diff.status = "changed"
    return diff


def _by_key(conn, diff: TableDiff, common: list[str], after_types: dict[str, str]) -> None:
    a, b = f"after_db.{_quote_table(diff.name)}", f"before_db.{_quote_table(diff.name)}"
    using = ", ".join(_quote(column) for column in diff.key)
    diff.rows_added = conn.execute(f"select count(*) from {a} n anti join {b} o using ({using})").fetchone()[0]
    diff.rows_removed = conn.execute(f"select count(*) from {b} o anti join {a} n using ({using})").fetchone()[0]
    compared = [column for column in common if column not in diff.key]
    if not compared:
        diff.rows_changed = 0
        return
    differs = {column: _differs(column, diff.columns_retyped.get(column)) for column in compared}
    counts = ", ".join(f"count(*) filter (where {test})" for test in differs.values())
    any_differs = " or ".join(differs.values())
    *per_column, changed = conn.execute(
        f"select {counts}, count(*) filter (where {any_differs}) from {a} n join {b} o using ({using})"
    ).fetchone()
    diff.rows_changed = changed
    for column, values_changed in zip(compared, per_column, strict=True):
        if not values_changed:
            continue
        keys = ", ".join(f"n.{_quote(k)}" for k in diff.key)
        samples = conn.execute(
            f"select {keys} from {a} n join {b} o using ({using}) where {differs[column]} "
            f"order by {keys} limit {SAMPLE_KEYS}"
        ).fetchall()
        change = ColumnChange(column, values_changed, [list(row) for row in samples])
        if not _numeric(after_types[column]):
            change.transitions = [
                tuple(row)
                for row in conn.execute(
                    f"select o.{_quote(column)}, n.{_quote(column)}, count(*) from {a} n join {b} o using ({using}) "
                    f"where {differs[column]} group by all order by count(*) desc, 1, 2 limit {SAMPLE_KEYS}"
                ).fetchall()
            ]
        diff.columns.append(change)


def _as_multiset(conn, diff: TableDiff, common: list[str]) -> None:
    a, b = f"after_db.{_quote_table(diff.name)}", f"before_db.{_quote_table(diff.name)}"
    columns = ", ".join(f"{_quote(c)}::varchar" if c in diff.columns_retyped else _quote(c) for c in common)
    diff.rows_added = conn.execute(
        f"select count(*) from (select {columns} from {a} except all select {columns} from {b})"
    ).fetchone()[0]
    diff.rows_removed = conn.execute(
        f"select count(*) from (select {columns} from {b} except all select {columns} from {a})"
    ).fetchone()[0]


def _measures(conn, diff: TableDiff, after: dict, before: dict) -> list[MeasureChange]:
    names = [
        column
        for column, data_type in after.items()
        if column in before and column not in diff.key and _numeric(data_type) and _numeric(before[column])
    ]
    if not names:
        return []
    sums = ", ".join(f"sum({_quote(column)})::double" for column in names)
    (after_sums,) = conn.execute(f"select {sums} from after_db.{_quote_table(diff.name)}").fetchall()
    (before_sums,) = conn.execute(f"select {sums} from before_db.{_quote_table(diff.name)}").fetchall()
    return [MeasureChange(column, b, a) for column, a, b in zip(names, after_sums, before_sums, strict=True)]


def _differs(column: str, retyped: tuple[str, str] | None) -> str:
    """A value changed; across a type change, numbers compare as numbers (10.00 is 10.0) and the rest as text."""
    c = _quote(column)
    if retyped is None:
        return f"n.{c} is distinct from o.{c}"
    common = "double" if all(_numeric(data_type) for data_type in retyped) else "varchar"
    return f"n.{c}::{common} is distinct from o.{c}::{common}"


def _numeric(data_type: str) -> bool:
    return data_type.split("(")[0].upper() in NUMERIC


def _count(conn, table: str) -> int:
    return conn.execute(f"select count(*) from {table}").fetchone()[0]


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _quote_table(name: str) -> str:
    schema, table = name.split(".", 1)
    return f"{_quote(schema)}.{_quote(table)}"


def _literal(text: str) -> str:
    return text.replace("'", "''")

"""Compare gold marts built by DuckDB with the same marts built by another engine, read from its Parquet files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

FLOAT_TYPES = {"DOUBLE", "FLOAT", "REAL"}
DOUBLE_DIGITS = 9  # doubles agree to 9 decimals (rounded means and rates; the last bits of a float may differ)


@dataclass
class Parity:
    table: str
    rows: int
    other_rows: int
    only_duckdb: int
    only_other: int
    columns_match: bool

    @property
    def equal(self) -> bool:
        return self.columns_match and self.only_duckdb == 0 and self.only_other == 0 and self.rows == self.other_rows


def _expression(name: str, type_: str) -> str:
    column = f'"{name}"'
    if type_ in FLOAT_TYPES:
        return f"round({column}, {DOUBLE_DIGITS}) as {column}"
    return f"cast({column} as {type_}) as {column}"  # decimals stay decimals: money compares to the cent


def compare(duckdb_file: Path, tables: list[str], files: Callable[[str], str]) -> list[Parity]:
    """EXCEPT ALL both ways on every column of each table; the other engine's rows (the Parquet files `files(table)`
    names, a glob) cast to DuckDB's types."""
    results = []
    with duckdb.connect(str(duckdb_file), read_only=True) as conn:
        for table in tables:
            schema, name = table.split(".")
            columns = conn.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [schema, name],
            ).fetchall()
            other = f"read_parquet('{files(table)}')"
            other_columns = [row[0] for row in conn.execute(f"describe select * from {other}").fetchall()]
            ours = ", ".join(_expression(column, type_) for column, type_ in columns)
            mine = f"select {ours} from {table}"
            theirs = f"select {ours} from {other}"
            count = conn.execute(f"select count(*) from {table}").fetchone()[0]
            other_count = conn.execute(f"select count(*) from {other}").fetchone()[0]
            only_duckdb = conn.execute(f"select count(*) from ({mine} except all {theirs})").fetchone()[0]
            only_other = conn.execute(f"select count(*) from ({theirs} except all {mine})").fetchone()[0]
            results.append(
                Parity(table, count, other_count, only_duckdb, only_other, other_columns == [c for c, _ in columns])
            )
    return results

"""DuckDB → Postgres type mapping and primary keys from the dbt contract."""

from __future__ import annotations

import pytest

from data_stack.serving.contract import primary_keys
from data_stack.serving.types import map_column
from data_stack.settings import PROJECT_ROOT


@pytest.mark.parametrize(
    ("duckdb_type", "postgres_type"),
    [
        ("BOOLEAN", "boolean"),
        ("TINYINT", "smallint"),
        ("SMALLINT", "smallint"),
        ("INTEGER", "integer"),
        ("BIGINT", "bigint"),
        ("UBIGINT", "numeric(20,0)"),
        ("HUGEINT", "numeric(39,0)"),
        ("DOUBLE", "double precision"),
        ("FLOAT", "real"),
        ("DECIMAL(18,2)", "numeric(18,2)"),
        ("DECIMAL(5,4)", "numeric(5,4)"),
        ("VARCHAR", "text"),
        ("DATE", "date"),
        ("TIMESTAMP", "timestamp"),
        ("TIMESTAMP_NS", "timestamp"),
        ("TIMESTAMP WITH TIME ZONE", "timestamptz"),
        ("INTERVAL", "interval"),
        ("UUID", "uuid"),
        ("BLOB", "bytea"),
        ("INTEGER[]", "jsonb"),
        ("STRUCT(a INTEGER, b VARCHAR)", "jsonb"),
        ("MAP(VARCHAR, INTEGER)", "jsonb"),
        ("ENUM('a', 'b')", "text"),
    ],
)
def test_duckdb_types_map_to_postgres_types(duckdb_type, postgres_type):
    assert map_column("x", duckdb_type).postgres_type == postgres_type


def test_column_names_are_quoted_for_duckdb():
    assert map_column('odd "name"', "VARCHAR").select == '"odd ""name"""'


def test_primary_keys_come_from_the_gold_contract():
    keys = primary_keys(PROJECT_ROOT / "dbt")
    assert keys["orders"] == ("order_id",)
    assert keys["customers"] == ("customer_id",)
    assert keys["order_items"] == ("order_item_id",)
    assert keys["revenue_daily"] == ("order_date", "region", "channel")
    assert keys["delivery_sla_daily"] == ("ship_date", "carrier", "destination_region")
    # every mart model of the three domains has a key
    marts = {path.stem for path in (PROJECT_ROOT / "dbt" / "models" / "marts").rglob("*.sql")}
    assert marts and marts <= set(keys)

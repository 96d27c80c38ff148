"""Metrics from the published warehouse: its age and, per gold data product, rows and freshness."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
from prometheus_client.core import Metric

from data_stack.metrics.families import gauge
from data_stack.serving import SERVED_SCHEMAS
from data_stack.serving.reader import connect_published
from data_stack.settings import Settings

LINEAGE = "_loaded_at"


def warehouse_metrics(settings: Settings) -> Iterator[Metric]:
    path = settings.published_db
    if not path.exists():
        return
    published_at = path.stat().st_ctime  # the inode change: the rename that published it
    family = gauge("published_timestamp_seconds", "When current.duckdb was published.")
    family.add_metric([], published_at)
    yield family

    rows = gauge("data_product_rows", "Rows in each gold data product.", ["product"])
    newest = gauge(
        "data_product_newest_record_timestamp_seconds",
        "The newest business date or time in each gold data product.",
        ["product"],
    )
    refreshed = gauge(
        "data_product_refreshed_timestamp_seconds",
        "When new data last reached each gold data product: its newest _loaded_at, else the publish time.",
        ["product"],
    )
    with connect_published(path) as conn:
        for product, count, newest_at, loaded_at in product_freshness(conn):
            rows.add_metric([product], count)
            if newest_at is not None:
                newest.add_metric([product], newest_at)
            refreshed.add_metric([product], loaded_at if loaded_at is not None else published_at)
    yield from (rows, newest, refreshed)


def product_freshness(conn: duckdb.DuckDBPyConnection) -> Iterator[tuple[str, int, float | None, float | None]]:
    columns: dict[str, list[tuple[str, str]]] = {}
    for schema, table, column, kind in conn.execute(
        "select c.table_schema, c.table_name, c.column_name, c.data_type from information_schema.columns c "
        "join information_schema.tables t on t.table_catalog = c.table_catalog and t.table_schema = c.table_schema "
        "and t.table_name = c.table_name "
        "where c.table_catalog = current_database() and t.table_type = 'BASE TABLE' "
        "order by c.table_schema, c.table_name, c.ordinal_position"
    ).fetchall():
        if schema in SERVED_SCHEMAS:  # the gold data products
            columns.setdefault(f"{schema}.{table}", []).append((column, kind.upper()))
    for product, described in sorted(columns.items()):
        business = [
            name for name, kind in described if name != LINEAGE and (kind == "DATE" or kind.startswith("TIMESTAMP"))
        ]
        has_lineage = any(name == LINEAGE for name, _ in described)
        schema, table = product.split(".")
        maxima = ", ".join(f'max("{name}")::timestamp' for name in business)
        newest = f"greatest({maxima})" if business else "null::timestamp"
        loaded = f'max("{LINEAGE}")::timestamp' if has_lineage else "null::timestamp"
        count, newest_at, loaded_at = conn.execute(
            f'select count(*), epoch({newest}), epoch({loaded}) from "{schema}"."{table}"'
        ).fetchone()
        yield product, int(count), newest_at, loaded_at

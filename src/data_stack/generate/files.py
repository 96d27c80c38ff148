"""Which landing files a generation writes (docs/sources.md), and the query behind each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from data_stack.generate import clickstream, customers, defects, fleet, market, orders, products, shipments
from data_stack.generate.landing import CSV, JSON_ARRAY, FileJob, Task, Written, file_task, write_bytes
from data_stack.generate.plan import Plan
from data_stack.generate.timeline import day_number

CATALOG_COLUMNS = [
    "product_id",
    "sku",
    "product_name",
    "category",
    "subcategory",
    "unit_cost",
    "list_price",
    "supplier",
    "is_active",
    "updated_at",
    "attributes",
]
# stream -> SQL of its rows: file_day_no, sort_key, the stream's columns, _defect, _duplicate (clean tables are
# sorted by file_day_no, so a file's query reads only its own row groups)
DAILY_CSV: dict[str, Callable[[Plan], str]] = {
    "customers__customers": customers.output_sql,
    "orders__orders": orders.orders_output_sql,
    "orders__order_items": orders.items_output_sql,
    "logistics__shipments": shipments.output_sql,
}
COLUMNS = {
    "customers__customers": customers.COLUMNS,
    "orders__orders": orders.ORDER_COLUMNS,
    "orders__order_items": orders.ITEM_COLUMNS,
    "logistics__shipments": shipments.COLUMNS,
}
PATHS = {
    "customers__customers": "customers/customers_{day}.csv",
    "orders__orders": "orders/orders_{day}.csv",
    "orders__order_items": "orders/order_items_{day}.csv",
    "logistics__shipments": "logistics/shipments_{day}.csv",
    "catalog__products": "catalog/products_{day}.json",
    "market__indicators": "market/indicators_{day}.csv",
    "fleet__vehicles": "fleet/vehicles_{day}.csv",
    "clickstream__events": "clickstream/{day}/events_{hour:02d}.jsonl",
}


def count_defects(conn: duckdb.DuckDBPyConnection, plan: Plan) -> dict[tuple[str, str], int]:
    """Defects the daily CSV files carry, per (stream, kind); clickstream defects are counted as days are written."""
    counts: dict[tuple[str, str], int] = {}
    for stream, sql in DAILY_CSV.items():
        rows = conn.execute(
            f"select _defect, count(*), count(*) filter (where _duplicate) from ({sql(plan)}) group by all"
        ).fetchall()
        for kind, count, duplicated in rows:
            if kind is not None:
                counts[(stream, kind)] = count
            counts[(stream, defects.DUPLICATE_ROW)] = counts.get((stream, defects.DUPLICATE_ROW), 0) + duplicated
    if plan.defect_rate > 0:
        counts[("orders__orders", defects.DRIFTED_FILE)] = 1
    return counts


def tasks(plan: Plan) -> list[Task]:
    """Every file to write; the biggest (clickstream days) first so the threads finish together."""
    window, landing = plan.window, plan.landing_dir
    result: list[Task] = [_clickstream_day_task(plan, day) for day in window.dates()]
    for stream, sql in DAILY_CSV.items():
        for day in window.dates():
            columns = COLUMNS[stream]
            if stream == "orders__orders" and plan.defect_rate > 0 and day == window.drift_day:
                columns = orders.DRIFTED_ORDER_COLUMNS
            query = f"""
                with file_rows as materialized (select * from ({sql(plan)}) where file_day_no = {day_number(day)})
                select {", ".join(columns)}
                from (select *, 0 as copy from file_rows union all select *, 1 from file_rows where _duplicate)
                order by sort_key, copy
            """
            result.append(file_task(FileJob(stream, _path(landing, stream, day), query, CSV)))
    catalog = products.catalog_rows_sql(plan)
    for day in window.weekly_dates():
        query = f"""
            select {", ".join(CATALOG_COLUMNS)} from ({catalog})
            where file_day = date '{day.isoformat()}' order by product_id
        """
        result.append(
            file_task(FileJob("catalog__products", _path(landing, "catalog__products", day), query, JSON_ARRAY))
        )
        query = f"""
            select {", ".join(market.COLUMNS)} from ({market.output_sql(plan)})
            where file_day_no = {day_number(day)} order by sort_key
        """
        result.append(file_task(FileJob("market__indicators", _path(landing, "market__indicators", day), query, CSV)))
    vehicles = f"select * from ({fleet.output_sql()}) order by vehicle_id"
    result.append(file_task(FileJob("fleet__vehicles", _path(landing, "fleet__vehicles", window.start), vehicles, CSV)))
    return result


def _path(landing: Path, stream: str, day: date, hour: int = 0) -> Path:
    return landing / PATHS[stream].format(day=day.isoformat(), hour=hour)


def _clickstream_day_task(plan: Plan, day: date) -> Task:
    """One day of events, fetched as Arrow in file order and cut into one JSON-lines file per hour with events."""
    stream, day_no = "clickstream__events", day_number(day)

    def run(conn: duckdb.DuckDBPyConnection) -> Written:
        table = conn.execute(clickstream.day_events_sql(plan, day_no)).to_arrow_table()
        written = Written()
        is_duplicate = pc.equal(table["copy"], 1)
        written.defects[(stream, defects.DUPLICATE_ROW)] = pc.sum(is_duplicate).as_py() or 0
        for item in pc.value_counts(pc.filter(table["_defect"], pc.invert(is_duplicate)).drop_null()).to_pylist():
            written.defects[(stream, item["values"])] = item["counts"]
        # rows are in file order, each line ends with a newline: an hour's file is one slice of the string data
        lines = table["line"].combine_chunks()
        if not len(lines):
            return written
        offsets = memoryview(lines.buffers()[1]).cast("q" if pa.types.is_large_string(lines.type) else "i")
        data = memoryview(lines.buffers()[2])
        first = lines.offset
        for item in sorted(pc.value_counts(table["hour"]).to_pylist(), key=lambda item: item["values"]):
            path = _path(plan.landing_dir, stream, day, item["values"])
            write_bytes(path, data[offsets[first] : offsets[first + item["counts"]]])
            written.files.append((stream, path, item["counts"]))
            first += item["counts"]
        return written

    return run

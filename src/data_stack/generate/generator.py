"""`generate()`: all Northwind sources for a date range, deterministic for the same arguments."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb

from data_stack.generate import tables
from data_stack.generate.random_sql import install_macros
from data_stack.generate.sizes import POPULATION_DATE, Sizes
from data_stack.generate.writer import copy_csv, copy_json
from data_stack.log import get_logger

log = get_logger(__name__)

TS = "strftime({col}, '%Y-%m-%dT%H:%M:%SZ')"


@dataclass
class GenerateReport:
    landing_dir: Path
    files: list[Path] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    defects: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, stream: str, path: Path, rows: int) -> None:
        self.files.append(path)
        self.rows[stream] = self.rows.get(stream, 0) + rows


def generate(
    landing_dir: Path,
    *,
    scale: float = 1.0,
    seed: int = 42,
    defect_rate: float = 0.01,
    start_date: date = date(2026, 1, 1),
    days: int = 90,
) -> GenerateReport:
    started = time.perf_counter()
    landing_dir = Path(landing_dir)
    sizes = Sizes.for_scale(scale)
    last_day = start_date + timedelta(days=days - 1)
    report = GenerateReport(landing_dir=landing_dir)
    with duckdb.connect() as conn:
        conn.execute("set preserve_insertion_order = true")
        install_macros(conn, seed)
        tables.build_days(conn, start_date, days)
        tables.build_customers(conn, sizes, defect_rate)
        tables.build_customer_changes(conn, sizes)
        tables.build_products(conn, sizes)
        tables.build_catalog(conn)
        tables.build_vehicles(conn, sizes)
        tables.build_orders(conn, sizes, defect_rate, last_day)
        tables.build_order_items(conn, sizes, defect_rate)
        tables.build_shipments(conn, sizes, last_day)
        tables.build_clickstream(conn, sizes)
        tables.build_market(conn)
        _count_defects(conn, report, defect_rate)
        drift_day = start_date + timedelta(days=days // 2) if defect_rate > 0 and days > 1 else None
        _write_population(conn, landing_dir, report, defect_rate)
        day_list = [row[0] for row in conn.execute("select day from days order by day").fetchall()]
        for day in day_list:
            _write_day(conn, landing_dir, report, day, defect_rate, drifted=day == drift_day)
    report.seconds = time.perf_counter() - started
    log.info(
        "generated %s rows in %d files (%.1fs)",
        f"{sum(report.rows.values()):,}",
        len(report.files),
        report.seconds,
    )
    return report


def _dup(key: str, rate: float) -> str:
    """Rows repeated (exact duplicates in the same file) where a hash falls under the rate."""
    return f"u({key}, 'dup') < {rate}"


def _with_duplicates(select: str, key: str, order: str, rate: float) -> str:
    return f"select * from (({select}) union all (select * from ({select}) where {_dup(key, rate)})) order by {order}"


def _write_population(conn: duckdb.DuckDBPyConnection, landing: Path, report: GenerateReport, rate: float) -> None:
    stamp = POPULATION_DATE.isoformat()
    customers = f"""
        select cast(customer_id as varchar) as customer_id, first_name, last_name, email, phone, street_address,
               city, region, country,
               case when u(customer_id, 'null_signup') < {rate / 3} then null
                    else {TS.format(col="signed_up_at")} end as signed_up_at,
               {TS.format(col="updated_at")} as updated_at
        from customers_pop"""
    path = landing / "customers" / f"customers_{stamp}.csv"
    report.add(
        "customers__customers",
        path,
        copy_csv(
            conn,
            _with_duplicates(customers, "cast(customer_id as bigint)", "cast(customer_id as bigint)", rate),
            path,
        ),
    )
    vehicles = """
        select vehicle_id, license_plate, state_code, make, model, model_year, vehicle_type, capacity_kg,
               depot_region, strftime(in_service_date, '%Y-%m-%d') as in_service_date
        from vehicles order by vehicle_id"""
    path = landing / "fleet" / f"vehicles_{stamp}.csv"
    report.add("fleet__vehicles", path, copy_csv(conn, vehicles, path))


def _write_day(
    conn: duckdb.DuckDBPyConnection,
    landing: Path,
    report: GenerateReport,
    day: date,
    rate: float,
    *,
    drifted: bool,
) -> None:
    stamp = day.isoformat()
    where = f"file_day = date '{stamp}'"
    orders_cols = [
        "cast(order_id as varchar) as order_id",
        f"case when u(order_id, 'null_cust') < {rate / 3} then null "
        "else cast(customer_id as varchar) end as customer_id",
        f"case when u(order_id, 'bad_ts') < {rate / 4} then 'yesterday evening' "
        f"else {TS.format(col='order_ts')} end as order_ts",
        "status",
        "channel",
        "currency",
        "cast(shipping_fee as varchar) as shipping_fee",
    ]
    if drifted:  # a drifted export: columns reordered and a new column added
        orders_cols = [orders_cols[i] for i in (0, 3, 2, 1, 4, 5, 6)]
        orders_cols.append("case when u(order_id, 'coupon') < 0.2 then 'SPRING10' end as coupon_code")
    orders = f"select {', '.join(orders_cols)} from orders where {where}"
    path = landing / "orders" / f"orders_{stamp}.csv"
    report.add(
        "orders__orders",
        path,
        copy_csv(
            conn,
            _with_duplicates(orders, "cast(order_id as bigint)", "cast(order_id as bigint)", rate),
            path,
        ),
    )
    items = f"""
        select cast(order_item_id as varchar) as order_item_id, cast(order_id as varchar) as order_id,
               case when u(order_item_id, 'null_prod') < {rate / 3} then null
                    else cast(product_id as varchar) end as product_id,
               case when u(order_item_id, 'bad_qty') < {rate / 3} then 'two'
                    when u(order_item_id, 'neg_qty') < {rate} then cast(-quantity as varchar)
                    else cast(quantity as varchar) end as quantity,
               cast(unit_price as varchar) as unit_price, cast(discount_pct as varchar) as discount_pct
        from order_items where {where}"""
    path = landing / "orders" / f"order_items_{stamp}.csv"
    report.add(
        "orders__order_items",
        path,
        copy_csv(
            conn,
            _with_duplicates(items, "cast(order_item_id as bigint)", "cast(order_item_id as bigint)", rate),
            path,
        ),
    )
    shipments = f"""
        select cast(shipment_id as varchar) as shipment_id, cast(order_id as varchar) as order_id,
               case when u(shipment_id, 'null_carrier') < {rate / 3} then null else carrier end as carrier,
               service_level, destination_region, cast(vehicle_id as varchar) as vehicle_id,
               {TS.format(col="shipped_at")} as shipped_at, {TS.format(col="promised_at")} as promised_at,
               {TS.format(col="delivered_at")} as delivered_at, status
        from shipments where {where}"""
    path = landing / "logistics" / f"shipments_{stamp}.csv"
    report.add(
        "logistics__shipments",
        path,
        copy_csv(
            conn,
            _with_duplicates(shipments, "cast(shipment_id as bigint)", "cast(shipment_id as bigint)", rate),
            path,
        ),
    )
    changes = f"""
        select customer_id, first_name, last_name, email, phone, street_address, city, region, country,
               {TS.format(col="signed_up_at")} as signed_up_at, {TS.format(col="updated_at")} as updated_at
        from customer_changes where day = date '{stamp}' order by customer_id"""
    path = landing / "customers" / f"customers_{stamp}.csv"
    report.add("customers__customers", path, copy_csv(conn, changes, path))
    _write_clickstream(conn, landing, report, day)
    if conn.execute(f"select count(*) from catalog where day = date '{stamp}'").fetchone()[0]:
        catalog = f"""
            select product_id, sku, product_name, category, subcategory, unit_cost, list_price, supplier,
                   is_active, {TS.format(col="updated_at")} as updated_at, attributes
            from catalog where day = date '{stamp}' order by product_id"""
        path = landing / "catalog" / f"products_{stamp}.json"
        report.add("catalog__products", path, copy_json(conn, catalog, path, array=True))
        market = f"""
            select strftime(indicator_date, '%Y-%m-%d') as indicator_date, category, indicator_name,
                   value, unit
            from market where file_day = date '{stamp}' order by category, indicator_name"""
        path = landing / "market" / f"indicators_{stamp}.csv"
        report.add("market__indicators", path, copy_csv(conn, market, path))


def _write_clickstream(conn: duckdb.DuckDBPyConnection, landing: Path, report: GenerateReport, day: date) -> None:
    stamp = day.isoformat()
    conn.execute(
        f"""create or replace temp table day_events as
            select * from events where file_day = date '{stamp}' order by file_hour, sort_key"""
    )
    hours = [row[0] for row in conn.execute("select distinct file_hour from day_events order by 1").fetchall()]
    for hour in hours:
        query = f"""
            select event_id, event_type, {TS.format(col="event_ts")} as event_ts, session_id, customer_id,
                   product_id, order_id, context
            from day_events where file_hour = {hour} order by sort_key"""
        path = landing / "clickstream" / stamp / f"events_{hour:02d}.jsonl"
        report.add("clickstream__events", path, copy_json(conn, query, path, array=False))


def _count_defects(conn: duckdb.DuckDBPyConnection, report: GenerateReport, rate: float) -> None:
    if rate <= 0:
        report.defects = {}
        return
    sql = {
        "invalid_email": "select count(*) from customers_pop where email not like '%@%'",
        "orphan_customer": f"select count(*) from orders where customer_id >= {tables.ORPHAN_BASE}",
        "orphan_product": f"select count(*) from order_items where product_id >= {tables.ORPHAN_BASE}",
        "late_order": "select count(*) from orders where is_late",
        "negative_quantity": f"select count(*) from order_items where u(order_item_id, 'neg_qty') < {rate} "
        f"and not u(order_item_id, 'bad_qty') < {rate / 3}",
        "untypeable_value": f"select (select count(*) from order_items where u(order_item_id, 'bad_qty') < {rate / 3})"
        f" + (select count(*) from orders where u(order_id, 'bad_ts') < {rate / 4})",
        "null_required": f"select (select count(*) from orders where u(order_id, 'null_cust') < {rate / 3})"
        f" + (select count(*) from order_items where u(order_item_id, 'null_prod') < {rate / 3})"
        f" + (select count(*) from shipments where u(shipment_id, 'null_carrier') < {rate / 3})"
        f" + (select count(*) from customers_pop where u(customer_id, 'null_signup') < {rate / 3})",
        "duplicate_row": f"select (select count(*) from orders where {_dup('order_id', rate)})"
        f" + (select count(*) from order_items where {_dup('order_item_id', rate)})"
        f" + (select count(*) from shipments where {_dup('shipment_id', rate)})"
        f" + (select count(*) from customers_pop where {_dup('customer_id', rate)})",
    }
    report.defects = {name: conn.execute(query).fetchone()[0] for name, query in sql.items()}
    report.defects["drifted_file"] = 1

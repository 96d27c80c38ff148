"""Build every source as DuckDB tables, clean and typed, before defects are injected and files written."""

from __future__ import annotations

import logging

import duckdb

from data_stack.generate import clickstream, customers, fleet, orders, products, shipments
from data_stack.generate.demand import build_category_slots
from data_stack.generate.plan import Plan
from data_stack.generate.timeline import week_number, week_sql

log = logging.getLogger(__name__)

LATE_LOOKBACK_DAYS = 11  # late-arriving orders are dated up to 10 days before the last day


def build_all(conn: duckdb.DuckDBPyConnection, plan: Plan) -> None:
    window = plan.window
    conn.execute(
        f"""
        create or replace table days as
        select
            day_no,
            day_date(day_no) as day,
            isodow(day_date(day_no)) - 1 as day_of_week,
            {week_sql("day_no")} as week_no
        from range({window.start_no}, {window.last_no + 1}) as d(day_no)
        """
    )
    products_per_category = products.build(conn, plan)
    vehicles_per_region = fleet.build(conn, plan)
    build_category_slots(
        conn, week_number(min(window.start_no, window.last_no - LATE_LOOKBACK_DAYS)), week_number(window.last_no)
    )
    customers.build(conn, plan)
    orders.build_headers(conn, plan)
    orders.build_items(conn, plan, products_per_category)
    shipments.build(conn, plan, vehicles_per_region)
    orders.build_orders(conn)
    clickstream.build_sessions(conn, plan, products_per_category)
    log.debug("built source tables for %s days from %s", window.days, window.start.isoformat())

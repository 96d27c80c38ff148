"""Overview: the headline KPIs against the previous period of the same length, and the revenue trend."""

from __future__ import annotations

from data_stack.dashboards.filters import Filters, Query, between, one_of, where

PERIOD = "case when {column} >= ? then 'current' else 'previous' end"


def kpis(f: Filters) -> Query:
    """One row per period (current, previous): revenue, orders, average order value, active customers, on-time."""
    prev = f.previous()
    sales_where, sales_params = where(between("order_date", prev.start, f.end), one_of("region", f.regions))
    # customer_active_days: a customer counts once per period, on its first active day there
    active_where, active_params = where(
        between("order_date", prev.start, f.end),
        (
            "previous_order_date is null or previous_order_date < case when order_date >= ? then ? else ? end",
            [f.start, f.start, prev.start],
        ),
        one_of("region", f.regions),
    )
    ship_where, ship_params = where(between("ship_date", prev.start, f.end), one_of("destination_region", f.regions))
    sql = f"""
        with sales as (
            select {PERIOD.format(column="order_date")} as period,
                   sum(revenue) as revenue, sum(revenue_order_count) as orders
            from marketing.revenue_daily {sales_where} group by 1
        ),
        active as (
            select {PERIOD.format(column="order_date")} as period, count(*) as active_customers
            from marketing.customer_active_days {active_where} group by 1
        ),
        delivery as (
            select {PERIOD.format(column="ship_date")} as period,
                   cast(sum(on_time_count) as double precision) / nullif(sum(delivered_count), 0) as on_time_rate
            from logistics.delivery_sla_daily {ship_where} group by 1
        )
        select periods.period,
               coalesce(sales.revenue, 0) as revenue,
               coalesce(sales.orders, 0) as orders,
               sales.revenue / nullif(sales.orders, 0) as average_order_value,
               coalesce(active.active_customers, 0) as active_customers,
               delivery.on_time_rate
        from (values ('current'), ('previous')) as periods (period)
        left join sales on sales.period = periods.period
        left join active on active.period = periods.period
        left join delivery on delivery.period = periods.period
        order by periods.period
    """
    params = (f.start, *sales_params, f.start, *active_params, f.start, *ship_params)
    return Query(sql, params)


def revenue_trend(f: Filters) -> Query:
    clause, params = where(between("order_date", f.start, f.end), one_of("region", f.regions))
    return Query(
        f"select order_date, sum(revenue) as revenue, sum(revenue_order_count) as orders "
        f"from marketing.revenue_daily {clause} group by order_date order by order_date",
        tuple(params),
    )


def revenue_by_region(f: Filters) -> Query:
    clause, params = where(between("order_date", f.start, f.end), one_of("region", f.regions))
    return Query(
        f"select region, sum(revenue) as revenue from marketing.revenue_daily {clause} "
        "group by region order by revenue desc",
        tuple(params),
    )


def on_time_trend(f: Filters) -> Query:
    clause, params = where(between("ship_date", f.start, f.end), one_of("destination_region", f.regions))
    return Query(
        "select ship_date, cast(sum(on_time_count) as double precision) / nullif(sum(delivered_count), 0) "
        f"as on_time_rate from logistics.delivery_sla_daily {clause} group by ship_date order by ship_date",
        tuple(params),
    )


QUERIES = (kpis, revenue_trend, revenue_by_region, on_time_trend)

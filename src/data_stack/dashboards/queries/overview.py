"""Overview: the headline KPIs against the previous period of the same length, the revenue trend and its forecast."""

from __future__ import annotations

from data_stack.dashboards.filters import Filters, Query, between, one_of, where
from data_stack.dashboards.queries import logistics, product

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
            select {PERIOD.format(column="ship_date")} as period, {logistics.ON_TIME_RATE} as on_time_rate
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
    """The on-time rate of each ship date whose rate is final: every row of the day is (the mart's is_final: no
    shipment pending any more; a pending one could still arrive on time, and only the early arrivals are counted)."""
    clause, params = where(between("ship_date", f.start, f.end), one_of("destination_region", f.regions))
    return Query(
        f"select ship_date, {logistics.ON_TIME_RATE} as on_time_rate from logistics.delivery_sla_daily {clause} "
        "group by ship_date having bool_and(is_final) order by ship_date",
        tuple(params),
    )


def revenue_forecast(f: Filters) -> Query:
    """The shop's daily revenue, all regions: observed days in the period, then the forecast line to show for the
    next 28 days. The forecast is not split by region, so the region filter does not apply."""
    clause, params = where(
        ("is_shown and category = ? and measure = 'revenue'", [product.ALL_CATEGORIES]),
        ("model <> 'actual' or sales_date between ? and ?", [f.start, f.end]),
    )
    return Query(
        "select category, measure, model, sales_date, value, lower_80, upper_80, lower_95, upper_95 "
        f"from product.category_forecast_daily {clause} order by sales_date",
        tuple(params),
    )


def revenue_forecast_accuracy(f: Filters) -> Query:
    """Backtest accuracy of the revenue forecast per category, the shop's total first."""
    return Query(
        f"select {product.ACCURACY_COLUMNS} from product.category_forecast_accuracy where measure = 'revenue' "
        "order by case when category = ? then 0 else 1 end, category",
        (product.ALL_CATEGORIES,),
    )


QUERIES = (kpis, revenue_trend, revenue_by_region, on_time_trend, revenue_forecast, revenue_forecast_accuracy)

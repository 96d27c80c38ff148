"""Marketing: revenue by channel, the session funnel, customer segments and weekly cohorts."""

from __future__ import annotations

from datetime import timedelta

from data_stack.dashboards.filters import Filters, Query, between, one_of, where

COHORT_WEEKS = 8


def revenue_by_channel(f: Filters) -> Query:
    clause, params = where(between("order_date", f.start, f.end), one_of("region", f.regions))
    return Query(
        "select order_date, channel, sum(revenue) as revenue, sum(revenue_order_count) as orders "
        f"from marketing.revenue_daily {clause} group by order_date, channel order by order_date, channel",
        tuple(params),
    )


def funnel(f: Filters) -> Query:
    """Sessions reaching each step in the period (the clickstream has no region: not filtered by region)."""
    clause, params = where(between("session_date", f.start, f.end))
    return Query(
        "select sum(session_count) as sessions, sum(product_view_session_count) as product_views, "
        "sum(add_to_cart_session_count) as add_to_cart, sum(checkout_session_count) as checkout, "
        "sum(purchase_session_count) as purchase, sum(order_count) as orders "
        f"from marketing.funnel_daily {clause}",
        tuple(params),
    )


def conversion_by_device(f: Filters) -> Query:
    clause, params = where(between("session_date", f.start, f.end))
    return Query(
        "select device_type, sum(session_count) as sessions, "
        "cast(sum(purchase_session_count) as double precision) / nullif(sum(session_count), 0) as conversion_rate "
        f"from marketing.funnel_daily {clause} group by device_type order by device_type",
        tuple(params),
    )


def segments(f: Filters) -> Query:
    """Customers by segment as of the published run (segments are not dated: no date filter)."""
    clause, params = where(one_of("region", f.regions))
    return Query(
        "select customer_segment, count(*) as customers, sum(lifetime_value) as lifetime_value, "
        "avg(order_count) as orders_per_customer "
        f"from marketing.customers {clause} group by customer_segment order by customers desc",
        tuple(params),
    )


def cohorts(f: Filters) -> Query:
    """Weekly cohorts by first order week (first order inside the period): the share still ordering N weeks on.

    cohort_activity_daily counts each customer once per active week, on its first active day there, so summing
    the days up to the end date gives the customers active in each week so far."""
    first_week = f.start - timedelta(days=f.start.weekday())
    clause, params = where(
        between("first_order_week", first_week, f.end),
        ("order_date <= ?", [f.end]),
        one_of("region", f.regions),
    )
    sql = f"""
        with weekly as (
            select first_order_week as cohort_week,
                   cast((order_week - first_order_week) / 7 as integer) as weeks_since_first_order,
                   sum(customer_count) as active_customers
            from marketing.cohort_activity_daily {clause}
            group by 1, 2
        )
        select weekly.cohort_week, weekly.weeks_since_first_order, sizes.active_customers as cohort_size,
               weekly.active_customers,
               cast(weekly.active_customers as double precision) / sizes.active_customers as retention
        from weekly
        inner join weekly as sizes
            on sizes.cohort_week = weekly.cohort_week and sizes.weeks_since_first_order = 0
        where weekly.weeks_since_first_order < {COHORT_WEEKS}
        order by weekly.cohort_week, weekly.weeks_since_first_order
    """
    return Query(sql, tuple(params))


QUERIES = (revenue_by_channel, funnel, conversion_by_device, segments, cohorts)

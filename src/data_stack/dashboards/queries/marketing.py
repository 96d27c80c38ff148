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
    """Weekly cohorts by first order week (first order inside the period): the share still ordering N weeks on."""
    first_week = f.start - timedelta(days=f.start.weekday())
    region = one_of("customers.region", f.regions)
    cohort_where, cohort_params = where(between("customers.first_order_at", first_week, f.end), region)
    sql = f"""
        with cohort as (
            select customers.customer_id,
                   cast(date_trunc('week', customers.first_order_at) as date) as cohort_week
            from marketing.customers {cohort_where}
        ),
        activity as (
            select distinct cohort.customer_id, cohort.cohort_week,
                   cast(date_trunc('week', orders.order_date) as date) as active_week
            from marketing.orders
            inner join cohort on orders.customer_id = cohort.customer_id
            where orders.is_revenue_order and orders.order_date between ? and ?
        ),
        sizes as (
            select cohort_week, count(*) as cohort_size from cohort group by cohort_week
        )
        select activity.cohort_week,
               cast((activity.active_week - activity.cohort_week) / 7 as integer) as weeks_since_first_order,
               sizes.cohort_size,
               count(*) as active_customers,
               cast(count(*) as double precision) / sizes.cohort_size as retention
        from activity
        inner join sizes on activity.cohort_week = sizes.cohort_week
        where activity.active_week - activity.cohort_week < {7 * COHORT_WEEKS}
        group by activity.cohort_week, activity.active_week, sizes.cohort_size
        order by activity.cohort_week, weeks_since_first_order
    """
    return Query(sql, (*cohort_params, first_week, f.end))


QUERIES = (revenue_by_channel, funnel, conversion_by_device, segments, cohorts)

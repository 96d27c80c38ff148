"""Queries every page needs: the bounds for the sidebar filters."""

from __future__ import annotations

from data_stack.dashboards.filters import Query


def filter_options() -> Query:
    """Date bounds of the order data and the regions and categories to offer."""
    return Query(
        "select "
        "(select min(order_date) from marketing.revenue_daily) as first_date, "
        "(select max(order_date) from marketing.revenue_daily) as last_date, "
        "(select string_agg(region, '|' order by region) from ("
        "  select region from marketing.revenue_daily union select destination_region from logistics.delivery_sla_daily"
        ") as regions) as regions, "
        "(select string_agg(category, '|' order by category) from ("
        "  select distinct category from product.products"
        ") as categories) as categories"
    )

"""Product: top products and categories with margin, and weekly category sales beside market indicators."""

from __future__ import annotations

from datetime import timedelta

from data_stack.dashboards.filters import Filters, Query, between, one_of, where

TOP_N = 15


def top_products(f: Filters) -> Query:
    """Lifetime sales and margin as of the published run (the products mart is not dated)."""
    clause, params = where(one_of("category", f.categories), ("revenue > 0", []))
    return Query(
        "select product_name, category, units_sold, revenue, margin, margin_pct "
        f"from product.products {clause} order by revenue desc, product_id limit {TOP_N}",
        tuple(params),
    )


def categories(f: Filters) -> Query:
    clause, params = where(one_of("category", f.categories))
    return Query(
        "select category, count(*) as products, sum(units_sold) as units_sold, sum(revenue) as revenue, "
        "sum(margin) as margin, sum(margin) / nullif(sum(revenue), 0) as margin_pct "
        f"from product.products {clause} group by category order by revenue desc",
        tuple(params),
    )


def weekly_market(f: Filters) -> Query:
    """Category sales per ISO week in the period, with the vendor's demand index and our price index."""
    first_week = f.start - timedelta(days=f.start.weekday())
    clause, params = where(between("week_start_date", first_week, f.end), one_of("category", f.categories))
    return Query(
        "select week_start_date, category, units_sold, revenue, average_selling_price, "
        "category_demand_index, avg_competitor_price, price_index "
        f"from product.product_market_weekly {clause} order by week_start_date, category",
        tuple(params),
    )


QUERIES = (top_products, categories, weekly_market)

"""The product population (scale + seed), its weekly prices, and the weekly catalog snapshot rows."""

from __future__ import annotations

import duckdb

from data_stack.generate.plan import Plan
from data_stack.generate.timeline import day_number, monday_sql, week_sql
from data_stack.generate.vocab import (
    ADJECTIVES,
    CATEGORIES,
    CATEGORY_COST_RANGES,
    CATEGORY_NOUNS,
    CATEGORY_WEIGHT_KG,
    COLORS,
    MODEL_SUFFIXES,
    SUPPLIERS,
    TAGS,
    sql_list,
    sql_pick,
)


def list_price_sql(cost: str, markup: str, product_id: str, week: str) -> str:
    """Weekly list price: cost x markup, drifting ±4 % from week to week, ending in .99."""
    return (
        f"(ceil({cost} * {markup} * (0.96 + 0.08 * u({product_id} * 100000 + {week}, 'price'))) - 0.01)::decimal(10, 2)"
    )


def build(conn: duckdb.DuckDBPyConnection, plan: Plan) -> list[int]:
    """Create `products` and `category_products(category_index, rank, product_id)`; return the number of
    active products per category (ranks are 0..n-1, most popular first)."""
    low = sql_list([low for low, _ in CATEGORY_COST_RANGES])
    high = sql_list([high for _, high in CATEGORY_COST_RANGES])
    kg_low = sql_list([low for low, _ in CATEGORY_WEIGHT_KG])
    kg_high = sql_list([high for _, high in CATEGORY_WEIGHT_KG])
    categories = len(CATEGORIES)
    conn.execute(
        f"""
        create or replace table products as
        with base as (
            -- round-robin categories: every category has products at any scale
            select product_id, (product_id - 1) % {categories} as category_index
            from range(1, {plan.sizes.products + 1}) as ids(product_id)
        )
        select
            product_id,
            category_index,
            'NW-' || upper(left(replace({sql_list(CATEGORIES)}[category_index + 1], ' ', ''), 3)) || '-'
                || lpad(product_id::varchar, 6, '0') as sku,
            {sql_pick(ADJECTIVES, "product_id", "adjective")} || ' '
                || {sql_list(CATEGORY_NOUNS)}[category_index + 1][1 + pick(product_id, 'noun', 6)] || ' '
                || {sql_pick(MODEL_SUFFIXES, "product_id", "suffix")} as product_name,
            {sql_list(CATEGORIES)}[category_index + 1] as category,
            {sql_list(CATEGORY_NOUNS)}[category_index + 1][1 + pick(product_id, 'noun', 6)] as subcategory,
            round({low}[category_index + 1]
                * pow({high}[category_index + 1] / {low}[category_index + 1], u(product_id, 'cost')), 2)
                ::decimal(10, 2) as unit_cost,
            1.3 + 0.9 * u(product_id, 'markup') as markup,
            {sql_pick(SUPPLIERS, "product_id", "supplier")} as supplier,
            -- the first product of each category stays active so every category can sell
            product_id <= {categories} or u(product_id, 'inactive') >= 0.04 as is_active,
            {{
                'color': {sql_pick(COLORS, "product_id", "color")},
                'weight_kg': round({kg_low}[category_index + 1]
                    + ({kg_high}[category_index + 1] - {kg_low}[category_index + 1]) * u(product_id, 'kg'), 2),
                'tags': list_filter({sql_list(TAGS)}, tag -> u(product_id, 'tag ' || tag) < 0.2)
            }} as attributes
        from base
        """
    )
    conn.execute(
        """
        create or replace table category_products as
        select
            category_index,
            row_number() over (partition by category_index order by u(product_id, 'popularity'), product_id) - 1
                as rank,
            product_id
        from products
        where is_active
        """
    )
    counts = dict(conn.execute("select category_index, count(*) from category_products group by all").fetchall())
    return [counts.get(index, 0) for index in range(categories)]


def catalog_rows_sql(plan: Plan) -> str:
    """Weekly full snapshots: every product with that week's list price, one file per weekly drop day."""
    weekly = ", ".join(f"({day_number(day)})" for day in plan.window.weekly_dates())
    return f"""
        with drops as (select day_no, {week_sql("day_no")} as week_no from (values {weekly}) as d(day_no))
        select
            day_date(drops.day_no) as file_day,
            products.product_id,
            products.sku,
            products.product_name,
            products.category,
            products.subcategory,
            products.unit_cost,
            {list_price_sql("products.unit_cost", "products.markup", "products.product_id", "drops.week_no")}
                as list_price,
            products.supplier,
            products.is_active,
            -- prices change on Mondays
            iso({monday_sql("drops.week_no")} * 86400) as updated_at,
            products.attributes
        from drops, products
    """

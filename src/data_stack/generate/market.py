"""Market indicators: a vendor's weekly drop, one row per category and indicator for the drop's ISO week.

The values are the latent drivers of sales (demand.py) plus noise, so they correlate loosely with category
sales: `category_demand_index` is 100 x the category's demand multiplier, `consumer_confidence` the week's
confidence that drives order volume, `avg_competitor_price` the category's average list price, give or take 8 %.
"""

from __future__ import annotations

from data_stack.generate.demand import category_demand_sql, confidence_sql
from data_stack.generate.plan import Plan
from data_stack.generate.timeline import day_number, monday_sql, week_sql

COLUMNS = ["indicator_date", "category", "indicator_name", "value", "unit"]


def output_sql(plan: Plan) -> str:
    weekly = ", ".join(f"({day_number(day)})" for day in plan.window.weekly_dates())
    noise = "(u(categories.category_index * 100000 + drops.week_no, 'noise ' || indicators.indicator_name) - 0.5)"
    return f"""
        with drops as (select day_no, {week_sql("day_no")} as week_no from (values {weekly}) as d(day_no)),
        categories as (
            select category_index, any_value(category) as category,
                sum(ceil(unit_cost * markup) - 0.01) / count(*) as avg_list_price
            from products
            group by category_index
        ),
        indicators as (
            select * from (values ('category_demand_index', 'index'), ('avg_competitor_price', 'USD'),
                ('consumer_confidence', 'index')) as i(indicator_name, unit)
        )
        select
            drops.day_no as file_day_no,
            categories.category_index * 10 + (case indicators.indicator_name
                when 'category_demand_index' then 0 when 'avg_competitor_price' then 1 else 2 end) as sort_key,
            strftime(day_date({monday_sql("drops.week_no")}), '%Y-%m-%d') as indicator_date,
            categories.category,
            indicators.indicator_name,
            round(case indicators.indicator_name
                when 'category_demand_index'
                    then 100 * {category_demand_sql("categories.category_index", "drops.week_no")} + 8 * {noise}
                when 'avg_competitor_price' then categories.avg_list_price * (1 + 0.16 * {noise})
                else 90 + 20 * {confidence_sql("drops.week_no")} + 4 * (u(drops.week_no, 'noise confidence') - 0.5)
            end, 2)::double as value,
            indicators.unit
        from drops, categories, indicators
    """

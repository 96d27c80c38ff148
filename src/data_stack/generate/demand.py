"""Weekly market conditions: consumer confidence drives order volume, category demand drives what is bought.

The market indicators vendor reports the same latent values (with noise), so indicators correlate with sales.
Both are functions of the ISO week number, identical in every drop.
"""

from __future__ import annotations

import duckdb

from data_stack.generate.vocab import CATEGORIES, CATEGORY_SHARES, sql_list

SLOTS = 1000


def confidence_sql(week: str) -> str:
    """Consumer confidence of a week, in [0, 1)."""
    return f"u({week}, 'confidence')"


def category_demand_sql(category_index: str, week: str) -> str:
    """Demand multiplier of a category in a week, 0.7..1.3 around its usual share."""
    return f"(0.7 + 0.6 * u({category_index} * 100000 + {week}, 'demand'))"


def build_category_slots(conn: duckdb.DuckDBPyConnection, first_week: int, last_week: int) -> None:
    """`category_slots(week_no, slot, category_index)`: 1000 slots per week shared out among categories in
    proportion to demand, so a weighted category choice is a join on a uniform slot number. Weights are
    integers: the running sums are exact."""
    conn.execute(
        f"""
        create or replace table category_weeks as
        select
            weeks.week_no,
            categories.category_index,
            round({sql_list(CATEGORY_SHARES)}[categories.category_index + 1]
                * {category_demand_sql("categories.category_index", "weeks.week_no")} * 100000)::bigint as weight
        from range({first_week}, {last_week + 1}) as weeks(week_no),
            range({len(CATEGORIES)}) as categories(category_index)
        """
    )
    conn.execute(
        f"""
        create or replace table category_slots as
        with bounds as (
            select
                week_no,
                category_index,
                sum(weight) over (partition by week_no order by category_index
                    rows between unbounded preceding and current row) - weight as low,
                sum(weight) over (partition by week_no order by category_index
                    rows between unbounded preceding and current row) as high,
                sum(weight) over (partition by week_no) as total
            from category_weeks
        )
        select bounds.week_no, slots.slot, bounds.category_index
        from bounds, range({SLOTS}) as slots(slot)
        where slots.slot * bounds.total >= bounds.low * {SLOTS} and slots.slot * bounds.total < bounds.high * {SLOTS}
        """
    )

"""Product: top products and categories with margin, weekly category sales beside market indicators, and the
category forecast with its measured accuracy."""

from __future__ import annotations

from datetime import timedelta

from data_stack.dashboards.filters import Filters, Query, between, one_of, where

TOP_N = 15
ALL_CATEGORIES = "All categories"  # the forecast's series for the shop's total (product.category_forecast_daily)
ACCURACY_COLUMNS = (
    "category, measure, model_smape, baseline_smape, beats_baseline, model_coverage_80, model_coverage_95, "
    "baseline_coverage_80, baseline_coverage_95, horizon_days, fold_count, history_days, trained_through"
)


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


def forecast_series(f: Filters) -> tuple[str, ...]:
    """The forecast series the page shows: the picked categories, or the shop's total when none is picked."""
    return f.categories or (ALL_CATEGORIES,)


def forecast(f: Filters) -> Query:
    """Revenue and units of the shown series: observed days in the period, then the line to show for the next 28
    days (the model's where it beat the baseline in the backtest, the baseline's otherwise)."""
    clause, params = where(
        ("is_shown", []),
        one_of("category", forecast_series(f)),
        ("model <> 'actual' or sales_date between ? and ?", [f.start, f.end]),
    )
    return Query(
        "select category, measure, model, sales_date, value, lower_80, upper_80, lower_95, upper_95 "
        f"from product.category_forecast_daily {clause} order by category, measure, sales_date",
        tuple(params),
    )


def forecast_accuracy(f: Filters) -> Query:
    """Backtest accuracy of the shown series, both measures."""
    clause, params = where(one_of("category", forecast_series(f)))
    return Query(
        f"select {ACCURACY_COLUMNS} from product.category_forecast_accuracy {clause} order by category, measure",
        tuple(params),
    )


QUERIES = (top_products, categories, weekly_market, forecast, forecast_accuracy)

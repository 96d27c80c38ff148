"""The Overview and Product pages show the forecast beside the actuals, with its measured accuracy, and say so
wherever the model does not beat the seasonal-naive baseline; numbers checked against SQL written here."""

from __future__ import annotations

import pytest

from data_stack.dashboards import source
from data_stack.dashboards.filters import Filters
from data_stack.dashboards.queries import overview, product

from .apptest import metrics, number, open_page, problems

pytestmark = pytest.mark.slow

TOTAL = "All categories"


def shown_forecast_total(wh, category: str, measure: str) -> float:
    return wh.scalar(
        "select sum(value) from product.category_forecast_daily "
        "where category = ? and measure = ? and model <> 'actual' and is_shown",
        [category, measure],
    )


def not_beaten(wh, measure: str | None = None) -> set[tuple[str, str]]:
    rows = wh.sql("select category, measure from product.category_forecast_accuracy where not beats_baseline")
    return {(category, kind) for category, kind in rows if measure in (None, kind)}


def named_in_notes(at) -> set[tuple[str, str]]:
    """(category, measure) of every 'does not beat' or 'too few days' line the page warns about."""
    named = set()
    for warning in at.warning:
        for line in warning.value.splitlines():
            if line.startswith("- ") and ": " in line:
                series = line[2:].split(": ", 1)[0]
                category, measure = series.rsplit(", ", 1)
                named.add((category, measure))
    return named


def test_the_fixture_forecasts_with_a_measured_backtest(app_env):
    """Otherwise the pages below would show only the short-history fallback."""
    folds, horizon, models = app_env.sql(
        "select min(fold_count), min(horizon_days), "
        "(select count(distinct model) from product.category_forecast_daily) from product.category_forecast_accuracy"
    )[0]
    assert folds >= 2 and horizon >= 7, (folds, horizon)
    assert models == 3  # actuals, the model and the baseline


def test_the_shop_total_history_is_revenue_per_day(app_env):
    """The forecast's observed days are the revenue the Overview reports, day by day."""
    wh = app_env
    expected = dict(wh.sql("select order_date, sum(revenue) from marketing.revenue_daily group by order_date"))
    actual = dict(
        wh.sql(
            "select sales_date, value from product.category_forecast_daily "
            "where category = ? and measure = 'revenue' and model = 'actual'",
            [TOTAL],
        )
    )
    assert actual.keys() == expected.keys()
    for day, revenue in expected.items():
        assert actual[day] == pytest.approx(float(revenue), abs=0.01), day


def test_the_line_shown_is_the_model_only_where_it_beats_the_baseline(app_env):
    rows = app_env.sql(
        "select forecast.category, forecast.measure, forecast.model, accuracy.beats_baseline "
        "from product.category_forecast_daily as forecast "
        "join product.category_forecast_accuracy as accuracy "
        "on accuracy.category = forecast.category and accuracy.measure = forecast.measure "
        "where forecast.is_shown and forecast.model <> 'actual' group by all"
    )
    assert rows
    for category, measure, model, beats in rows:
        assert model == ("weekday_trend" if beats else "seasonal_naive"), (category, measure)


def test_overview_shows_the_revenue_forecast_and_notes_where_the_model_is_not_trusted(app_env):
    wh = app_env
    at = open_page("overview")
    assert not problems(at), problems(at)
    shown = number(metrics(at)["Revenue forecast, next 28 days"])
    assert shown == pytest.approx(shown_forecast_total(wh, TOTAL, "revenue"), abs=0.5)
    assert named_in_notes(at) == not_beaten(wh, "revenue")
    model, baseline = wh.sql(
        "select model_smape, baseline_smape from product.category_forecast_accuracy "
        "where category = ? and measure = 'revenue'",
        [TOTAL],
    )[0]
    caption = next(caption.value for caption in at.caption if "Backtest sMAPE" in caption.value)
    assert f"{model * 100:.1f}%" in caption and f"{baseline * 100:.1f}%" in caption
    table = at.dataframe[-1].value
    assert set(table["category"]) == {
        category
        for (category,) in wh.sql("select category from product.category_forecast_accuracy where measure = 'revenue'")
    }


def test_overview_forecast_query_has_the_period_then_28_forecast_days(app_env):
    wh = app_env
    last = wh.scalar("select max(order_date) from marketing.orders")
    start = wh.scalar("select min(order_date) from marketing.orders")
    frame = source.run(source.current(), overview.revenue_forecast(Filters(start, last, regions=("West",))))
    observed = frame[frame["model"] == "actual"]
    future = frame[frame["model"] != "actual"]
    assert len(observed) == (last - start).days + 1  # the region filter does not apply
    assert len(future) == 28 and future["model"].nunique() == 1
    assert future["sales_date"].min().date() > last
    assert (future["lower_95"] <= future["value"]).all() and (future["value"] <= future["upper_95"]).all()


def test_product_forecast_follows_the_category_filter_with_a_note_per_untrusted_series(app_env):
    wh = app_env
    categories = [
        category
        for (category,) in wh.sql(
            "select distinct category from product.category_forecast_accuracy where category <> ? order by 1", [TOTAL]
        )
    ]
    at = open_page("product")
    assert not problems(at), problems(at)
    assert number(metrics(at)["Revenue forecast, next 28 days"]) == pytest.approx(
        shown_forecast_total(wh, TOTAL, "revenue"), abs=0.5
    )
    at.sidebar.multiselect(key="categories").set_value(categories)
    at.run()
    assert not problems(at), problems(at)
    expected = sum(shown_forecast_total(wh, category, "units") for category in categories)
    assert number(metrics(at)["Units forecast, next 28 days"]) == pytest.approx(expected, abs=0.5)
    assert named_in_notes(at) == not_beaten(wh) - {(TOTAL, "revenue"), (TOTAL, "units")}
    table = at.dataframe[-1].value
    assert len(table) == 2 * len(categories)
    frame = source.run(source.current(), product.forecast(Filters(*_period(wh), categories=tuple(categories))))
    assert set(frame["category"]) == set(categories)


def _period(wh) -> tuple:
    return wh.scalar("select min(order_date) from marketing.orders"), wh.scalar(
        "select max(order_date) from marketing.orders"
    )

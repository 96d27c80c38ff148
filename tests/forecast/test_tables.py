"""The rows the dbt Python models publish: both methods for every series, and the same rows for the same input."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from data_stack.forecast import accuracy, forecasts
from data_stack.forecast.series import ALL_CATEGORIES

from .series import seasonal_random_walk, trend_and_weekdays

START = date(2026, 1, 5)  # a Monday


def sales(days: int = 90) -> pd.DataFrame:
    """Two categories as int_category_sales_aggregated holds them: toys trend with weekdays, office a random walk."""
    rows = []
    for category, values in (("toys", trend_and_weekdays(1, days)), ("office", seasonal_random_walk(2, days))):
        rows += [
            {
                "order_date": START + timedelta(days=day),
                "category": category,
                "revenue": round(value, 2),
                "units_sold": int(value // 10),
            }
            for day, value in enumerate(values)
        ]
    return pd.DataFrame(rows)


def test_the_same_input_gives_the_same_rows_whatever_their_order():
    frame = sales()
    shuffled = frame.sample(frac=1, random_state=7).reset_index(drop=True)
    pd.testing.assert_frame_equal(forecasts(frame), forecasts(shuffled))
    pd.testing.assert_frame_equal(accuracy(frame), accuracy(shuffled))


def test_every_series_has_its_history_and_28_days_of_both_methods():
    result = forecasts(sales())
    assert set(result["category"]) == {ALL_CATEGORIES, "toys", "office"}
    counts = result.groupby(["category", "measure", "model"]).size()
    assert len(counts) == 3 * 2 * 3 and set(counts) == {90, 28}
    assert (counts.xs("actual", level="model") == 90).all()
    future = result[result["model"] != "actual"]
    assert future["sales_date"].min() == pd.Timestamp(START + timedelta(days=90))
    assert set(future["horizon_days"]) == set(range(1, 29))
    assert (result["trained_through"] == pd.Timestamp(START + timedelta(days=89))).all()


def test_the_total_is_the_sum_of_the_categories():
    result = forecasts(sales())
    actual = result[(result["model"] == "actual") & (result["measure"] == "revenue")]
    by_day = actual.pivot_table(index="sales_date", columns="category", values="value")
    np.testing.assert_allclose(by_day[ALL_CATEGORIES], by_day["toys"] + by_day["office"])


def test_accuracy_says_where_the_model_beats_the_baseline():
    result = accuracy(sales()).set_index(["category", "measure"])
    assert bool(result.loc[("toys", "revenue"), "beats_baseline"])
    assert not bool(result.loc[("office", "revenue"), "beats_baseline"])
    assert set(result["fold_count"]) == {4} and set(result["horizon_days"]) == {28}


def test_a_day_without_sales_is_a_zero_and_a_missing_number_is_null():
    frame = sales(days=10)
    frame = frame[frame["order_date"] != START + timedelta(days=3)]  # nothing sold that day
    result = forecasts(frame)
    actual = result[(result["model"] == "actual") & (result["category"] == "toys")]
    assert len(actual) == 2 * 10 and actual["value"].min() == 0
    baseline = result[result["model"] == "seasonal_naive"]
    assert baseline["lower_80"].isna().all()  # ten days: too few week-on-week changes for an interval
    assert "weekday_trend" not in set(result["model"])
    measured = accuracy(frame)
    assert measured["model_smape"].isna().all() and not measured["beats_baseline"].any()


def test_no_sales_no_rows_with_the_same_columns():
    empty = pd.DataFrame(columns=["order_date", "category", "revenue", "units_sold"])
    assert list(forecasts(empty).dtypes.astype(str)) == list(forecasts(sales()).dtypes.astype(str))
    assert accuracy(empty).empty

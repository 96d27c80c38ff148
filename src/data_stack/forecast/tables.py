"""The rows the dbt Python models return: each series observed and forecast per day, and the backtest accuracy."""

from __future__ import annotations

import pandas as pd

from data_stack.forecast.backtest import HORIZON, backtest
from data_stack.forecast.baseline import seasonal_naive
from data_stack.forecast.intervals import LEVELS, Forecast
from data_stack.forecast.model import weekday_trend
from data_stack.forecast.series import Series, daily_series

MODEL = "weekday_trend"
BASELINE = "seasonal_naive"
ACTUAL = "actual"  # the observed days, as the methods saw them
FORECAST_COLUMNS = [
    "category",
    "measure",
    "model",
    "sales_date",
    "horizon_days",
    "value",
    *(f"{side}_{round(level * 100)}" for level in LEVELS for side in ("lower", "upper")),
    "trained_through",
]
ACCURACY_COLUMNS = [
    "category",
    "measure",
    "model",
    "baseline",
    "model_smape",
    "baseline_smape",
    "beats_baseline",
    *(f"{method}_coverage_{round(level * 100)}" for method in ("model", "baseline") for level in LEVELS),
    "horizon_days",
    "fold_count",
    "history_days",
    "trained_through",
]


def forecasts(sales: pd.DataFrame, horizon: int = HORIZON) -> pd.DataFrame:
    """Every series' observed days, then both methods' forecasts for the `horizon` days after the last order date."""
    rows = []
    for series in daily_series(sales):
        rows += _actual_rows(series)
        weekday = series.first_date.weekday()
        for name, forecast in (
            (MODEL, weekday_trend(series.values, weekday, horizon)),
            (BASELINE, seasonal_naive(series.values, horizon)),
        ):
            if forecast is not None:
                rows += _forecast_rows(series, name, forecast)
    return _typed(pd.DataFrame(rows, columns=FORECAST_COLUMNS))


def accuracy(sales: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for series in daily_series(sales):
        result = backtest(series.values, series.first_date.weekday())
        row = {
            "category": series.category,
            "measure": series.measure,
            "model": MODEL,
            "baseline": BASELINE,
            "model_smape": result.model_smape,
            "baseline_smape": result.baseline_smape,
            "beats_baseline": result.beats_baseline,
            "horizon_days": result.horizon,
            "fold_count": result.folds,
            "history_days": len(series.values),
            "trained_through": series.last_date,
        }
        for method, measured in (("model", result.model_coverage), ("baseline", result.baseline_coverage)):
            for level in LEVELS:
                row[f"{method}_coverage_{round(level * 100)}"] = measured.get(level)
        rows.append(row)
    return _typed(pd.DataFrame(rows, columns=ACCURACY_COLUMNS))


def _actual_rows(series: Series) -> list[dict]:
    last = pd.Timestamp(series.last_date)
    days = len(series.values)
    return [
        {
            "category": series.category,
            "measure": series.measure,
            "model": ACTUAL,
            "sales_date": last - pd.Timedelta(days=days - 1 - index),
            "horizon_days": index - days + 1,
            "value": float(value),
            "trained_through": last,
        }
        for index, value in enumerate(series.values)
    ]


def _forecast_rows(series: Series, name: str, forecast: Forecast) -> list[dict]:
    last = pd.Timestamp(series.last_date)
    rows = []
    for step, point in enumerate(forecast.point):
        row = {
            "category": series.category,
            "measure": series.measure,
            "model": name,
            "sales_date": last + pd.Timedelta(days=step + 1),
            "horizon_days": step + 1,
            "value": float(point),
            "trained_through": last,
        }
        for level in LEVELS:
            row[f"lower_{round(level * 100)}"] = float(forecast.lower[level][step])
            row[f"upper_{round(level * 100)}"] = float(forecast.upper[level][step])
        rows.append(row)
    return rows


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Column types fixed, whatever the rows: DuckDB reads the same types from an empty frame as from a full one,
    and a missing number (NaN) becomes SQL null, not a NaN double."""
    types = {}
    for column in frame.columns:
        if column in ("sales_date", "trained_through"):
            types[column] = "datetime64[ns]"
        elif column in ("category", "measure", "model", "baseline"):
            types[column] = "string"
        elif column == "beats_baseline":
            types[column] = "boolean"
        elif column in ("horizon_days", "fold_count", "history_days"):
            types[column] = "Int64"
        else:
            types[column] = "Float64"
    return frame.astype(types)

"""Daily revenue and units per product category, forecast 28 days ahead with prediction intervals, and the
forecast's accuracy on a rolling-origin backtest against a seasonal-naive baseline (docs/forecast.md).

The dbt Python models `int_category_sales_forecasted` and `int_category_forecasts_backtested` call `forecasts`
and `accuracy`; numpy and pandas only, deterministic (no randomness, no clock)."""

from __future__ import annotations

from data_stack.forecast.tables import accuracy, forecasts

__all__ = ["accuracy", "forecasts"]

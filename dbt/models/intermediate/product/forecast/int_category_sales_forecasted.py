"""Daily revenue and units per category (and for all categories together): every observed day, then 28 days past
the last order date forecast by the weekday-trend model and by the seasonal-naive baseline, with 80% and 95%
prediction intervals.

The method lives in data_stack.forecast (docs/forecast.md); category_forecast_daily publishes it under a contract.
"""

from data_stack.forecast import forecasts


def model(dbt, session):
    dbt.config(materialized="table")
    return forecasts(dbt.ref("int_category_sales_aggregated").df())

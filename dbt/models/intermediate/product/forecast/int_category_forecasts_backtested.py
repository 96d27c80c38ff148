"""Accuracy of the forecast per category and measure: the weekday-trend model and the seasonal-naive baseline on
the same rolling-origin folds (sMAPE, interval coverage), and whether the model beats the baseline.

The method lives in data_stack.forecast (docs/forecast.md); category_forecast_accuracy publishes it under a
contract.
"""

from data_stack.forecast import accuracy


def model(dbt, session):
    dbt.config(materialized="table")
    return accuracy(dbt.ref("int_category_sales_aggregated").df())

"""Daily series to forecast: revenue and units per category, every day from the first to the last order date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

ALL_CATEGORIES = "All categories"  # the shop's total, forecast as a series of its own (intervals do not add up)
MEASURES = {"revenue": "revenue", "units": "units_sold"}  # measure -> column of the daily sales


@dataclass(frozen=True)
class Series:
    category: str
    measure: str
    first_date: date
    values: np.ndarray  # one value per day from first_date

    @property
    def last_date(self) -> date:
        return (pd.Timestamp(self.first_date) + pd.Timedelta(days=len(self.values) - 1)).date()


def daily_series(sales: pd.DataFrame) -> list[Series]:
    """`sales`: order_date, category, revenue, units_sold (int_category_sales_aggregated). A day missing for a
    category is a day without its sales (0). Sorted by category, then measure, the total first."""
    if sales.empty:
        return []
    dates = pd.to_datetime(sales["order_date"])
    days = pd.date_range(dates.min(), dates.max(), freq="D")
    first = days[0].date()
    result = []
    for measure, column in MEASURES.items():
        wide = (
            sales.assign(order_date=dates, value=sales[column].astype(float))
            .pivot_table(index="order_date", columns="category", values="value", aggfunc="sum", fill_value=0.0)
            .reindex(days, fill_value=0.0)
        )
        result.append(Series(ALL_CATEGORIES, measure, first, wide.sum(axis=1).to_numpy()))
        result += [Series(str(name), measure, first, wide[name].to_numpy()) for name in sorted(wide.columns)]
    return sorted(result, key=lambda item: (item.category != ALL_CATEGORIES, item.category, item.measure))

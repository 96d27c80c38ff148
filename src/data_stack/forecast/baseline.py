"""The seasonal-naive baseline: each day is forecast as the same weekday of the last observed week."""

from __future__ import annotations

import numpy as np

from data_stack.forecast.intervals import Forecast, around, normal_quantile

SEASON = 7  # days: the weekly cycle of the shop's sales
MIN_ERRORS = SEASON  # seasonal differences needed before its intervals are estimated (two weeks of history)


def seasonal_naive(history: np.ndarray, horizon: int) -> Forecast | None:
    """None with less than one week of history. Intervals (Hyndman and Athanasopoulos, *Forecasting: Principles and
    Practice*, 5.5): the spread of a week-on-week change, times sqrt(weeks ahead), normal quantiles."""
    if len(history) < SEASON:
        return None
    steps = np.arange(horizon)
    point = history[len(history) - SEASON + steps % SEASON].astype(float)
    changes = history[SEASON:] - history[:-SEASON]
    if len(changes) < MIN_ERRORS:
        spread = np.full(horizon, np.nan)
    else:
        spread = np.sqrt(np.mean(changes**2)) * np.sqrt(steps // SEASON + 1)
    return around(point, spread, normal_quantile)

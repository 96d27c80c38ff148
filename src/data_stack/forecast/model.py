"""The forecasting model: an additive regression of the daily value on a linear trend and the weekday.

    y[t] = level + slope * t + effect[weekday(t)] + noise

fitted by least squares on the whole history. Prediction intervals are the regression's own (noise plus the
uncertainty of the fitted coefficients, which widens with the distance from the data), with Student t quantiles.

Days of one week often share a shock (a week of strong or weak demand): their residuals are correlated, and least
squares, which counts every day as independent evidence, then overstates how well the trend is known. The
coefficients' uncertainty is scaled by the design effect of the weeks, 7 × var(weekly mean residual) / var(residual)
between 1 (independent days) and 7 (a week moves as one): the number of days per independent piece of evidence.
"""

from __future__ import annotations

import numpy as np

from data_stack.forecast.intervals import Forecast, around, t_quantile

WEEKDAYS = 7
MIN_HISTORY = 28  # four of each weekday: 8 coefficients fitted on 28 days leave 20 degrees of freedom


def design(positions: np.ndarray, first_weekday: int, scale: float) -> np.ndarray:
    """Columns: intercept, trend (days / `scale`, for conditioning), and one indicator per weekday but the first."""
    weekdays = (first_weekday + positions) % WEEKDAYS
    indicators = (weekdays[:, None] == np.arange(1, WEEKDAYS)[None, :]).astype(float)
    return np.column_stack([np.ones(len(positions)), positions / scale, indicators])


def week_design_effect(residuals: np.ndarray, first_weekday: int) -> float:
    """7 × the mean square of the full calendar weeks' mean residuals over the mean square residual, in [1, 7]."""
    weeks = (first_weekday + np.arange(len(residuals))) // WEEKDAYS
    full = [residuals[weeks == week] for week in np.unique(weeks) if np.count_nonzero(weeks == week) == WEEKDAYS]
    spread = float(np.mean(residuals**2))
    if len(full) < 2 or spread == 0:
        return 1.0
    weekly = float(np.mean([days.mean() ** 2 for days in full]))
    return float(np.clip(WEEKDAYS * weekly / spread, 1.0, WEEKDAYS))


def weekday_trend(history: np.ndarray, first_weekday: int, horizon: int) -> Forecast | None:
    """`first_weekday`: 0 = Monday, of history[0]. None with less than MIN_HISTORY days."""
    days = len(history)
    if days < MIN_HISTORY:
        return None
    scale = float(days)
    fitted_x = design(np.arange(days), first_weekday, scale)
    future_x = design(np.arange(days, days + horizon), first_weekday, scale)
    coefficients, *_ = np.linalg.lstsq(fitted_x, history.astype(float), rcond=None)
    residuals = history - fitted_x @ coefficients
    dof = days - fitted_x.shape[1]
    variance = float(residuals @ residuals) / dof
    leverage = np.einsum("ij,jk,ik->i", future_x, np.linalg.pinv(fitted_x.T @ fitted_x), future_x)
    spread = np.sqrt(variance * (1.0 + week_design_effect(residuals, first_weekday) * leverage))
    return around(future_x @ coefficients, spread, lambda level: t_quantile(level, dof))

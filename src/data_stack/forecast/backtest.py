"""Rolling-origin backtest of the model against the seasonal-naive baseline.

Each fold trains both on the history up to an origin and forecasts the next `horizon` days; origins are a week
apart and the last fold ends on the last observed day. Accuracy is the sMAPE over every forecast day of every fold.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from data_stack.forecast.baseline import seasonal_naive
from data_stack.forecast.intervals import LEVELS, Forecast
from data_stack.forecast.model import MIN_HISTORY, weekday_trend

HORIZON = 28  # days ahead, as published
FOLDS = 4
STEP = 7  # days between origins
MIN_HORIZON = 7  # a fold tests at least every weekday once


@dataclass(frozen=True)
class Design:
    horizon: int
    folds: int

    def origins(self, days: int) -> list[int]:
        """Training lengths, oldest first."""
        last = days - self.horizon
        return [last - STEP * fold for fold in reversed(range(self.folds))]


def design(days: int) -> Design | None:
    """As many folds as the history allows (up to FOLDS), each as long as the published horizon if it can be; the
    first fold trains on at least MIN_HISTORY days. None when not even one week can be tested."""
    spare = days - MIN_HISTORY
    for folds in range(FOLDS, 0, -1):
        horizon = min(HORIZON, spare - STEP * (folds - 1))
        if horizon >= MIN_HORIZON:
            return Design(horizon, folds)
    return None


@dataclass(frozen=True)
class Accuracy:
    horizon: int = 0
    folds: int = 0
    model_smape: float | None = None
    baseline_smape: float | None = None
    model_coverage: dict[float, float | None] = field(default_factory=dict)
    baseline_coverage: dict[float, float | None] = field(default_factory=dict)

    @property
    def beats_baseline(self) -> bool:
        """Measured, and a lower sMAPE than the baseline's. Not measured means not shown to beat it."""
        if self.model_smape is None or self.baseline_smape is None:
            return False
        return self.model_smape < self.baseline_smape


def smape(actual: np.ndarray, forecast: np.ndarray) -> float:
    """Symmetric mean absolute percentage error, as a fraction (0 to 2): mean of 2|a - f| / (|a| + |f|), a day with
    neither sales nor forecast counting as exact."""
    denominator = np.abs(actual) + np.abs(forecast)
    terms = np.divide(2 * np.abs(actual - forecast), denominator, out=np.zeros_like(denominator), where=denominator > 0)
    return float(terms.mean())


def coverage(actual: np.ndarray, forecasts: list[Forecast], level: float) -> float | None:
    """Share of actual days inside the interval; None when the method gave no interval."""
    lower = np.concatenate([item.lower[level] for item in forecasts])
    upper = np.concatenate([item.upper[level] for item in forecasts])
    if np.isnan(lower).any():
        return None
    return float(np.mean((actual >= lower) & (actual <= upper)))


def backtest(values: np.ndarray, first_weekday: int) -> Accuracy:
    plan = design(len(values))
    if plan is None:
        return Accuracy()
    actual, models, baselines = [], [], []
    for origin in plan.origins(len(values)):
        history = values[:origin]
        actual.append(values[origin : origin + plan.horizon])
        models.append(weekday_trend(history, first_weekday, plan.horizon))
        baselines.append(seasonal_naive(history, plan.horizon))
    observed = np.concatenate(actual)
    return Accuracy(
        horizon=plan.horizon,
        folds=plan.folds,
        model_smape=smape(observed, np.concatenate([item.point for item in models])),
        baseline_smape=smape(observed, np.concatenate([item.point for item in baselines])),
        model_coverage={level: coverage(observed, models, level) for level in LEVELS},
        baseline_coverage={level: coverage(observed, baselines, level) for level in LEVELS},
    )

"""Constructed daily series with known structure, for the method's tests."""

from __future__ import annotations

import numpy as np

WEEKDAY_EFFECT = np.array([0.0, 5.0, 10.0, 15.0, 20.0, 60.0, 40.0])  # Monday .. Sunday, a weekend peak


def trend_and_weekdays(seed: int, days: int = 90) -> np.ndarray:
    """Level 200, +1.5 a day, the weekday effect, Gaussian noise (sd 8): the model's own assumptions."""
    rng = np.random.default_rng(seed)
    t = np.arange(days)
    return 200 + 1.5 * t + WEEKDAY_EFFECT[t % 7] + rng.normal(0, 8, days)


def seasonal_random_walk(seed: int, days: int = 90) -> np.ndarray:
    """Each day is the same weekday a week earlier plus a Gaussian step (sd 20): the seasonal-naive forecast is the
    best there is."""
    rng = np.random.default_rng(seed)
    values = np.empty(days)
    values[:7] = 1000 + 3 * WEEKDAY_EFFECT
    for day in range(7, days):
        values[day] = values[day - 7] + rng.normal(0, 20)
    return values


def white_noise(seed: int, days: int = 90) -> np.ndarray:
    """A constant level and independent noise: the best forecast is the mean, last week's value is a noisy one."""
    return 500 + np.random.default_rng(seed).normal(0, 50, days)


def weekly_shocks(seed: int, days: int = 90) -> np.ndarray:
    """The trend and weekday series, plus a shock per calendar week (sd 20) that every day of the week shares, as
    the generator draws each category's demand per week: residuals correlated within the week."""
    rng = np.random.default_rng(seed)
    t = np.arange(days)
    weekly = np.repeat(rng.normal(0, 20, days // 7 + 1), 7)[:days]
    return 200 + 1.5 * t + WEEKDAY_EFFECT[t % 7] + weekly + rng.normal(0, 8, days)

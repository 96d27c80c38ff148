"""The rolling-origin backtest tells a model that fits from one that does not, on series of known structure."""

from __future__ import annotations

import numpy as np
import pytest

from data_stack.forecast.backtest import Design, backtest, design, smape

from .series import seasonal_random_walk, trend_and_weekdays, white_noise

SEEDS = range(20)


def test_the_model_beats_seasonal_naive_on_trend_weekdays_and_noise():
    results = [backtest(trend_and_weekdays(seed), first_weekday=0) for seed in SEEDS]
    assert all(result.beats_baseline for result in results)
    assert all(result.model_smape < 0.5 * result.baseline_smape for result in results)  # by a wide margin


def test_the_model_does_not_beat_seasonal_naive_where_naive_is_optimal():
    results = [backtest(seasonal_random_walk(seed), first_weekday=0) for seed in SEEDS]
    assert not any(result.beats_baseline for result in results)


def test_on_white_noise_the_fitted_mean_beats_last_weeks_value_in_most_series():
    """Last week's value carries its own noise, so the baseline errs by about sqrt(2) times as much; with 4 folds
    of overlapping days the measured sMAPE still lets an unlucky series go the other way."""
    beaten = sum(backtest(white_noise(seed), first_weekday=0).beats_baseline for seed in SEEDS)
    assert beaten >= 18


def test_the_design_keeps_four_folds_of_28_days_at_demo_scale_and_shrinks_with_the_history():
    assert design(90) == Design(horizon=28, folds=4)
    assert design(90).origins(90) == [41, 48, 55, 62]  # the last fold ends on the last day
    assert design(56) == Design(horizon=7, folds=4)
    assert design(45) == Design(horizon=10, folds=2)
    assert design(35) == Design(horizon=7, folds=1)
    assert design(34) is None


def test_a_history_too_short_to_measure_is_not_said_to_beat_the_baseline():
    result = backtest(trend_and_weekdays(0, days=30), first_weekday=0)
    assert (result.folds, result.model_smape, result.beats_baseline) == (0, None, False)


def test_backtest_coverage_of_a_well_specified_model_is_near_nominal():
    results = [backtest(trend_and_weekdays(seed), first_weekday=0) for seed in SEEDS]
    assert np.mean([result.model_coverage[0.80] for result in results]) == pytest.approx(0.80, abs=0.05)
    assert np.mean([result.model_coverage[0.95] for result in results]) == pytest.approx(0.95, abs=0.03)


def test_smape_is_a_fraction_and_counts_a_day_with_neither_sales_nor_forecast_as_exact():
    assert smape(np.array([100.0, 0.0]), np.array([50.0, 0.0])) == pytest.approx((2 * 50 / 150) / 2)
    assert smape(np.array([0.0]), np.array([5.0])) == 2.0

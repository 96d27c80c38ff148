"""bench/history.py compares runs after one more day across lengths of history: that holds only if the extra day
is the same files for every history and the days they share have the same rows. Checked on two tiny generations
(no pipeline run)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture
def history(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(BENCH))  # the bench scripts import each other by their bare names
    module = importlib.import_module("history")
    monkeypatch.setattr(module, "CACHE", tmp_path)
    return module


def test_histories_of_different_lengths_share_the_same_extra_day_and_day_size(history):
    histories = [history.History(0.02, days) for days in (5, 9)]
    reports = [item.ensure() for item in histories]  # raises when its row counts differ from the generator's

    same = history.same_day_size(histories, reports)

    assert same["extra_day_identical"], same["extra_day_sha256"]
    assert same["shared_dates_equal"], same["shared_dates_mismatches"]
    assert same["extra_day_rows"] > 0
    assert [same["rows_per_day"][str(days)]["days"] for days in (5, 9)] == [2, 6]
    for item in histories:  # the extra day is set apart: the history ends the day before it
        assert not list(item.base.rglob(f"*{history.EXTRA_DAY.isoformat()}*"))
        assert list(item.extra_day.rglob("*"))

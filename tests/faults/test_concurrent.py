"""Two runs started at the same instant (two schedulers, a retry racing a manual run): one runs, the other is
refused at once with the lock's exit code and touches nothing; the result equals the reference."""

from __future__ import annotations

import pytest

from .conftest import assert_recovered, copy_ground, file_hash

pytestmark = pytest.mark.slow


def test_two_runs_at_the_same_instant_one_runs_one_is_refused(ground_template, reference, tmp_path):
    ground = copy_ground(ground_template, tmp_path / "data")
    published = file_hash(ground.current)
    first, second = ground.start("run"), ground.start("run")
    outputs = [proc.communicate(timeout=900)[1] for proc in (first, second)]
    results = sorted(zip([first.returncode, second.returncode], outputs, strict=True), key=lambda item: item[0])
    (ran, _), (refused, refusal) = results
    assert ran == 0, results
    assert refused == 3, refusal[-2000:]
    assert "Another pipeline run holds the lock" in " ".join(refusal.split())
    assert len([run for run in ground.runs() if run["command"] == "run"]) >= 2  # the ground's run and the new one
    assert_recovered(ground, reference, published)

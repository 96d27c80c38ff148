"""SIGKILL of a run's whole process group at a drawn point of a drawn stage, as an Airflow task timeout, the OOM
killer or a container restart does: readers keep the published file, the next run succeeds at once (no five-minute
wait for Meltano to give up on the dead job), and nothing landed is lost or loaded twice.

`make test` tries fixed points (inside Meltano's job, the transform, the gate); `make chaos` draws CHAOS_EXAMPLES more.
"""

from __future__ import annotations

import os
import time

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from .conftest import Ground, assert_recovered, copy_ground, file_hash, kill_group, meltano_jobs_running, wait_for

pytestmark = pytest.mark.slow

# A file of the run's log folder appears when each stage starts (the check starts when the build's results are
# kept); the delay is drawn up to about the stage's length at this scale (the check's range runs on into publish).
STAGE_LOG = {"ingest": "meltano.log", "transform": "dbt-build.log", "check": "dbt-build-results.json"}
LONGEST_DELAY = {"ingest": 6.0, "transform": 14.0, "check": 8.0}
CHAOS_EXAMPLES = int(os.environ.get("CHAOS_EXAMPLES", "0"))  # 0: only the explicit points below (make test)


def _run_dir(ground: Ground) -> list:
    logs = ground.warehouse / "logs"
    return sorted(logs.iterdir()) if logs.exists() else []


@settings(
    max_examples=max(CHAOS_EXAMPLES, 1),
    phases=[Phase.explicit, Phase.generate] if CHAOS_EXAMPLES else [Phase.explicit],
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(stage=st.sampled_from(sorted(STAGE_LOG)), fraction=st.floats(0, 1))
@example(stage="transform", fraction=0.3)  # (inside Meltano's job: the test below)
@example(stage="check", fraction=0.6)
def test_a_killed_run_changes_nothing_readers_see_and_the_next_run_recovers(
    stage, fraction, ground_template, reference, tmp_path_factory
):
    ground = copy_ground(ground_template, tmp_path_factory.mktemp("killed"))
    published = file_hash(ground.current)
    before = {path.name for path in _run_dir(ground)}
    victim = ground.start("run")

    def stage_started() -> bool:
        fresh = [path for path in _run_dir(ground) if path.name not in before]
        return (bool(fresh) and (fresh[-1] / STAGE_LOG[stage]).exists()) or victim.poll() is not None

    wait_for(stage_started, timeout=300, what=f"the {stage} stage to start")
    time.sleep(fraction * LONGEST_DELAY[stage])
    killed = kill_group(victim)
    note = f"killed in {stage} after {fraction * LONGEST_DELAY[stage]:.1f}s" if killed else "ended before the kill"

    assert_recovered(ground, reference, published)
    if killed:  # alive when killed: it either had finished its run (and exits) or the next run found it dead
        victim_run = ground.runs()[1]
        assert victim_run["status"] == "success" or "interrupted" in (victim_run["error"] or ""), note


def test_a_run_killed_inside_meltano_is_cleared_by_the_next_and_said_so(ground_template, reference, tmp_path):
    """The defect as met: the job Meltano still holds as running no longer fails the next run."""
    ground = copy_ground(ground_template, tmp_path / "data")
    published = file_hash(ground.current)
    victim = ground.start("run")
    wait_for(lambda: meltano_jobs_running(ground) > 0, timeout=300, what="Meltano's job to start")
    assert kill_group(victim)
    assert meltano_jobs_running(ground) == 1  # what Meltano would keep for five minutes
    result = assert_recovered(ground, reference, published)
    assert "cleared a stale Meltano job ci:tap-landing-to-target-lake" in " ".join(result.stderr.split())
    assert "cleared a stale Meltano job" in (ground.runs()[0]["note"] or "")
    assert "cleared a stale Meltano job" in " ".join(ground.cli("status").stdout.split())

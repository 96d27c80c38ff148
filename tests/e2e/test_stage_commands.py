"""One run driven stage by stage, as an orchestrator does it: every stage command with the same `--run-id`, each
retried once. A retried stage gives the same result; the ledger shows the run waiting until it is published."""

from __future__ import annotations

import json

import pytest

from .conftest import Stack, file_hash, snapshot

pytestmark = pytest.mark.slow

RUN_ID = "20261201T020000Z-afstage"


def _stage(stack: Stack, *args: str) -> dict:
    return json.loads(stack.cli(*args, "--run-id", RUN_ID, "--json").stdout)


def _run(stack: Stack) -> dict:
    (run,) = [run for run in stack.runs() if run["run_id"] == RUN_ID]
    return run


def test_stages_by_run_id_retried_give_the_same_result(stack: Stack):
    ingest = _stage(stack, "ingest")
    assert ingest["run_id"] == RUN_ID and ingest["status"] == "waiting"
    counts = _run(stack)["streams"]
    bronze = sorted(path.name for path in (stack.root / "lake" / "bronze").rglob(f"{RUN_ID}-*.parquet"))
    assert counts and bronze

    again = _stage(stack, "ingest")  # a retry: every file was already ingested by this run
    assert _run(stack)["streams"] == counts and again["streams"] == ingest["streams"]
    assert sorted(path.name for path in (stack.root / "lake" / "bronze").rglob(f"{RUN_ID}-*.parquet")) == bronze

    build = stack.root / "warehouse" / "build" / f"{RUN_ID}.duckdb"
    assert _stage(stack, "transform")["status"] == "waiting"
    first_build = snapshot(build)
    _stage(stack, "transform")
    assert snapshot(build) == first_build

    for _ in range(2):
        check = _stage(stack, "check")
        assert check["status"] == "waiting" and check["gate"]["passed"]
    assert _run(stack)["status"] == "waiting" and not _run(stack)["published"]

    published = _stage(stack, "publish", "--no-serve")
    assert published["status"] == "success" and published["published"]
    assert snapshot(stack.current) == first_build
    current = file_hash(stack.current)
    retried = _stage(stack, "publish", "--no-serve")
    assert retried["notes"] == [f"run {RUN_ID} was already published"]
    assert file_hash(stack.current) == current
    run = _run(stack)
    assert run["status"] == "success" and run["published"] and run["gate_passed"]
    assert set(run["stage_seconds"]) == {"ingest", "transform", "check", "publish"}

    served = json.loads(stack.cli("serve", "--run-id", RUN_ID, "--json").stdout)
    assert served == {"skipped": True, "reason": "SERVING_DB_URL is not set: nothing to serve"}


def test_an_unsafe_run_id_is_refused_in_one_line(stack: Stack):
    result = stack.cli("transform", "--run-id", "../../etc", check=False)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("error: Invalid run id '../../etc'")
    assert "Traceback" not in result.stderr

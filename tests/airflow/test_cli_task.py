"""How a task calls the CLI: the shared run id, the JSON summary, and which exit codes are retried."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from airflow.sdk.exceptions import AirflowException, AirflowFailException
from northwind_tasks.cli import call_cli, pipeline_run_id

RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,79}")  # data_stack.pipeline.run_id


def test_run_id_is_shared_by_a_dag_runs_tasks_and_distinct_between_runs():
    after = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    first = pipeline_run_id("northwind_pipeline", "scheduled__2026-12-01T02:00:00+00:00", after)
    assert first == pipeline_run_id("northwind_pipeline", "scheduled__2026-12-01T02:00:00+00:00", after)
    assert first.startswith("20261201T020000Z-af") and RUN_ID.fullmatch(first)
    other = pipeline_run_id("northwind_pipeline", "manual__2026-12-01T02:00:00+00:00", after)
    assert other != first and RUN_ID.fullmatch(other)


@pytest.fixture
def fake_cli(tmp_path, monkeypatch):
    """A stand-in CLI that exits with the code in its first argument and prints a JSON summary on success."""
    script = tmp_path / "data-stack"
    script.write_text(
        "#!/bin/sh\n"
        'echo "INFO working on $*" >&2\n'
        'if [ "$1" = 0 ]; then echo \'{"run_id": "r1", "status": "waiting"}\'; exit 0; fi\n'
        'echo "error: stage $1 went wrong. Do something." >&2\n'
        'exit "$1"\n'
    )
    script.chmod(0o755)
    monkeypatch.setenv("DATA_STACK_CLI", str(script))


def test_success_returns_the_json_summary(fake_cli):
    assert call_cli(["0"]) == {"run_id": "r1", "status": "waiting"}


@pytest.mark.parametrize("code", [3, 4])
def test_lock_refused_and_gate_failed_fail_without_retry(fake_cli, code):
    with pytest.raises(AirflowFailException, match=f"exit {code}.*error: stage {code} went wrong"):
        call_cli([str(code)])


@pytest.mark.parametrize("code", [1, 2, 130])
def test_other_failures_are_retried(fake_cli, code):
    with pytest.raises(AirflowException, match=f"exit {code}") as raised:
        call_cli([str(code)])
    assert not isinstance(raised.value, AirflowFailException)


def test_real_cli_json_is_what_the_task_returns(tmp_path, monkeypatch):
    from .conftest import CLI

    monkeypatch.setenv("DATA_STACK_CLI", str(CLI))
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SERVING_DB_URL", raising=False)
    assert call_cli(["serve", "--run-id", "r1", "--json"]) == {
        "skipped": True,
        "reason": "SERVING_DB_URL is not set: nothing to serve",
    }
    report = call_cli(["generate", "--scale", "0.01", "--days", "1", "--json"])
    assert report["rows"]["orders__orders"] > 0

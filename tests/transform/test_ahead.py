"""A tool started ahead of its stage waits for `go`, runs with its output in the stage's log, and exits without
working when the run stops first; the dbt worker exits like the dbt CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from data_stack.proc import Ahead, run_tool

WAITER = """
import sys, time
print("loaded", flush=True)
if sys.stdin.readline().strip() != "go":
    sys.exit(3)
print("worked")
sys.exit(int(sys.argv[1]))
"""


def test_a_tool_started_ahead_works_only_on_go_and_logs_what_it_printed(tmp_path):
    ahead = Ahead([sys.executable, "-c", WAITER, "0"], cwd=tmp_path, env={})
    time.sleep(0.5)  # it has loaded and waits
    assert ahead.proc.poll() is None
    log_file = tmp_path / "logs" / "tool.log"
    result = run_tool(["tool"], cwd=tmp_path, env={}, label="stage: tool", log_file=log_file, ahead=ahead)
    assert result.returncode == 0
    assert log_file.read_text().split() == ["loaded", "worked"]


def test_a_failing_tool_started_ahead_fails_its_stage(tmp_path):
    ahead = Ahead([sys.executable, "-c", WAITER, "1"], cwd=tmp_path, env={})
    result = run_tool(["tool"], cwd=tmp_path, env={}, label="stage", log_file=tmp_path / "t.log", ahead=ahead)
    assert result.returncode == 1 and result.tail == ["loaded", "worked"]


def test_a_tool_started_ahead_and_not_needed_exits_without_working(tmp_path):
    ahead = Ahead([sys.executable, "-c", WAITER, "0"], cwd=tmp_path, env={})
    ahead.cancel()
    assert ahead.proc.returncode == 3


def test_a_tool_that_exited_before_go_fails_its_stage_with_its_output(tmp_path):
    ahead = Ahead([sys.executable, "-c", "print('broken'); raise SystemExit(2)"], cwd=tmp_path, env={})
    ahead.proc.wait()
    result = run_tool(["tool"], cwd=tmp_path, env={}, label="stage", log_file=tmp_path / "t.log", ahead=ahead)
    assert result.returncode == 2 and result.tail == ["broken"]


def _worker(spec: dict, stdin: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "data_stack.transform.dbt_worker", json.dumps(spec)],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_dbt_worker_runs_its_command_on_go_and_exits_like_dbt():
    done = _worker({"args": ["--version"], "parse": None}, "go\n")
    assert done.returncode == 0, done.stderr
    assert "dbt" in done.stdout.lower()
    failed = _worker({"args": ["run", "--project-dir", "/nonexistent"], "parse": None}, "go\n")
    assert failed.returncode in (1, 2) and failed.returncode != 0


def test_the_dbt_worker_does_nothing_when_its_stage_never_comes():
    stopped = _worker({"args": ["--version"], "parse": None}, "")
    assert stopped.returncode == 3 and "version" not in stopped.stdout.lower()

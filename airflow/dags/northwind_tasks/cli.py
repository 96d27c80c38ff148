"""Run one pipeline stage through the `data-stack` CLI for the DAG run's shared run id.

The CLI does the work; this maps its exit codes to Airflow's retry semantics: 3 (another run holds the lock) and
4 (the quality gate failed) fail the task at once, anything else non-zero is retried with backoff.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import json
import os
import signal
import subprocess
import tempfile
from collections import deque
from typing import Any

from airflow.sdk.exceptions import AirflowException, AirflowFailException

NO_RETRY_EXIT_CODES = {3: "another pipeline run holds the lock", 4: "the quality gate failed"}
_PR_SET_PDEATHSIG = 1
_GRACE_SECONDS = 30


def pipeline_run_id(dag_id: str, airflow_run_id: str, run_after: Any) -> str:
    """The data-stack run id of a DAG run: the same for every task and every retry, sortable, safe in file names."""
    digest = hashlib.sha1(f"{dag_id}/{airflow_run_id}".encode()).hexdigest()[:6]
    return f"{run_after:%Y%m%dT%H%M%SZ}-af{digest}"


def run_stage(command: str, *args: str) -> dict[str, Any]:
    """`data-stack <command> --run-id <the DAG run's id> --json ...`; returns the CLI's JSON summary (XCom)."""
    from airflow.sdk import get_current_context

    context = get_current_context()
    dag_run = context["dag_run"]
    run_id = pipeline_run_id(dag_run.dag_id, dag_run.run_id, dag_run.run_after)
    return call_cli([command, "--run-id", run_id, "--json", *args])


def call_cli(args: list[str]) -> dict[str, Any]:
    cli = os.environ.get("DATA_STACK_CLI", "data-stack")
    print(f"running: {cli} {' '.join(args)}", flush=True)
    tail: deque[str] = deque(maxlen=20)
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as stdout:
        proc = subprocess.Popen(
            [cli, *args],
            stdout=stdout,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            errors="replace",
            preexec_fn=_die_with_parent,
        )
        try:
            assert proc.stderr is not None
            for line in proc.stderr:  # the CLI's logs become the task's log
                print(line, end="", flush=True)
                if line.strip():
                    tail.append(line.strip())
            returncode = proc.wait()
        except BaseException:  # a timeout or a kill of the task: stop the stage cleanly, then hard
            _stop(proc)
            raise
        stdout.seek(0)
        output = stdout.read()
    if returncode in NO_RETRY_EXIT_CODES:
        raise AirflowFailException(f"{NO_RETRY_EXIT_CODES[returncode]} (exit {returncode}): {_error(tail)}")
    if returncode != 0:
        raise AirflowException(f"data-stack {args[0]} failed (exit {returncode}): {_error(tail)}")
    return json.loads(output) if output.strip() else {}


def _error(tail: deque[str]) -> str:
    return next((line for line in reversed(tail) if line.startswith("error:")), tail[-1] if tail else "no output")


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)  # the CLI marks the run failed and leaves the published warehouse unchanged
    try:
        proc.wait(_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _die_with_parent() -> None:
    """If the task process is killed outright, the stage goes with it (the run lock is released by the OS)."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)

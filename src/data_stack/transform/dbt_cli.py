"""How the stack calls dbt: the command line, its environment, the most telling error line, and commands that a
`data-stack run` starts ahead of their stage (transform/dbt_worker.py) so dbt's import and parse overlap the stage
before."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from data_stack.diagnose import cause_in_log
from data_stack.errors import StageFailed
from data_stack.proc import Ahead, ProcResult, run_tool, tool
from data_stack.settings import Settings

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_ahead: dict[tuple[str, tuple[str, ...]], Ahead] = {}  # (run id, dbt args) -> the command waiting for its stage


def dbt_command(settings: Settings, args: list[str]) -> list[str]:
    return [
        *args,
        "--project-dir",
        str(settings.dbt_dir),
        "--profiles-dir",
        str(settings.dbt_dir),
        "--target",
        settings.dbt_target,
    ]


def dbt_paths(settings: Settings) -> dict[str, str]:
    """Keep dbt's artefacts with the warehouse so two data dirs never share them."""
    return {
        "DBT_TARGET_PATH": str(settings.warehouse / "dbt" / "target"),
        "DBT_LOG_PATH": str(settings.warehouse / "dbt" / "logs"),
    }


def dbt_env(settings: Settings, run_id: str) -> dict[str, str]:
    return settings.stage_env(run_id) | dbt_paths(settings)


def start_ahead(settings: Settings, run_id: str, args: list[str], *, parse: bool) -> None:
    """Start `dbt <args>` for this run now, to run when its stage calls `run_dbt` with the same args. `parse`: the
    project is parsed ahead too (only when nothing else writes dbt's target folder meanwhile)."""
    key = (run_id, tuple(args))
    if key in _ahead:
        return
    spec = {"args": dbt_command(settings, args), "parse": dbt_command(settings, ["parse"]) if parse else None}
    worker = [sys.executable, "-m", "data_stack.transform.dbt_worker", json.dumps(spec)]
    _ahead[key] = Ahead(worker, cwd=settings.dbt_dir, env=dbt_env(settings, run_id))


def cancel_ahead() -> None:
    """Stop every command started ahead that no stage took (the run failed or stopped before it)."""
    while _ahead:
        _, worker = _ahead.popitem()
        worker.cancel()


def run_dbt(settings: Settings, run_id: str, args: list[str], *, label: str, log_file: Path) -> ProcResult:
    """`dbt <args>` for the run: the command started ahead when there is one for the same environment, else the
    dbt CLI."""
    env = dbt_env(settings, run_id)
    ahead = _ahead.pop((run_id, tuple(args)), None)
    if ahead is not None and ahead.env != env:
        ahead.cancel()
        ahead = None
    return run_tool(
        [tool("dbt"), *dbt_command(settings, args)],
        cwd=settings.dbt_dir,
        env=env,
        label=label,
        log_file=log_file,
        ahead=ahead,
    )


def dbt_failed(settings: Settings, result: ProcResult, what: str, action: str) -> StageFailed:
    """The one-line error of a failed dbt command: a known fault's cause (a full disk, the object store) with what
    to do about it, otherwise dbt's own most telling line."""
    cause = cause_in_log(result.log_file, settings)
    if cause is not None and cause.action:
        return StageFailed(f"{what}: {cause.reason}", f"{cause.action}. Log: {result.log_file}")
    return StageFailed(f"{what}: {last_error(result.tail)}", f"See {result.log_file}{action}")


def last_error(tail: list[str]) -> str:
    """The most telling line of a failed dbt run, for a one-line error."""
    lines = [_ANSI.sub("", line).strip() for line in tail]
    for marker in (
        "Runtime Error",
        "Compilation Error",
        "Database Error",
        "Error in model",
        "ERROR",
    ):
        for index, line in enumerate(lines):
            if marker in line:
                detail = next((nxt for nxt in lines[index + 1 : index + 4] if nxt), "")
                return f"{line} {detail}".strip()[:300]
    return (lines[-1] if lines else "no output")[:300]

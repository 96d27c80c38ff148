"""Run a stage's tool (Meltano, dbt) as a subprocess with live progress and a full log file."""

from __future__ import annotations

import contextlib
import ctypes
import signal
import subprocess
import sys
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from data_stack.log import get_logger

log = get_logger(__name__)
console = Console(stderr=True)


@dataclass(frozen=True)
class ProcResult:
    returncode: int
    tail: list[str]
    log_file: Path


def tool(name: str) -> str:
    """A console script installed beside the running interpreter (the project venv)."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def run_tool(cmd: list[str], *, cwd: Path, env: dict[str, str], label: str, log_file: Path) -> ProcResult:
    log_file.parent.mkdir(parents=True, exist_ok=True)
    tail: deque[str] = deque(maxlen=40)
    log.debug("running %s (cwd %s)", " ".join(cmd), cwd)
    with (
        log_file.open("w", encoding="utf-8") as sink,
        console.status(f"[bold]{label}[/]", spinner="dots") as status,
    ):
        proc = subprocess.Popen(
            cmd,
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            errors="replace",
            preexec_fn=_die_with_parent,
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            sink.write(line)
            text = line.rstrip()
            if text:
                tail.append(text)
                status.update(f"[bold]{label}[/] {text[-110:]}")
        returncode = proc.wait()
    return ProcResult(returncode, list(tail), log_file)


def _die_with_parent() -> None:
    """If the pipeline process is killed, its tool dies too instead of writing on as an orphan."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG

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


class Ahead:
    """A tool started before its stage: it loads, then waits for the line `go` on stdin to do its work (closing
    stdin instead makes it exit without working). It dies with this process, like every tool."""

    def __init__(self, cmd: list[str], *, cwd: Path, env: dict[str, str]) -> None:
        self.cmd, self.cwd, self.env = cmd, cwd, env
        log.debug("starting ahead %s (cwd %s)", " ".join(cmd), cwd)
        self.proc = _popen(cmd, cwd=cwd, env=env, stdin=subprocess.PIPE)

    def go(self) -> subprocess.Popen:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write("go\n")
            self.proc.stdin.close()
        except BrokenPipeError:  # it exited early: its output says why, and its exit code fails the stage
            pass
        return self.proc

    def cancel(self) -> None:
        with contextlib.suppress(OSError):
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def run_tool(
    cmd: list[str], *, cwd: Path, env: dict[str, str], label: str, log_file: Path, ahead: Ahead | None = None
) -> ProcResult:
    """`ahead`: the same command already started and waiting (`cmd` is then only logged)."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    tail: deque[str] = deque(maxlen=40)
    log.debug("running %s (cwd %s)%s", " ".join(cmd), cwd, " started ahead" if ahead else "")
    with (
        log_file.open("w", encoding="utf-8") as sink,
        console.status(f"[bold]{label}[/]", spinner="dots") as status,
    ):
        proc = ahead.go() if ahead else _popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL)
        assert proc.stdout is not None
        for line in proc.stdout:
            sink.write(line)
            text = line.rstrip()
            if text:
                tail.append(text)
                status.update(f"[bold]{label}[/] {text[-110:]}")
        returncode = proc.wait()
    return ProcResult(returncode, list(tail), log_file)


def _popen(cmd: list[str], *, cwd: Path, env: dict[str, str], stdin: int) -> subprocess.Popen:
    return subprocess.Popen(
        cmd,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=stdin,
        text=True,
        errors="replace",
        preexec_fn=_die_with_parent,
    )


def _die_with_parent() -> None:
    """If the pipeline process is killed, its tool dies too instead of writing on as an orphan."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG

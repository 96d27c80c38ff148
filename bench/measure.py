"""Run a command and measure it: wall time, and the peak resident memory of its whole process tree, per stage of
a `data-stack` run (the stage is read from the run's own log lines, `<stage>: started`)."""

from __future__ import annotations

import re
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

SAMPLE_SECONDS = 0.05
STAGE_STARTED = re.compile(r"\b(ingest|transform|check|publish|serve): started")
MB = 1024 * 1024


@dataclass
class Measured:
    seconds: float
    peak_rss_mb: float
    stage_peak_rss_mb: dict[str, float] = field(default_factory=dict)
    stdout: str = ""
    stderr: str = ""


def measure(command: list[str], env: dict[str, str], cwd: Path | None = None) -> Measured:
    """Run `command` to its end; raise with its output if it fails."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    state = {"stage": "start-up"}
    peaks: dict[str, int] = {}
    stderr: list[str] = []
    stdout: list[str] = []

    def read_stderr() -> None:
        for line in process.stderr:
            stderr.append(line)
            match = STAGE_STARTED.search(line)
            if match:
                state["stage"] = match.group(1)

    readers = [
        threading.Thread(target=read_stderr, daemon=True),
        threading.Thread(target=lambda: stdout.extend(process.stdout), daemon=True),
    ]
    for reader in readers:
        reader.start()
    root = psutil.Process(process.pid)
    while process.poll() is None:
        rss = tree_rss(root)
        stage = state["stage"]
        peaks[stage] = max(peaks.get(stage, 0), rss)
        time.sleep(SAMPLE_SECONDS)
    seconds = time.perf_counter() - started
    for reader in readers:
        reader.join()
    result = Measured(
        seconds=round(seconds, 2),
        peak_rss_mb=round(max(peaks.values(), default=0) / MB, 1),
        stage_peak_rss_mb={stage: round(value / MB, 1) for stage, value in peaks.items()},
        stdout="".join(stdout),
        stderr="".join(stderr),
    )
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def tree_rss(root: psutil.Process) -> int:
    """Resident bytes of a process and all its descendants (an upper bound: shared pages count once per process)."""
    total = 0
    try:
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total

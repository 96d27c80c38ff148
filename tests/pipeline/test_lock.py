from __future__ import annotations

import subprocess
import sys
import time

import pytest

from data_stack.errors import RunLocked
from data_stack.pipeline.lock import run_lock

HOLD = """
import sys, time
from pathlib import Path
from data_stack.pipeline.lock import run_lock
with run_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(30)
"""


def test_second_holder_is_refused_while_first_holds(tmp_path):
    lock = tmp_path / "run.lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(lock)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(RunLocked, match="Another pipeline run holds the lock"), run_lock(lock):
            pass
    finally:
        holder.kill()
        holder.wait()


def test_lock_is_released_when_the_holder_is_killed(tmp_path):
    lock = tmp_path / "run.lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(lock)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    holder.kill()
    holder.wait()
    deadline = time.monotonic() + 5
    while True:
        try:
            with run_lock(lock):
                break
        except RunLocked:
            assert time.monotonic() < deadline
            time.sleep(0.1)

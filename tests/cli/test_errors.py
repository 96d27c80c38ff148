from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CLI = str(Path(sys.executable).parent / "data-stack")


def _run(args, tmp_path):
    env = dict(os.environ, DATA_DIR=str(tmp_path / "data"))
    return subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=120)


def test_user_error_is_one_line_with_nonzero_exit_and_no_traceback(tmp_path):
    result = _run(["publish"], tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert lines[0].startswith("error: No build to check or publish. Run `data-stack transform`")


def test_invalid_argument_is_a_clear_error(tmp_path):
    result = _run(["generate", "--start-date", "yesterday"], tmp_path)
    assert result.returncode != 0
    assert "Invalid --start-date" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback(tmp_path):
    result = _run(["--debug", "publish"], tmp_path)
    assert result.returncode != 0
    assert "Traceback" in result.stderr


def test_status_before_any_run(tmp_path):
    result = _run(["status", "--json"], tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == "[]"

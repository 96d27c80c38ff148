"""tests/airflow, in Airflow's own environment (airflow/.venv, ADR 0010), as one test of the main suite: `make test`
runs it on one of its two workers while the other works through the rest, instead of after everything else."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.tools import require_file

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(2700)
def test_the_airflow_suite_passes_in_airflows_environment():
    pytest_bin = require_file(ROOT / "airflow" / ".venv" / "bin" / "pytest", "run `make airflow-env`")
    env = {name: value for name, value in os.environ.items() if not name.startswith("PYTEST")}
    result = subprocess.run(
        [pytest_bin, "-c", "airflow/pytest.ini", "tests/airflow"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=2600,
    )
    print(result.stdout[-5000:])  # shown with -rA or on failure: the suite's own summary
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]

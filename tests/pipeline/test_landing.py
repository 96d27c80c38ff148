"""A run on an empty landing zone stops with what to do; only the demo's `make pipeline` generates data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from data_stack.settings import PROJECT_ROOT

CLI = str(Path(sys.executable).parent / "data-stack")


def _cli(data: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("WAREHOUSE_DIR", "LANDING_URI", "LAKE_URI")}
    env.update(DATA_DIR=str(data), **extra)
    return subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args", [["run"], ["run", "--full-refresh"], ["ingest"]])
def test_an_empty_landing_zone_is_refused_and_nothing_is_generated(tmp_path, args):
    data = tmp_path / "data"
    (data / "landing" / "orders").mkdir(parents=True)  # folders, but no file
    result = _cli(data, *args)
    assert result.returncode == 1, result.stderr[-2000:]
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [
        f"error: No landing files in {data / 'landing'}. Point LANDING_URI (or DATA_DIR) at the sources' files, "
        "or write the demo data set there with `data-stack generate`."
    ]
    assert not any(path.is_file() for path in (data / "landing").rglob("*"))
    assert json.loads(_cli(data, "status", "--json").stdout) == []  # refused before the run started


def test_a_mistyped_landing_uri_is_named(tmp_path):
    missing = tmp_path / "landnig"
    result = _cli(tmp_path / "data", "run", LANDING_URI=str(missing))
    assert result.returncode == 1
    assert f"error: No landing files in {missing}." in result.stderr
    assert not missing.exists()


def test_run_has_no_generate_flag(tmp_path):
    result = _cli(tmp_path / "data", "run", "--generate-if-empty")
    assert result.returncode == 2 and "No such option" in result.stderr


def test_make_pipeline_generates_the_demo_data_only_when_landing_is_empty():
    result = subprocess.run(["make", "-n", "pipeline"], cwd=PROJECT_ROOT, capture_output=True, text=True)
    commands = [line for line in result.stdout.splitlines() if "data-stack " in line]
    assert commands[-2:] == [".venv/bin/data-stack generate --if-empty", ".venv/bin/data-stack run"]


def test_generate_if_empty_leaves_a_remote_landing_zone_alone(tmp_path):
    result = _cli(tmp_path / "data", "generate", "--if-empty", LANDING_URI="s3://northwind/landing")
    assert result.returncode == 0
    assert result.stdout.strip() == "LANDING_URI=s3://northwind/landing is not a local folder: nothing generated"
    refused = _cli(tmp_path / "data", "generate", LANDING_URI="s3://northwind/landing")
    assert refused.returncode == 1 and "is not a local folder. Pass --out" in refused.stderr

"""`make bootstrap` byte-compiles what the pipeline imports, so no process compiles it again from source (where
PYTHONDONTWRITEBYTECODE is set, Python would do that in every process: a demo run cost half as much CPU again)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLUGIN_VENVS = sorted((ROOT / "meltano" / ".meltano").glob("*/*/venv"))


def _compiled(module: str, python: str = sys.executable) -> bool:
    code = (
        "import importlib.util, os, sys; spec = importlib.util.find_spec(sys.argv[1]); "
        "print(os.path.exists(importlib.util.cache_from_source(spec.origin)))"
    )
    result = subprocess.run([python, "-c", code, module], capture_output=True, text=True, check=True)
    return result.stdout.strip() == "True"


@pytest.mark.parametrize("module", ["great_expectations", "dbt.cli.main", "meltano.cli", "duckdb", "data_stack.cli"])
def test_the_project_environment_is_byte_compiled(module):
    assert importlib.util.find_spec(module) is not None
    assert _compiled(module), f"{module} has no .pyc: run `make bootstrap` (UV_COMPILE_BYTECODE=1)"


def test_the_meltano_plugin_environments_are_byte_compiled():
    assert PLUGIN_VENVS, "no Meltano plugin environment: run `make bootstrap`"
    for venv in PLUGIN_VENVS:
        assert _compiled("singer_sdk", str(venv / "bin" / "python")), venv

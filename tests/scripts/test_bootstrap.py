"""scripts/bootstrap.sh on a machine whose python3 the locked dependencies do not support."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib

import pytest

from data_stack.settings import PROJECT_ROOT


@pytest.fixture
def checkout(tmp_path):
    """A copy of the script in a folder of its own: whatever it would do past its check happens there."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(PROJECT_ROOT / "scripts" / "bootstrap.sh", tmp_path / "scripts" / "bootstrap.sh")
    return tmp_path


def _bootstrap(checkout, tmp_path, reported: str) -> subprocess.CompletedProcess:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "python3"
    fake.write_text(f"#!/bin/sh\necho {reported}\n")  # answers every question with its version, and succeeds
    fake.chmod(0o755)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path)}
    return subprocess.run(
        ["bash", str(checkout / "scripts" / "bootstrap.sh")], env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("reported", ["3.13", "3.14", "3.10"])
def test_an_unsupported_python_is_named_in_one_line(checkout, tmp_path, reported):
    result = _bootstrap(checkout, tmp_path, reported)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "bootstrap: needs Python 3.11 or 3.12 (the locked dependencies in uv.lock are resolved for those), but "
        f"python3 is {reported}. Install Python 3.12 and run: make bootstrap PYTHON=python3.12"
    ]
    assert not (checkout / ".venv").exists()


def test_the_supported_range_is_what_every_project_requires():
    script = (PROJECT_ROOT / "scripts" / "bootstrap.sh").read_text()
    supported = re.search(r'^SUPPORTED="([^"]+)"', script, re.MULTILINE).group(1).split()
    assert supported == ["3.11", "3.12"]
    for pyproject in [PROJECT_ROOT / "pyproject.toml", *PROJECT_ROOT.glob("*/pyproject.toml")]:
        requires = tomllib.loads(pyproject.read_text())["project"]["requires-python"]
        assert requires.replace(" ", "") == ">=3.11,<3.13", pyproject
    assert "Python 3.11 or 3.12" in (PROJECT_ROOT / "README.md").read_text()

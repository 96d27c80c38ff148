"""Settings from the environment and `.env`: an empty value is the default; an invalid one is a one-line error."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from data_stack.errors import UserError
from data_stack.settings import PROJECT_ROOT, Settings, get_settings

CLI = str(Path(sys.executable).parent / "data-stack")


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No setting from this process's environment, the working directory a fresh folder."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_an_empty_variable_means_the_default(clean_env, monkeypatch, field):
    monkeypatch.setenv(field.upper(), "")
    assert getattr(get_settings(), field) == Settings.model_fields[field].get_default(call_default_factory=True)


def test_the_copied_env_example_keeps_the_default_folders(clean_env):
    shutil.copy(PROJECT_ROOT / ".env.example", clean_env / ".env")
    settings = get_settings()
    data = (clean_env / "data").resolve()
    assert settings.warehouse == data / "warehouse"  # not the working directory
    assert settings.landing == str(data / "landing")
    assert settings.lake == str(data / "lake")
    assert settings.serving_db_url is None and settings.s3_endpoint_url is None and settings.data_docs_base_url is None


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("QUARANTINE_RATE_MAX", "2", "Invalid QUARANTINE_RATE_MAX=2: must be a number between 0 and 1"),
        ("QUARANTINE_RATE_MAX", "lots", "Invalid QUARANTINE_RATE_MAX=lots: must be a number between 0 and 1"),
        ("LANDING_SETTLE_SECONDS", "-1", "Invalid LANDING_SETTLE_SECONDS=-1: must be a whole number of at least 0"),
        ("MCP_ALLOW_TRIGGER", "maybe", "Invalid MCP_ALLOW_TRIGGER=maybe: must be true or false"),
    ],
)
def test_an_invalid_variable_is_named_with_its_value_and_what_is_allowed(
    clean_env, monkeypatch, variable, value, message
):
    monkeypatch.setenv(variable, value)
    with pytest.raises(UserError) as raised:
        get_settings()
    assert str(raised.value) == f"{message}. Fix it in the environment or .env."


def test_an_invalid_value_in_env_file_is_a_one_line_cli_error(clean_env):
    (clean_env / ".env").write_text("QUARANTINE_RATE_MAX=2\n")
    env = {key: value for key, value in os.environ.items() if key.lower() not in Settings.model_fields}
    env["DATA_DIR"] = str(clean_env / "data")
    result = subprocess.run([CLI, "run"], env=env, cwd=clean_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [
        "error: Invalid QUARANTINE_RATE_MAX=2: must be a number between 0 and 1. Fix it in the environment or .env."
    ]


def test_make_dashboard_serves_the_data_docs_the_settings_name(tmp_path):
    """The Data Docs server of `make dashboard` reads the folder the runs write, DATA_DIR included."""
    env = {key: value for key, value in os.environ.items() if key.lower() not in Settings.model_fields}
    env.update(DATA_DIR=str(tmp_path), WAREHOUSE_DIR="")
    result = subprocess.run(
        ["make", "-s", "--eval", "show-docs: ; @echo $(DATA_DOCS_DIR)", "show-docs"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == str(tmp_path.resolve() / "warehouse" / "data_docs"), result.stderr

"""The Airflow commands compose runs, services and healthchecks alike, are ones the locked Airflow accepts: each is
parsed by the real CLI (airflow/.venv) with `--help` appended, which exits 0 only when every argument before it is
valid (an unknown job type or option exits 2)."""

from __future__ import annotations

import subprocess

import pytest

from tests.tools import require_file

from .stack_files import ENV_EXAMPLE, command_words, load_compose, read_env_file, resolved_services
from .tools import AIRFLOW_BIN

SERVICES = ("airflow-apiserver", "airflow-scheduler", "airflow-dag-processor")


def airflow_commands(services) -> list[tuple[str, list[str]]]:
    found = []
    for name in SERVICES:
        found.append((f"{name} command", command_words(services[name])))
        test = services[name]["healthcheck"]["test"]
        found.append((f"{name} healthcheck", [str(word) for word in test[1:]]))
    return [(label, words) for label, words in found if words and words[0] == "airflow"]


def parses(words: list[str], home) -> subprocess.CompletedProcess:
    binary = require_file(AIRFLOW_BIN, "create Airflow's environment with `make airflow-env`")
    env = {"PATH": "/usr/bin:/bin", "AIRFLOW_HOME": str(home), "AIRFLOW__CORE__LOAD_EXAMPLES": "False"}
    return subprocess.run([binary, *words[1:], "--help"], env=env, capture_output=True, text=True, timeout=120)


COMMANDS = airflow_commands(resolved_services(load_compose(), read_env_file(ENV_EXAMPLE)))


def test_every_airflow_process_and_the_job_healthchecks_run_the_airflow_cli():
    assert sorted(label for label, _ in COMMANDS) == [
        "airflow-apiserver command",
        "airflow-dag-processor command",
        "airflow-dag-processor healthcheck",
        "airflow-scheduler command",
        "airflow-scheduler healthcheck",
    ]


@pytest.mark.parametrize(("label", "words"), COMMANDS, ids=[label for label, _ in COMMANDS])
def test_the_airflow_cli_accepts_it(label, words, tmp_path):
    result = parses(words, tmp_path)
    assert result.returncode == 0, f"{label}: {' '.join(words)}\n{result.stderr[-2000:]}"


def test_a_wrong_job_type_is_refused(tmp_path):
    result = parses(["airflow", "jobs", "check", "--job-type", "Scheduler", "--local"], tmp_path)
    assert result.returncode == 2
    assert "invalid choice" in result.stderr

"""Airflow tests: a throwaway AIRFLOW_HOME with a migrated SQLite metadata database, the project's DAGs and settings.

Airflow reads its configuration when first imported, so the environment is set here, before any test imports it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DAGS = ROOT / "airflow" / "dags"
AIRFLOW_BIN = Path(sys.executable).parent / "airflow"
CLI = ROOT / ".venv" / "bin" / "data-stack"


def airflow_settings() -> dict[str, str]:
    """airflow/airflow.env, the file `make airflow` and compose share."""
    settings = {}
    for line in (ROOT / "airflow" / "airflow.env").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            settings[name.strip()] = value.strip()
    return settings


# Once per process, even if this module is imported under two names.
HOME = Path(os.environ.setdefault("DATA_STACK_TEST_AIRFLOW_HOME", tempfile.mkdtemp(prefix="data-stack-airflow-")))
os.environ.update(airflow_settings())
os.environ.update(
    AIRFLOW_HOME=str(HOME),
    AIRFLOW__CORE__DAGS_FOLDER=str(DAGS),
    AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=f"sqlite:///{HOME / 'airflow.db'}",
    AIRFLOW__CORE__UNIT_TEST_MODE="False",
    DATA_STACK_CLI=str(CLI),
    DBT_TARGET="ci",
    MELTANO_ENVIRONMENT="ci",
)
os.environ.setdefault("PII_HASH_SALT", "tests-only-salt")  # ci refuses a public salt
sys.path.append(str(DAGS))  # what Airflow's dag-folder bundle does for the DAG files' own imports


@pytest.fixture(scope="session")
def metadata_db() -> Path:
    """`airflow/init.sh` (as compose's airflow-init runs it): migrate, create the writer pool."""
    env = dict(os.environ, AIRFLOW_BIN=str(AIRFLOW_BIN), PATH=f"{AIRFLOW_BIN.parent}:{os.environ['PATH']}")
    result = subprocess.run([str(ROOT / "airflow" / "init.sh")], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return HOME / "airflow.db"


@pytest.fixture(scope="session")
def dagbag():
    from airflow.dag_processing.dagbag import BundleDagBag

    return BundleDagBag(dag_folder=str(DAGS), bundle_path=DAGS, bundle_name="dags-folder")

"""The whole pipeline on an s3:// lake and landing zone, on moto's S3 server and on a real SeaweedFS server (the
store compose runs).

The published warehouse must equal a run on a local folder with the same landing files. That reference run is made
once for the module; each store's run is compared with it.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from data_stack.generate import generate
from tests.s3_stores import STORES, running

from .conftest import CLI, content

pytestmark = pytest.mark.slow
BUCKET = "northwind"


def _run(env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run([CLI, "run"], env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def _base_env(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "DATA_DIR": str(data_dir), "DBT_TARGET": "ci", "MELTANO_ENVIRONMENT": "ci"}
    for name in ("LANDING_URI", "LAKE_URI", "S3_ENDPOINT_URL"):
        env.pop(name, None)
    return env


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("landing")
    generate(folder, scale=0.02, days=6, defect_rate=0.02)
    return folder


@pytest.fixture(scope="module")
def published_locally(landing, tmp_path_factory) -> dict[str, list[tuple]]:
    """The gold tables a run on a local landing folder and lake publishes from the same files."""
    data_dir = tmp_path_factory.mktemp("local-run")
    _run({**_base_env(data_dir), "LANDING_URI": str(landing)})
    return content(data_dir / "warehouse" / "current.duckdb")


@pytest.fixture(params=STORES)
def store(request, tmp_path):
    with running(request.param, tmp_path / "store") as store:
        yield store


def test_pipeline_on_s3_equals_the_local_folder_run(tmp_path, landing, published_locally, store):
    store.create_bucket(BUCKET)
    store.upload(landing, BUCKET, "landing")
    on_s3 = {
        **_base_env(tmp_path / "s3-run"),
        **store.env,
        "LANDING_URI": f"s3://{BUCKET}/landing",
        "LAKE_URI": f"s3://{BUCKET}/lake",
    }
    _run(on_s3)

    keys = store.keys(BUCKET, "lake/")
    assert any(key.startswith("lake/bronze/orders/orders/load_date=") for key in keys)
    assert any(key.startswith("lake/quarantine/") for key in keys)
    assert any(key.startswith("lake/_state/") for key in keys)  # Singer state lives with the lake
    assert not (tmp_path / "s3-run" / "lake").exists()  # nothing of the lake written locally

    assert content(tmp_path / "s3-run" / "warehouse" / "current.duckdb") == published_locally

    status = subprocess.run([CLI, "status", "--json"], env=on_s3, capture_output=True, text=True, check=True)
    (run,) = json.loads(status.stdout)
    for name, counts in run["streams"].items():
        assert counts["landed"] == counts["loaded"] + counts["quarantined"] > 0, name

    # A second run on S3 finds nothing new: the state on S3 is read back.
    _run(on_s3)
    latest = json.loads(
        subprocess.run([CLI, "status", "--json"], env=on_s3, capture_output=True, text=True, check=True).stdout
    )[0]
    assert sum(c["landed"] for c in latest["streams"].values()) == 0

"""The whole pipeline on an s3:// lake and landing zone (moto's S3 server standing in for MinIO / AWS S3).

The published warehouse must equal a run on a local folder with the same landing files.
"""

from __future__ import annotations

import os
import subprocess

import pytest

from data_stack.generate import generate
from tests.tools import free_port

from .conftest import CLI, content

pytestmark = pytest.mark.slow
moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": "us-east-1"}


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def _run(env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run([CLI, "run"], env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def test_pipeline_on_s3_equals_the_local_folder_run(tmp_path, s3_endpoint):
    landing = tmp_path / "landing"
    generate(landing, scale=0.02, days=6, defect_rate=0.02)
    s3 = boto3.client(
        "s3", endpoint_url=s3_endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test"
    )
    s3.create_bucket(Bucket="northwind")
    for path in landing.rglob("*"):
        if path.is_file():
            s3.upload_file(str(path), "northwind", f"landing/{path.relative_to(landing)}")

    base = {**os.environ, **CREDENTIALS, "DBT_TARGET": "ci", "MELTANO_ENVIRONMENT": "ci"}
    on_s3 = {
        **base,
        "DATA_DIR": str(tmp_path / "s3-run"),
        "LANDING_URI": "s3://northwind/landing",
        "LAKE_URI": "s3://northwind/lake",
        "S3_ENDPOINT_URL": s3_endpoint,
    }
    local = {**base, "DATA_DIR": str(tmp_path / "local-run"), "LANDING_URI": str(landing)}
    _run(on_s3)
    _run(local)

    keys = [item["Key"] for item in s3.list_objects_v2(Bucket="northwind", Prefix="lake/")["Contents"]]
    assert any(key.startswith("lake/bronze/orders/orders/load_date=") for key in keys)
    assert any(key.startswith("lake/quarantine/") for key in keys)
    assert any(key.startswith("lake/_state/") for key in keys)  # Singer state lives with the lake
    assert not (tmp_path / "s3-run" / "lake").exists()  # nothing of the lake written locally

    published_s3 = tmp_path / "s3-run" / "warehouse" / "current.duckdb"
    published_local = tmp_path / "local-run" / "warehouse" / "current.duckdb"
    assert content(published_s3) == content(published_local)

    status = subprocess.run([CLI, "status", "--json"], env=on_s3, capture_output=True, text=True, check=True)
    import json

    (run,) = json.loads(status.stdout)
    for name, counts in run["streams"].items():
        assert counts["landed"] == counts["loaded"] + counts["quarantined"] > 0, name

    # A second run on S3 finds nothing new: the state on S3 is read back.
    _run(on_s3)
    latest = json.loads(
        subprocess.run([CLI, "status", "--json"], env=on_s3, capture_output=True, text=True, check=True).stdout
    )[0]
    assert sum(c["landed"] for c in latest["streams"].values()) == 0

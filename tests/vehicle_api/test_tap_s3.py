"""tap-vehicle-values on an s3:// lake (moto's S3 server): fleet from bronze, cache and audit log in the bucket."""

from __future__ import annotations

import socket

import pytest

from .conftest import FLEET, run_tap, tap_config, write_fleet

moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": "us-east-1"}


@pytest.fixture
def s3_endpoint():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def test_tap_reads_and_writes_the_lake_on_s3(mock_vendor, api_key, tmp_path, s3_endpoint):
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **_keys())
    s3.create_bucket(Bucket="northwind")
    fleet = write_fleet(tmp_path / "staging")
    s3.upload_file(str(fleet), "northwind", "lake/bronze/fleet/vehicles/load_date=2026-01-01/r0-1.parquet")
    server = mock_vendor()
    env = {**CREDENTIALS, "S3_ENDPOINT_URL": s3_endpoint}
    lake = "s3://northwind/lake"

    first = run_tap(tap_config(server.url, api_key, lake, "run-1"), tmp_path, into_target=True, env=env)
    assert first.returncode == 0, first.stderr[-3000:]
    assert len(first.records()) == len(FLEET) - 1  # one unknown state: quarantined
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket="northwind", Prefix="lake/")["Contents"]]
    assert "lake/audit/vehicle_api/run-1.jsonl" in keys
    assert "lake/cache/vehicle_values/run-1-1.parquet" in keys
    assert any(key.startswith("lake/bronze/vehicles/valuations/") for key in keys)
    assert any(key.startswith("lake/quarantine/vehicles/valuations/") for key in keys)
    for key in keys:
        assert api_key.encode() not in s3.get_object(Bucket="northwind", Key=key)["Body"].read(), key

    second = run_tap(tap_config(server.url, api_key, lake, "run-2"), tmp_path, env=env)
    assert second.returncode == 0 and not second.records()
    assert sum(server.stats.values()) == len(FLEET)  # all answered from the cache


def _keys() -> dict[str, str]:
    return {"aws_access_key_id": "test", "aws_secret_access_key": "test"}

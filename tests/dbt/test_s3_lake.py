"""The same sources read an s3:// lake (moto's S3 server standing in for MinIO) through the profile's secret."""

from __future__ import annotations

import duckdb
import pytest

from tests.tools import free_port

from .bronze_fixture import write_bronze
from .conftest import FIRST_LOAD, Lane

moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")


def test_dbt_reads_bronze_from_s3(tmp_path, monkeypatch):
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    try:
        credentials = {"aws_access_key_id": "test", "aws_secret_access_key": "test", "region_name": "us-east-1"}
        s3 = boto3.client("s3", endpoint_url=endpoint, **credentials)
        s3.create_bucket(Bucket="lake")
        local = tmp_path / "lake"
        write_bronze(local, **FIRST_LOAD)
        for path in local.rglob("*.parquet"):
            s3.upload_file(str(path), "lake", f"northwind/{path.relative_to(local)}")
        for name, value in {
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_REGION": "us-east-1",
            "S3_ENDPOINT_URL": endpoint,
        }.items():
            monkeypatch.setenv(name, value)
        lane = Lane(tmp_path, "s3", local, lake_uri="s3://lake/northwind")
        lane.run("run").check()
    finally:
        server.stop()
    with duckdb.connect(str(lane.db), read_only=True) as conn:
        assert conn.execute("select count(*) from marketing.orders").fetchone()[0] > 0

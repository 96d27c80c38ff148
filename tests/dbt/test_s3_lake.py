"""The same sources read an s3:// lake through the profile's secret, on moto's S3 server and on a real SeaweedFS
server (the store compose runs)."""

from __future__ import annotations

import duckdb
import pytest

from tests.s3_stores import STORES, running

from .bronze_fixture import write_bronze
from .conftest import FIRST_LOAD, Lane


@pytest.fixture(params=STORES)
def store(request, tmp_path):
    with running(request.param, tmp_path / "store") as store:
        yield store


def test_dbt_reads_bronze_from_s3(tmp_path, monkeypatch, store):
    store.create_bucket("lake")
    local = tmp_path / "lake"
    write_bronze(local, **FIRST_LOAD)
    store.upload(local, "lake", "northwind", "*.parquet")
    for name, value in store.env.items():
        monkeypatch.setenv(name, value)
    lane = Lane(tmp_path, "s3", local, lake_uri="s3://lake/northwind")
    lane.run("run").check()
    with duckdb.connect(str(lane.db), read_only=True) as conn:
        assert conn.execute("select count(*) from marketing.orders").fetchone()[0] > 0

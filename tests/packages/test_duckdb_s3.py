"""packages/duckdb-s3: the secret DuckDB ends up with for each way the lake is configured, and a round trip
through an S3 server with it (moto's, and a real SeaweedFS server, the store compose runs)."""

from __future__ import annotations

import duckdb
import pytest
from duckdb_s3 import enable_s3, secret_sql

from tests.s3_stores import STORES, running

KEYS = {"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI"}


def secret(env: dict[str, str], name: str = "lake") -> dict[str, str]:
    """The options DuckDB stored for the secret `enable_s3` created from `env` (secret values unredacted)."""
    conn = duckdb.connect(config={"allow_unredacted_secrets": True})
    enable_s3(conn, name=name, env=env)
    rows = conn.execute("select name, secret_string from duckdb_secrets(redact = false)").fetchall()
    assert [row[0] for row in rows] == [name]
    return dict(option.split("=", 1) for option in rows[0][1].split(";"))


@pytest.mark.parametrize(
    ("endpoint", "host", "use_ssl"),
    [
        ("http://127.0.0.1:9000", "127.0.0.1:9000", "false"),
        ("http://seaweedfs:8333/", "seaweedfs:8333", "false"),
        ("https://s3.example.com", "s3.example.com", "true"),
        ("HTTPS://s3.example.com", "s3.example.com", "true"),
        ("minio:9000", "minio:9000", "false"),  # no scheme: plain http, as before the package
    ],
)
def test_an_endpoint_is_reached_path_style_with_tls_only_for_https(endpoint, host, use_ssl):
    options = secret({**KEYS, "S3_ENDPOINT_URL": endpoint})
    assert (options["endpoint"], options["url_style"], options["use_ssl"]) == (host, "path", use_ssl)
    assert (options["key_id"], options["secret"]) == ("AKIDEXAMPLE", "wJalrXUtnFEMI")


@pytest.mark.parametrize("endpoint", [None, "", "  "])
def test_without_an_endpoint_duckdb_talks_to_aws(endpoint):
    env = dict(KEYS) if endpoint is None else {**KEYS, "S3_ENDPOINT_URL": endpoint}
    options = secret(env)
    assert "endpoint" not in options
    assert "url_style" not in options
    assert "endpoint" not in secret_sql(env=env)


@pytest.mark.parametrize(
    ("env", "region"),
    [
        ({"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-central-1"}, "eu-west-1"),
        ({"AWS_DEFAULT_REGION": "eu-central-1"}, "eu-central-1"),
        ({"AWS_REGION": "", "AWS_DEFAULT_REGION": "eu-central-1"}, "eu-central-1"),
        ({}, "us-east-1"),
    ],
)
def test_region_falls_back_to_the_default_region_then_us_east_1(env, region):
    assert secret({**KEYS, **env})["region"] == region


def test_quotes_in_values_stay_inside_their_literal():
    env = {
        "AWS_ACCESS_KEY_ID": "AK'ID",
        "AWS_SECRET_ACCESS_KEY": "it's', endpoint 'evil.example.com",
        "S3_ENDPOINT_URL": "http://127.0.0.1:9000",
    }
    options = secret(env)
    assert options["key_id"] == "AK'ID"
    assert options["secret"] == "it's', endpoint 'evil.example.com"
    assert options["endpoint"] == "127.0.0.1:9000"


def test_the_name_is_the_callers_and_a_second_call_replaces_the_secret():
    conn = duckdb.connect()
    enable_s3(conn, name="landing", env={"AWS_REGION": "eu-west-1"})
    enable_s3(conn, name="landing", env={"AWS_REGION": "eu-north-1"})
    rows = conn.execute("select name, secret_string from duckdb_secrets()").fetchall()
    assert [name for name, _ in rows] == ["landing"]
    assert "region=eu-north-1" in rows[0][1]


def test_the_process_environment_is_the_default(monkeypatch):
    monkeypatch.setenv("S3_ENDPOINT_URL", "http://127.0.0.1:9000")
    monkeypatch.setenv("AWS_REGION", "ap-south-1")
    assert "endpoint '127.0.0.1:9000'" in secret_sql()
    assert "region 'ap-south-1'" in secret_sql()


@pytest.fixture(params=STORES)
def store(request, tmp_path):
    """A quote in the secret: moto takes any key, SeaweedFS checks the signature made with it."""
    with running(request.param, tmp_path / "store", key_id="test", secret="te'st", region="eu-west-1") as store:
        yield store


def test_writes_and_reads_the_lake_on_an_s3_server(store):
    env = {
        "S3_ENDPOINT_URL": store.endpoint,
        "AWS_ACCESS_KEY_ID": store.key_id,
        "AWS_SECRET_ACCESS_KEY": store.secret,
        "AWS_DEFAULT_REGION": "eu-west-1",
    }
    s3 = store.client()
    bucket = "duckdb-s3-round-trip"  # moto keeps buckets per process, across servers: not `lake` of other tests
    store.create_bucket(bucket)
    s3.put_object(Bucket=bucket, Key="landing/orders.csv", Body=b"order_id,status\n1,shipped\n2,placed\n")

    conn = duckdb.connect()
    enable_s3(conn, env=env)
    conn.execute(
        f"copy (select * from read_csv('s3://{bucket}/landing/orders.csv') order by order_id) "
        f"to 's3://{bucket}/bronze/orders.parquet' (format parquet)"
    )
    rows = conn.execute(f"select * from 's3://{bucket}/bronze/orders.parquet'").fetchall()
    assert rows == [(1, "shipped"), (2, "placed")]
    assert store.keys(bucket, "bronze/") == ["bronze/orders.parquet"]

"""The stack's own scripts run here, with the environment compose gives them: create-buckets against moto's S3 server,
the SeaweedFS identity file, the Postgres init script against a throwaway Postgres 15, demo-data on a full landing
folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

from tests.serving import postgres_server
from tests.tools import free_port, missing

from .stack_files import ROOT, command_words

CREATE_BUCKETS = ROOT / "docker" / "stack" / "create_buckets.py"
SEAWEEDFS_START = ROOT / "docker" / "seaweedfs" / "start.sh"
POSTGRES_INIT = ROOT / "docker" / "postgres" / "init" / "01-databases.sh"


def run(command: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True, timeout=timeout)


# ---- create-buckets ----


@pytest.fixture
def moto_endpoint():
    from data_stack.promote.rehearsal import moto_endpoint as server

    with server() as endpoint:
        yield endpoint


def create_buckets_env(services, endpoint: str) -> dict[str, str]:
    env = {str(key): str(value) for key, value in services["create-buckets"]["environment"].items()}
    return {**env, "S3_ENDPOINT_URL": endpoint}


def test_create_buckets_is_what_the_service_runs(services):
    assert command_words(services["create-buckets"])[-1] == "/app/docker/stack/create_buckets.py"


def test_create_buckets_makes_the_lake_bucket_once(services, moto_endpoint):
    import boto3

    env = create_buckets_env(services, moto_endpoint)
    # moto keeps buckets in process-wide state shared with other tests: a bucket name of this test's own
    env["LAKE_URI"] = env["LAKE_URI"].replace("s3://", f"s3://t{uuid.uuid4().hex[:12]}-", 1)
    first = run([sys.executable, str(CREATE_BUCKETS)], env)
    assert first.returncode == 0, first.stderr
    assert "created" in first.stdout
    again = run([sys.executable, str(CREATE_BUCKETS)], env)
    assert again.returncode == 0, again.stderr
    assert "exists" in again.stdout
    s3 = boto3.client(
        "s3",
        endpoint_url=moto_endpoint,
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name=env["AWS_REGION"],
    )
    lake_bucket = env["LAKE_URI"].removeprefix("s3://").split("/")[0]
    assert [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]].count(lake_bucket) == 1


def test_create_buckets_fails_in_one_line_when_the_store_never_answers(services):
    env = {**create_buckets_env(services, f"http://127.0.0.1:{free_port()}"), "CREATE_BUCKETS_TIMEOUT_SECONDS": "2"}
    result = run([sys.executable, str(CREATE_BUCKETS)], env)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "cannot create bucket" in result.stderr


# ---- the SeaweedFS identity ----


def seaweedfs_start(tmp_path: Path, key: str, secret: str) -> subprocess.CompletedProcess:
    config = tmp_path / "s3.json"
    env = {"AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret, "S3_CONFIG_FILE": str(config)}
    return run(["sh", str(SEAWEEDFS_START), "cat", str(config)], env)


def test_seaweedfs_gets_one_identity_with_the_stacks_keys(services, tmp_path):
    env = services["seaweedfs"]["environment"]
    result = seaweedfs_start(tmp_path, env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"])
    assert result.returncode == 0, result.stderr
    identities = json.loads(result.stdout)["identities"]
    assert [identity["credentials"] for identity in identities] == [
        [{"accessKey": env["AWS_ACCESS_KEY_ID"], "secretKey": env["AWS_SECRET_ACCESS_KEY"]}]
    ]
    assert {"Read", "Write", "List"} <= set(identities[0]["actions"])
    assert oct((tmp_path / "s3.json").stat().st_mode & 0o777) == "0o600"


def test_seaweedfs_refuses_a_key_that_would_break_the_file(tmp_path):
    result = seaweedfs_start(tmp_path, "northwind", 'se"cret')
    assert result.returncode == 1
    assert "quotes" in result.stderr


def test_seaweedfs_reads_the_file_the_script_writes(services):
    service = services["seaweedfs"]
    words = command_words(service)
    assert service["entrypoint"] == ["/bin/sh", "/etc/seaweedfs/start.sh"]
    assert words[:2] == ["/entrypoint.sh", "server"], "the image's entrypoint keeps its data-folder defaults"
    assert "-s3.config=/tmp/s3.json" in words  # start.sh's default S3_CONFIG_FILE
    assert "./docker/seaweedfs/start.sh:/etc/seaweedfs/start.sh:ro" in service["volumes"]


# ---- Postgres roles and databases ----


@pytest.fixture(scope="module")
def initialized_postgres(services):
    if not postgres_server.binaries_present():
        missing(postgres_server.INSTALL_HINT)
    server = postgres_server.start()
    env = {str(key): str(value) for key, value in services["postgres"]["environment"].items()}
    env.update(
        PGHOST="127.0.0.1",
        PGPORT=str(server.port),
        PATH=f"{postgres_server.PG_BIN}:{os.environ.get('PATH', '')}",
    )
    try:
        result = run(["bash", str(POSTGRES_INIT)], env)
        assert result.returncode == 0, result.stdout + result.stderr
        yield server
    finally:
        server.stop()


def connect(server, user: str, dbname: str) -> psycopg.Connection:
    return psycopg.connect(server.url(dbname, user=user), autocommit=True)


def test_airflow_owns_its_database_and_can_migrate_it(initialized_postgres):
    with connect(initialized_postgres, "airflow", "airflow") as conn:
        owner = conn.execute("select pg_get_userbyid(datdba) from pg_database where datname = 'airflow'").fetchone()
        assert owner == ("airflow",)
        conn.execute("create table public.alembic_version_probe (version_num varchar(32) primary key)")


def test_the_loader_swaps_schemas_and_the_dashboards_role_reads_them(initialized_postgres):
    with connect(initialized_postgres, "serving", "serving") as conn:
        conn.execute("create schema marketing__load_1")
        conn.execute("create table marketing__load_1.revenue_daily as select 1 as orders")
        conn.execute("alter schema marketing__load_1 rename to marketing")
    with connect(initialized_postgres, "dashboards", "serving") as conn:
        assert conn.execute("select orders from marketing.revenue_daily").fetchone() == (1,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("create schema scratch")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("insert into marketing.revenue_daily values (2)")


def test_the_dashboards_role_reads_each_run_the_pipeline_serves(initialized_postgres, tmp_path):
    """The real serving load (new schemas, then a swap) as `serving`; the dashboards' reader as `dashboards`."""
    import duckdb

    from data_stack.serving import connect_readonly, load_published, served_run

    warehouse = tmp_path / "current.duckdb"
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("create schema marketing")
        conn.execute("create table marketing.revenue_daily as select date '2026-01-01' as order_date, 10.5 as revenue")
    loader = initialized_postgres.url("serving", user="serving")
    reader = initialized_postgres.url("serving", user="dashboards")
    for run_id in ("20261201T000000Z-aaaa", "20261201T010000Z-bbbb"):
        load_published(loader, warehouse, run_id)
        with connect_readonly(reader) as conn:
            assert served_run(conn) == run_id
            assert conn.execute("select count(*) from marketing.revenue_daily").fetchone() == (1,)


def test_the_dashboards_role_cannot_reach_the_airflow_database(initialized_postgres):
    with pytest.raises(psycopg.OperationalError, match="permission denied"):
        connect(initialized_postgres, "dashboards", "airflow")


def test_the_init_script_refuses_to_run_without_a_password(tmp_path):
    result = run(["bash", str(POSTGRES_INIT)], {"AIRFLOW_DB_PASSWORD": "", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 1
    assert "AIRFLOW_DB_PASSWORD is not set" in result.stderr


def test_the_init_scripts_are_mounted_where_the_image_runs_them(services):
    assert "./docker/postgres/init:/docker-entrypoint-initdb.d:ro" in services["postgres"]["volumes"]
    assert os.access(POSTGRES_INIT, os.X_OK), "executable: the image runs it instead of sourcing it"


# ---- demo-data ----


def test_demo_data_leaves_a_landing_folder_with_files_alone(services, tmp_path):
    landing = tmp_path / "landing"
    (landing / "orders").mkdir(parents=True)
    (landing / "orders" / "orders_2026-01-01.csv").write_text("order_id\n1\n")
    words = command_words(services["demo-data"])
    env = {"LANDING_URI": str(landing), "DATA_DIR": str(tmp_path)}
    result = run([str(Path(sys.executable).parent / words[0]), *words[1:]], env)
    assert result.returncode == 0, result.stderr
    assert [path.name for path in landing.rglob("*") if path.is_file()] == ["orders_2026-01-01.csv"]

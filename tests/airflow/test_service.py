"""Airflow as a service, as `make airflow` starts it: api-server, scheduler and dag-processor on 127.0.0.1 (a free
port) against a throwaway Postgres metadata database; the pipeline DAG triggered through the REST API runs to
success and publishes, and the published-warehouse Asset gets an event."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import psycopg
import pytest
import requests

from tests.serving import postgres_server
from tests.tools import free_port, logs_of, wait_for

from .conftest import CLI, ROOT

PASSWORD = "test-admin-password"


def _wait_for(what: str, probe, timeout: float, process: subprocess.Popen, logs: Path):
    return wait_for(probe, timeout, what, logs, alive=process.poll, interval=1)


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


@pytest.fixture(scope="module")
def metadata_url():
    if not postgres_server.binaries_present():
        pytest.fail(postgres_server.INSTALL_HINT)  # `make test` installs them first
    server = postgres_server.start()
    with psycopg.connect(server.url(), autocommit=True) as conn:
        conn.execute("create role airflow login")
        conn.execute("create database airflow owner airflow")  # Postgres 15: the role must own its database
    yield f"postgresql+psycopg2://airflow@127.0.0.1:{server.port}/airflow"
    server.stop()


@pytest.fixture(scope="module")
def airflow_service(tmp_path_factory, metadata_url):
    root = tmp_path_factory.mktemp("airflow-service")
    port = free_port()
    home = root / "airflow"
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("AIRFLOW") and name not in ("SERVING_DB_URL", "VEHICLE_API_URL")
    }
    env.update(
        DATA_DIR=str(root / "data"),
        AIRFLOW_HOME=str(home),
        AIRFLOW_PORT=str(port),
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=metadata_url,
        AIRFLOW_ADMIN_PASSWORD=PASSWORD,
        DATA_STACK_CLI=str(CLI),
        DBT_TARGET="ci",
        MELTANO_ENVIRONMENT="ci",
    )
    subprocess.run([str(CLI), "generate", "--scale", "0.02", "--days", "4"], env=env, check=True, capture_output=True)
    process = subprocess.Popen(
        [str(ROOT / "scripts" / "airflow.sh")],
        env=env,
        cwd=ROOT,
        stdout=open(root / "airflow-sh.log", "w"),  # noqa: SIM115 - written until the group stops
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    logs = home / "logs" / "services"
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(
            "the api-server", lambda: requests.get(f"{base}/api/v2/monitor/health", timeout=5).ok, 180, process, logs
        )
        yield base, root, process, logs, port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_triggered_pipeline_dag_runs_to_success_through_the_rest_api(airflow_service):
    base, root, process, logs, port = airflow_service
    assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1 only

    token = requests.post(f"{base}/auth/token", json={"username": "admin", "password": PASSWORD}, timeout=10)
    assert token.status_code in (200, 201), token.text
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    assert requests.get(f"{base}/api/v2/dags", timeout=10).status_code == 401  # the API needs the token

    dag_url = f"{base}/api/v2/dags/northwind_pipeline"
    dag = _wait_for(
        "the dag-processor to register the DAG",
        lambda: (r := requests.get(dag_url, headers=headers, timeout=10)).ok and r.json(),
        120,
        process,
        logs,
    )
    assert dag["is_paused"] is False and {tag["name"] for tag in dag["tags"]} >= {"northwind", "pipeline"}

    triggered = requests.post(f"{dag_url}/dagRuns", headers=headers, json={"logical_date": None}, timeout=10)
    assert triggered.ok, triggered.text
    run_id = triggered.json()["dag_run_id"]

    def finished():
        state = requests.get(f"{dag_url}/dagRuns/{run_id}", headers=headers, timeout=10).json()["state"]
        return state if state in ("success", "failed") else None

    assert _wait_for(f"DAG run {run_id}", finished, 900, process, logs) == "success", logs_of(logs)

    tasks = requests.get(f"{dag_url}/dagRuns/{run_id}/taskInstances", headers=headers, timeout=10).json()
    assert {ti["task_id"]: ti["state"] for ti in tasks["task_instances"]} == dict.fromkeys(
        ["ingest", "transform", "check", "publish", "serve"], "success"
    )
    events = requests.get(
        f"{base}/api/v2/assets/events", headers=headers, params={"source_run_id": run_id}, timeout=10
    ).json()
    assert [event["uri"] for event in events["asset_events"]] == [
        (root / "data" / "warehouse" / "current.duckdb").as_uri()
    ]

    env = dict(os.environ, DATA_DIR=str(root / "data"))
    ledger = json.loads(subprocess.run([str(CLI), "status", "--json"], env=env, capture_output=True).stdout)
    ours = [run for run in ledger if run["published"]]
    assert ours and ours[0]["status"] == "success"
    assert (root / "data" / "warehouse" / "current.duckdb").exists()

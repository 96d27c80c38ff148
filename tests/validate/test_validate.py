"""`data-stack validate` against a configuration with one broken part per check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import duckdb
import pytest

from data_stack.validate import run_checks
from tests.serving import postgres_server
from tests.tools import free_port, missing

CLI = str(Path(sys.executable).parent / "data-stack")
CONFIG = (
    "DATA_DIR", "LANDING_URI", "LAKE_URI", "WAREHOUSE_DIR", "S3_ENDPOINT_URL", "SERVING_DB_URL", "VEHICLE_API_URL",
    "VEHICLE_API_KEY", "AIRFLOW_API_URL", "PROMETHEUS_URL", "GRAFANA_URL", "QUARANTINE_RATE_MAX",
)  # fmt: skip


@pytest.fixture
def env(tmp_path, monkeypatch) -> Path:
    """A sound embedded configuration: a data folder with nothing published yet."""
    for name in CONFIG:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no .env of the checkout
    return tmp_path / "data"


def checks(all_services: bool = False) -> dict[str, tuple[str, str, str]]:
    return {check.name: (check.status, check.detail, check.action) for check in run_checks(all_services)}


def test_a_fresh_configuration_passes_with_skips(env):
    found = checks()
    assert {name: status for name, (status, _, _) in found.items()} == {
        "settings": "ok",
        "landing": "ok",
        "lake": "ok",
        "warehouse": "skip",
        "serving": "skip",
        "vehicle_api": "skip",
    }
    assert "Run `data-stack run`" in found["warehouse"][2]


def test_invalid_setting(env, monkeypatch):
    monkeypatch.setenv("QUARANTINE_RATE_MAX", "2")
    found = checks()
    assert list(found) == ["settings"]  # nothing else can be checked without settings
    status, detail, action = found["settings"]
    assert (status, detail) == ("fail", "Invalid QUARANTINE_RATE_MAX=2: must be a number between 0 and 1")
    assert action == "Fix it in the environment or .env"


def test_landing_is_a_file(env, monkeypatch, tmp_path):
    (tmp_path / "landing").write_text("not a folder")
    monkeypatch.setenv("LANDING_URI", str(tmp_path / "landing"))
    status, detail, action = checks()["landing"]
    assert (status, detail) == ("fail", f"{tmp_path / 'landing'} is not a folder")
    assert "LANDING_URI" in action


def test_lake_on_s3_down_then_up(env, monkeypatch):
    moto_server = pytest.importorskip("moto.server")
    boto3 = pytest.importorskip("boto3")
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    for name, value in {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("LAKE_URI", "s3://lake/northwind")
    monkeypatch.setenv("S3_ENDPOINT_URL", endpoint)
    status, detail, action = checks()["lake"]
    assert status == "fail" and detail.startswith(f"Cannot list s3://lake/northwind (endpoint {endpoint})")
    assert "S3_ENDPOINT_URL" in action
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    try:
        boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket="lake")
        assert checks()["lake"][0] == "ok"
    finally:
        server.stop()


def test_published_warehouse_unreadable_then_readable(env):
    published = env / "warehouse" / "current.duckdb"
    published.parent.mkdir(parents=True)
    published.write_bytes(b"not a duckdb file" * 1000)
    status, detail, _ = checks()["warehouse"]
    assert status == "fail" and detail.startswith(f"Cannot read {published}")
    published.unlink()
    with duckdb.connect(str(published)) as conn:
        conn.execute("create schema marketing; create table marketing.customers as select 1 as customer_id")
    assert checks()["warehouse"][:2] == ("ok", f"{published} (1 tables)")


@pytest.fixture(scope="module")
def postgres() -> Iterator[postgres_server.PostgresServer]:
    if not postgres_server.binaries_present():
        missing(postgres_server.INSTALL_HINT)
    server = postgres_server.start()
    try:
        yield server
    finally:
        server.stop()


def test_serving_down_then_up(env, monkeypatch, postgres):
    monkeypatch.setenv("SERVING_DB_URL", f"postgresql://postgres@127.0.0.1:{free_port()}/serving")
    status, detail, action = checks()["serving"]
    assert status == "fail" and detail.startswith("Cannot connect to Postgres at 127.0.0.1:")
    assert action == "Check SERVING_DB_URL and that the server is up"
    monkeypatch.setenv("SERVING_DB_URL", postgres.url())
    assert checks()["serving"] == ("ok", f"Postgres at 127.0.0.1:{postgres.port}/postgres", "")


def test_vendor_api_url_without_key(env, monkeypatch):
    monkeypatch.setenv("VEHICLE_API_URL", "http://127.0.0.1:9/vmv")
    status, detail, action = checks()["vehicle_api"]
    assert (status, detail) == ("fail", "VEHICLE_API_URL is set but VEHICLE_API_KEY is not")
    assert "VEHICLE_API_KEY" in action
    monkeypatch.setenv("VEHICLE_API_KEY", "secret-key")
    status, detail, _ = checks()["vehicle_api"]
    assert status == "ok" and "secret-key" not in detail


class _Health(BaseHTTPRequestHandler):
    healthy: ClassVar[set[str]] = set()  # paths answered 200, the rest 503

    def do_GET(self) -> None:
        self.send_response(200 if self.path in self.healthy else 503)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def health_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_all_services_one_down_one_unhealthy_one_up(env, monkeypatch, health_server):
    _Health.healthy = {"/-/healthy"}
    monkeypatch.setenv("AIRFLOW_API_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("PROMETHEUS_URL", health_server)
    monkeypatch.setenv("GRAFANA_URL", health_server + "/")
    found = checks(all_services=True)
    assert found["airflow"][0] == "fail" and "did not answer" in found["airflow"][1]
    assert "AIRFLOW_API_URL" in found["airflow"][2]
    assert found["prometheus"] == ("ok", f"{health_server}/-/healthy", "")
    assert found["grafana"][:2] == ("fail", f"{health_server}/api/health answered HTTP 503")
    assert "airflow" not in checks()


def test_cli_one_line_per_check_and_exit_code(env, monkeypatch, tmp_path):
    environ = {name: value for name, value in os.environ.items() if name not in CONFIG}
    environ["DATA_DIR"] = str(env)
    ok = subprocess.run([CLI, "validate"], env=environ, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines()[-1] == "all 6 checks passed"
    environ["VEHICLE_API_URL"] = "http://127.0.0.1:9/vmv"
    bad = subprocess.run(
        [CLI, "validate", "--json"], env=environ, capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert bad.returncode == 1
    report = json.loads(bad.stdout)
    assert report["ok"] is False
    assert [check["name"] for check in report["checks"] if check["status"] == "fail"] == ["vehicle_api"]
    human = subprocess.run([CLI, "validate"], env=environ, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    line = next(line for line in human.stdout.splitlines() if "vehicle_api" in line)
    assert line.startswith("fail") and line.endswith("or unset VEHICLE_API_URL.")


def test_a_skipped_check_is_reported_and_an_unknown_name_is_refused(env, monkeypatch, tmp_path, health_server):
    _Health.healthy = {"/api/v2/monitor/health", "/-/healthy"}
    environ = {name: value for name, value in os.environ.items() if name not in CONFIG}
    environ |= {"DATA_DIR": str(env), "AIRFLOW_API_URL": health_server, "PROMETHEUS_URL": health_server}
    environ["GRAFANA_URL"] = f"http://127.0.0.1:{free_port()}"  # nothing listens: the stack runs without Grafana
    command = [CLI, "validate", "--all-services", "--json"]
    down = subprocess.run(command, env=environ, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert down.returncode == 1
    skipped = subprocess.run([*command, "--skip", "grafana"], env=environ, capture_output=True, text=True, timeout=60)
    assert skipped.returncode == 0, skipped.stdout
    found = {check["name"]: check for check in json.loads(skipped.stdout)["checks"]}
    assert found["grafana"]["status"] == "skip" and found["grafana"]["detail"] == "left out (--skip)"
    assert found["airflow"]["status"] == found["prometheus"]["status"] == "ok"
    unknown = subprocess.run([*command, "--skip", "grafna"], env=environ, capture_output=True, text=True, timeout=60)
    assert unknown.returncode != 0 and "Traceback" not in unknown.stderr
    assert "--skip grafna: no such check" in unknown.stderr and "grafana" in unknown.stderr

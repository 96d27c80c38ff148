"""A real Prometheus (Debian's) scraping `data-stack metrics` after a real pipeline run: the values it stores equal
the ledger's, and a failed run makes the failed-run alert of monitoring/prometheus/rules go pending or firing.

The test's Prometheus config differs from monitoring/prometheus/prometheus.yml only in what a test needs: 1 s
scrape and evaluation intervals, the exporter on a free loopback port, no Alertmanager.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import requests

from tests.tools import free_port, require_command, wait_for

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "monitoring" / "prometheus" / "rules"
CLI = str(Path(sys.executable).parent / "data-stack")


class Stack:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = dict(os.environ, DATA_DIR=str(root), DBT_TARGET="ci", MELTANO_ENVIRONMENT="ci")
        for name in ("SERVING_DB_URL", "VEHICLE_API_URL"):
            self.env.pop(name, None)

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run([CLI, *args], env=self.env, capture_output=True, text=True, timeout=900)
        if check:
            assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        return result

    def ledger(self) -> list[dict]:
        return json.loads(self.cli("status", "--json", "--limit", "100").stdout)


def _start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(cmd, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Stack:
    stack = Stack(tmp_path_factory.mktemp("observed"))
    stack.cli("generate", "--scale", "0.02", "--days", "4")
    stack.cli("run")
    return stack


@pytest.fixture(scope="module")
def prometheus(stack, tmp_path_factory):
    prometheus_bin = require_command("prometheus", "`make test` installs it (scripts/install-prometheus.sh)")
    work = tmp_path_factory.mktemp("prometheus")
    exporter_port, prometheus_port = free_port(), free_port()
    exporter = _start([CLI, "metrics", "--port", str(exporter_port)], stack.env, work / "exporter.log")
    config = work / "prometheus.yml"
    config.write_text(
        "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
        f"rule_files: ['{RULES}/*.yml']\n"
        "scrape_configs:\n"
        "  - job_name: data-stack\n"
        f"    static_configs: [{{targets: ['127.0.0.1:{exporter_port}']}}]\n"
    )
    server = _start(
        [
            prometheus_bin,
            f"--config.file={config}",
            f"--storage.tsdb.path={work / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{prometheus_port}",
        ],
        os.environ.copy(),
        work / "prometheus.log",
    )
    base = f"http://127.0.0.1:{prometheus_port}"
    try:
        _until(lambda: requests.get(f"{base}/-/ready", timeout=2).ok, 60, work)
        yield base, work
    finally:
        _stop(server)
        _stop(exporter)


def _until(probe, timeout: float, work: Path):
    return wait_for(probe, timeout, "Prometheus", work)


def _query(base: str, promql: str) -> dict[tuple[tuple[str, str], ...], float]:
    data = requests.get(f"{base}/api/v1/query", params={"query": promql}, timeout=10).json()["data"]["result"]
    return {
        tuple(sorted((k, v) for k, v in item["metric"].items() if k not in ("__name__", "job", "instance"))): float(
            item["value"][1]
        )
        for item in data
    }


def _alerts(base: str) -> dict[str, str]:
    alerts = requests.get(f"{base}/api/v1/alerts", timeout=10).json()["data"]["alerts"]
    return {alert["labels"]["alertname"]: alert["state"] for alert in alerts}


def test_prometheus_stores_what_the_ledger_says(stack, prometheus):
    base, work = prometheus
    (run,) = stack.ledger()
    _until(lambda: _query(base, "data_stack_last_run_success"), 30, work)
    assert _query(base, 'data_stack_runs_total{status="success"}') == {(("status", "success"),): 1.0}
    assert _query(base, "data_stack_last_run_success") == {(): 1.0}
    assert _query(base, "data_stack_last_run_gate_passed") == {(): 1.0}
    assert _query(base, 'data_stack_last_run_dbt_tests{result="passed"}') == {
        (("result", "passed"),): float(run["dbt_tests"]["passed"])
    }
    rows = _query(base, "data_stack_last_run_rows")
    expected = {
        (("kind", kind), ("stream", stream)): float(counts[kind])
        for stream, counts in run["streams"].items()
        for kind in ("landed", "loaded", "quarantined")
    }
    assert rows == expected and len(rows) >= 24
    stages = _query(base, "data_stack_last_run_stage_duration_seconds")
    assert stages == {(("stage", name),): seconds for name, seconds in run["stage_seconds"].items()}
    assert _query(base, "up") == {(): 1.0}
    assert "PipelineRunFailed" not in _alerts(base)


def test_a_failed_run_fires_the_failed_run_alert(stack, prometheus):
    base, work = prometheus
    stack.cli("transform")
    (build,) = (stack.root / "warehouse" / "build").glob("*.duckdb")
    with duckdb.connect(str(build)) as conn:
        conn.execute("delete from marketing.customers")  # orders now point at missing customers: the gate fails
    assert stack.cli("check", check=False).returncode == 4
    assert stack.ledger()[0]["status"] == "failed"

    alerts = _until(lambda: (found := _alerts(base)).get("PipelineRunFailed") and found, 60, work)
    assert alerts["PipelineRunFailed"] in ("pending", "firing")
    assert alerts.get("QualityGateFailed") in ("pending", "firing")
    assert _query(base, "data_stack_last_run_success") == {(): 0.0}
    assert _query(base, 'data_stack_runs_total{status="failed"}') == {(("status", "failed"),): 1.0}
    _keep_evidence(base)


def _keep_evidence(base: str) -> None:
    """What Prometheus answered, for the record (test-output/monitoring/prometheus.json)."""
    out = ROOT / "test-output" / "monitoring"
    out.mkdir(parents=True, exist_ok=True)
    queries = ["data_stack_runs_total", "data_stack_last_run_success", 'data_stack_last_run_rows{kind="landed"}']
    evidence = {
        "queries": {q: requests.get(f"{base}/api/v1/query", params={"query": q}, timeout=10).json() for q in queries},
        "alerts": requests.get(f"{base}/api/v1/alerts", timeout=10).json(),
    }
    (out / "prometheus.json").write_text(json.dumps(evidence, indent=2))

"""The compose stack end to end, as a user relies on it, in the order a user meets it: every service healthy, the
first scheduled DAG run publishing into Postgres, the dashboards, the lake in the object store, `validate`,
Prometheus and an alert delivered; then faults: Postgres and the object store restarted during a run, a gate failed on
purpose (the alert reaches the webhook, readers keep the published run), `down` and `up` keeping every volume.

Each test builds on the state the ones before left (one stack for the session: bringing it up costs minutes)."""

from __future__ import annotations

import json
import time

import boto3
import psycopg
import pytest
import requests

from tests.dashboards.browser import PATHS, browser, render, require_chromium, shown_problems
from tests.dashboards.test_browser import CHARTS

from .airflow_api import task_summary
from .conftest import OUTPUT, REPORT

FIRST_RUN_SECONDS = 900
RUN_SECONDS = 1200
STACK_PYTHON = "/app/.venv/bin/python"  # the scheduler's PATH finds Airflow's environment first
SERVED_SCHEMAS = ("marketing", "product", "logistics")
# Counts every gold table of the published warehouse, from inside the scheduler (the warehouse volume).
PUBLISHED_COUNTS = """
import json
from data_stack.serving.reader import connect_published
from data_stack.settings import get_settings
conn = connect_published(get_settings().published_db)
tables = conn.execute(
    "select table_schema, table_name from information_schema.tables where table_catalog = 'published' "
    "and table_schema in ('marketing', 'product', 'logistics')"
).fetchall()
print(json.dumps({f"{s}.{t}": conn.execute(f'select count(*) from published."{s}"."{t}"').fetchone()[0]
                  for s, t in tables}))
"""
# A drop of order lines that are all malformed (a quantity that is no number): enough rows for the quarantine-rate
# gate to judge the stream, so the run fails at `check` and must not publish.
BAD_DROP = """
import csv
with open('/data/landing/orders/order_items_2026-12-31.csv', 'w', newline='') as out:
    writer = csv.writer(out)
    writer.writerow(['order_item_id', 'order_id', 'product_id', 'quantity', 'unit_price', 'discount_pct'])
    for n in range(400):
        writer.writerow([9900000000000 + n, 99000000000 + n, 17, 'several', '10.00', '0.0000'])
"""


def _serving_url(stack) -> str:
    return f"postgresql://serving:{stack.values['SERVING_DB_PASSWORD']}@127.0.0.1:{stack.port('postgres')}/serving"


def _served_counts(stack) -> dict[str, int]:
    with psycopg.connect(_serving_url(stack), connect_timeout=10) as conn:
        tables = conn.execute(
            "select table_schema, table_name from information_schema.tables where table_schema = any(%s)",
            (list(SERVED_SCHEMAS),),
        ).fetchall()
        return {
            f"{schema}.{table}": conn.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
            for schema, table in tables
        }


def _served_run(stack) -> str:
    with psycopg.connect(_serving_url(stack), connect_timeout=10) as conn:
        return conn.execute("select run_id from meta.serving_runs order by published_at desc limit 1").fetchone()[0]


def _published_counts(stack) -> dict[str, int]:
    result = stack.exec("airflow-scheduler", STACK_PYTHON, "-c", PUBLISHED_COUNTS)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def _published_run(stack) -> str:
    """The newest run that published (the vehicle-valuations DAG writes runs of its own to the ledger)."""
    return next(run["run_id"] for run in _ledger(stack) if run["published"])


def _ledger(stack) -> list[dict]:
    result = stack.exec("airflow-scheduler", "data-stack", "status", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def _received(stack) -> list[dict]:
    """Every notification the webhook receiver got, oldest first (kept in test-output/stack/alerts.json)."""
    bodies = requests.get(f"http://127.0.0.1:{stack.values['RECEIVER_HOST_PORT']}/alerts", timeout=10).json()
    (OUTPUT / "alerts.json").write_text(json.dumps(bodies, indent=1))
    return bodies


def _firing(bodies: list[dict]) -> set[str]:
    return {alert["labels"]["alertname"] for body in bodies for alert in body["alerts"] if alert["status"] == "firing"}


def _task_failure(stack, airflow, run_id: str) -> str:
    tasks = task_summary(airflow.tasks(run_id))
    return f"tasks: {tasks}\n{stack.logs('airflow-scheduler', tail=80)}"


@pytest.fixture(scope="module")
def first_run(stack, airflow):
    run_id = airflow.first_run_id(timeout=300)
    run = airflow.wait_finished(run_id, timeout=FIRST_RUN_SECONDS)
    tasks = task_summary(airflow.tasks(run_id))
    REPORT["first_run"] = {"run_id": run_id, "state": run["state"], "tasks": tasks}
    assert run["state"] == "success", _task_failure(stack, airflow, run_id)
    return run_id


def test_every_service_is_healthy_and_published_on_loopback_only(stack):
    states = stack.states()
    assert all(state in ("healthy", "exited(0)", "running") for state in states.values()), states
    for name, item in stack.containers().items():
        for bindings in (item["HostConfig"].get("PortBindings") or {}).values():
            assert all(binding["HostIp"] == "127.0.0.1" for binding in bindings), (name, bindings)


def test_the_first_scheduled_run_publishes(first_run, airflow):
    tasks = airflow.tasks(first_run)
    assert [tasks[name]["state"] for name in ("ingest", "transform", "check", "publish", "serve")] == ["success"] * 5


def test_postgres_serves_every_gold_mart_with_the_published_row_counts(stack, first_run):
    published = _published_counts(stack)
    assert len(published) >= 10 and sum(published.values()) > 0, published
    assert _served_counts(stack) == published
    assert _served_run(stack) == _published_run(stack)


def test_the_dashboards_render_their_kpis_from_postgres(stack, first_run):
    require_chromium()
    served = _served_run(stack)
    shots = OUTPUT / "dashboards"
    shots.mkdir(parents=True, exist_ok=True)
    with browser() as page:
        for name, path in PATHS.items():
            try:
                render(page, f"{stack.url('dashboards')}/{path}", charts=CHARTS[name])
            except Exception as exc:
                page.screenshot(path=str(shots / f"{name}-failed.png"), full_page=True)
                raise AssertionError(f"page {name}: {exc}\n{page.inner_text('body')[:3000]}") from exc
            assert not shown_problems(page), (name, shown_problems(page))
            assert page.locator('[data-testid="stMetric"]').count() >= 4, name
            page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
            # the sidebar names the backend and the run it reads: Postgres, serving the published run
            sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
            assert "postgres" in sidebar and served in sidebar, (name, sidebar[-300:])


def test_the_lake_is_in_the_object_store(stack, first_run):
    s3 = boto3.client(
        "s3",
        endpoint_url=stack.url("s3"),
        region_name="us-east-1",
        aws_access_key_id=stack.values["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=stack.values["AWS_SECRET_ACCESS_KEY"],
    )
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=stack.values["LAKE_BUCKET"], Prefix="lake/"):
        keys += [item["Key"] for item in page.get("Contents", [])]
    streams = {key.split("/")[2] + "/" + key.split("/")[3] for key in keys if key.startswith("lake/bronze/")}
    assert {"orders/orders", "orders/order_items", "clickstream/events", "logistics/shipments"} <= streams, streams
    assert all(key.endswith(".parquet") for key in keys if key.startswith("lake/bronze/"))
    REPORT["lake_objects"] = len(keys)


def test_validate_all_services_passes_inside_the_stack(stack, first_run):
    skip = [item for name in stack.left_out for item in ("--skip", name)]
    result = stack.exec("airflow-scheduler", "data-stack", "validate", "--all-services", "--json", *skip)
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["ok"], json.dumps(report, indent=1)
    statuses = {check["name"]: check["status"] for check in report["checks"]}
    assert {name for name, status in statuses.items() if status == "ok"} >= {
        "settings", "landing", "lake", "warehouse", "serving", "vehicle_api", "airflow", "prometheus"
    }  # fmt: skip


def test_prometheus_scrapes_every_target_and_loads_the_rules(stack, first_run):
    base = stack.url("prometheus")
    deadline = time.monotonic() + 120
    while True:
        targets = requests.get(f"{base}/api/v1/targets", timeout=10).json()["data"]["activeTargets"]
        down = {t["labels"]["job"]: t["lastError"] or t["health"] for t in targets if t["health"] != "up"}
        if targets and not down:
            break
        assert time.monotonic() < deadline, f"targets not up after 120 s: {down}"
        time.sleep(5)
    rules = requests.get(f"{base}/api/v1/rules", timeout=10).json()["data"]["groups"]
    assert sum(len(group["rules"]) for group in rules) >= 10
    REPORT["prometheus_targets"] = sorted(t["labels"]["job"] for t in targets)


def test_restarting_postgres_then_the_object_store_during_a_run_recovers(stack, airflow, first_run):
    """A new day lands; while its run is in flight Postgres restarts (Airflow's metadata and the serving layer),
    then SeaweedFS (the lake). The DAG's retries recover and the run publishes the new day."""
    result = stack.exec("airflow-scheduler", "data-stack", "generate", "--start-date", "2026-04-01", "--days", "1")
    assert result.returncode == 0, result.stderr
    before, served_before = _published_counts(stack), _served_run(stack)
    run_id = airflow.trigger()
    faults: list[dict] = []

    def inject(tasks: dict[str, dict]) -> None:
        running = sorted(name for name, item in tasks.items() if item["state"] == "running")
        if not running:
            return
        if not faults:
            faults.append({"service": "postgres", "during": running, "seconds": stack.restart("postgres")})
        elif len(faults) == 1 and running != faults[0]["during"]:
            faults.append({"service": "seaweedfs", "during": running, "seconds": stack.restart("seaweedfs")})

    run = airflow.wait_finished(run_id, timeout=RUN_SECONDS, on_poll=inject)
    tasks = task_summary(airflow.tasks(run_id))
    REPORT["fault_run"] = {"run_id": run_id, "state": run["state"], "faults": faults, "tasks": tasks}
    assert [fault["service"] for fault in faults] == ["postgres", "seaweedfs"], faults
    assert run["state"] == "success", _task_failure(stack, airflow, run_id)
    after = _published_counts(stack)
    assert after != before and _served_counts(stack) == after
    assert "PipelineRunFailed" not in _firing(_received(stack)), "a failure its retry fixed paged someone"
    assert _served_run(stack) == _published_run(stack) != served_before


def test_a_failed_gate_alerts_the_webhook_and_readers_keep_the_published_run(stack, airflow, first_run):
    served, published, earlier = _served_run(stack), _published_counts(stack), len(_received(stack))
    result = stack.exec("airflow-scheduler", STACK_PYTHON, "-c", BAD_DROP)
    assert result.returncode == 0, result.stderr
    run_id = airflow.trigger()
    run = airflow.wait_finished(run_id, timeout=RUN_SECONDS)
    tasks = airflow.tasks(run_id)
    assert run["state"] == "failed"
    assert tasks["check"]["state"] == "failed" and tasks["check"]["try_number"] == 1, task_summary(tasks)
    assert tasks["publish"]["state"] in ("upstream_failed", None)
    assert _served_run(stack) == served and _published_counts(stack) == published

    started, deadline = time.monotonic(), time.monotonic() + 300
    while True:
        firing = _firing(_received(stack)[earlier:])
        if "QualityGateFailed" in firing:
            break
        assert time.monotonic() < deadline, f"no QualityGateFailed at the webhook after 300 s; received {firing}"
        time.sleep(5)
    REPORT["alert"] = {"received": sorted(firing), "seconds_after_run_failed": round(time.monotonic() - started, 1)}
    assert "PipelineRunFailed" not in firing  # inhibited by the more specific alert (and only after 10 minutes)


def test_down_then_up_keeps_the_published_data_the_ledger_and_airflow_history(stack, airflow, first_run):
    served, counts, ledger = _served_run(stack), _served_counts(stack), _ledger(stack)
    runs = {run["dag_run_id"]: run["state"] for run in airflow.runs()}
    stack.down(volumes=False)
    started = time.monotonic()
    stack.up()
    stack.wait_ready(timeout=420)
    REPORT["seconds_to_ready_after_down_up"] = round(time.monotonic() - started, 1)
    assert _served_run(stack) == served and _served_counts(stack) == counts
    kept = {run["run_id"]: run["status"] for run in _ledger(stack)}
    before = {run["run_id"]: run["status"] for run in ledger}
    assert {run_id: kept.get(run_id) for run_id in before} == before
    after = {run["dag_run_id"]: run["state"] for run in airflow.runs()}
    assert {run_id: after.get(run_id) for run_id in runs} == runs

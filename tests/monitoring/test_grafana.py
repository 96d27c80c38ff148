"""Grafana, checked offline (no Grafana server installs here): the provisioning files point at what compose runs,
the dashboards are loaded from the folder compose mounts, every panel names a provisioned datasource, panel ids are
unique, and every query parses as PromQL."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
import yaml

from ..stack.stack_files import ENV_EXAMPLE, load_compose, read_env_file, resolved_services
from ..stack.test_compose_wiring import mounts
from .monitoring_files import DASHBOARD_PROVIDERS, DASHBOARDS_DIR, DATASOURCES, ROOT, dashboards, panels
from .promql_names import label_values_query, parse, selectors

PANEL_TYPES = {"row", "stat", "timeseries", "bargauge", "table"}
DASHBOARDS = dashboards()


def grafana_service() -> dict:
    return resolved_services(load_compose(), read_env_file(ENV_EXAMPLE))["grafana"]


def datasources() -> list[dict]:
    return [
        item for path in sorted(DATASOURCES.glob("*.yml")) for item in yaml.safe_load(path.read_text())["datasources"]
    ]


def providers() -> list[dict]:
    found = []
    for path in sorted(DASHBOARD_PROVIDERS.glob("*.yml")):
        found.extend(yaml.safe_load(path.read_text())["providers"])
    return found


def provisioned_uids() -> set[str]:
    return {item["uid"] for item in datasources()}


def queries(dashboard: dict) -> list[tuple[str, str]]:
    """(where, PromQL) of every panel target."""
    return [
        (f"panel {panel['id']} {panel['title']!r} {target['refId']}", target["expr"])
        for panel in panels(dashboard)
        for target in panel.get("targets", [])
    ]


def test_the_datasource_is_the_compose_prometheus_with_a_fixed_uid():
    (source,) = datasources()
    assert (source["uid"], source["type"], source["isDefault"]) == ("prometheus", "prometheus", True)
    url = urlsplit(source["url"])
    services = resolved_services(load_compose(), read_env_file(ENV_EXAMPLE))
    assert url.hostname in services and url.port == 9090
    assert f"--web.listen-address=0.0.0.0:{url.port}" in services[url.hostname]["command"]


def test_compose_mounts_provisioning_and_the_dashboard_folder_the_provider_names():
    grafana = mounts(grafana_service())
    assert grafana["/etc/grafana/provisioning"] == "./monitoring/grafana/provisioning"
    (provider,) = providers()
    assert provider["type"] == "file"
    assert grafana[provider["options"]["path"]] == f"./{DASHBOARDS_DIR.relative_to(ROOT)}"


def test_the_home_dashboard_is_a_provisioned_file():
    (provider,) = providers()
    home = grafana_service()["environment"]["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    assert home.startswith(provider["options"]["path"] + "/")
    assert (DASHBOARDS_DIR / home.rsplit("/", 1)[-1]).is_file()


def test_the_two_dashboards_have_unique_uids():
    assert set(DASHBOARDS) == {"pipeline-health.json", "airflow.json"}
    uids = [dashboard["uid"] for dashboard in DASHBOARDS.values()]
    assert len(set(uids)) == len(uids) and all(uids)


@pytest.mark.parametrize("name", sorted(DASHBOARDS))
def test_panel_ids_are_unique(name):
    ids = [panel["id"] for panel in panels(DASHBOARDS[name])]
    assert len(ids) == len(set(ids)), sorted(ids)


@pytest.mark.parametrize("name", sorted(DASHBOARDS))
def test_every_panel_and_target_uses_a_provisioned_datasource(name):
    uids = provisioned_uids()
    wrong = []
    for panel in panels(DASHBOARDS[name]):
        if panel["type"] == "row":
            continue
        for where, source in [
            ("panel", panel.get("datasource")),
            *(("target", t.get("datasource")) for t in panel["targets"]),
        ]:
            if not source or source.get("uid") not in uids:
                wrong.append(f"{panel['id']} {panel['title']!r} {where}: {source}")
    for variable in DASHBOARDS[name]["templating"]["list"]:
        if variable.get("type") == "query" and variable["datasource"].get("uid") not in uids:
            wrong.append(f"variable {variable['name']}: {variable['datasource']}")
    assert wrong == []


@pytest.mark.parametrize("name", sorted(DASHBOARDS))
def test_panels_are_known_types_that_fit_the_grid_and_have_queries(name):
    for panel in panels(DASHBOARDS[name]):
        assert panel["type"] in PANEL_TYPES, panel["type"]
        grid = panel["gridPos"]
        assert grid["x"] + grid["w"] <= 24, panel["title"]
        if panel["type"] != "row":
            assert panel["targets"] and all(target["expr"].strip() for target in panel["targets"]), panel["title"]


@pytest.mark.parametrize("name", sorted(DASHBOARDS))
def test_every_query_parses_as_promql(name):
    failures = []
    for where, expr in queries(DASHBOARDS[name]):
        try:
            parse(expr)
        except ValueError as exc:
            failures.append(f"{where}: {exc}: {expr}")
    for variable in DASHBOARDS[name]["templating"]["list"]:
        metric, _label = label_values_query(variable["query"]["query"])
        if metric:
            parse(metric)
    assert failures == []


def test_the_parser_rejects_broken_promql():
    for expr in ("sum(rate(data_stack_runs_total[5m])", "data_stack_runs_total{status=}", "humanize(up)"):
        with pytest.raises(ValueError):
            parse(expr)


def metrics_used(name: str) -> set[str]:
    return {selector.name for _, expr in queries(DASHBOARDS[name]) for selector in selectors(expr)}


def test_pipeline_health_shows_what_the_issue_asks_for():
    assert metrics_used("pipeline-health.json") >= {
        "data_stack_runs_total",  # runs by status
        "data_stack_last_run_success",
        "data_stack_last_run_noop",  # a run that found nothing new is not shown as an empty stage panel
        "data_stack_last_run_stage_duration_seconds",  # stage durations over time
        "data_stack_last_run_rows",  # rows per stream, quarantine rate
        "data_stack_rows_total",
        "data_stack_last_run_dbt_tests",  # quality results
        "data_stack_last_run_gx_expectations",
        "data_stack_data_product_refreshed_timestamp_seconds",  # freshness per data product
        "data_stack_published_timestamp_seconds",  # age of the published snapshot
        "data_stack_lake_bytes",
        "data_stack_vendor_api_requests_total",
    }


def test_the_airflow_dashboard_shows_what_the_issue_asks_for():
    assert metrics_used("airflow.json") >= {
        "airflow_scheduler_heartbeat_total",  # heartbeats
        "airflow_task_duration_seconds_sum",  # task durations
        "airflow_task_finished_total",  # failures
        "airflow_dagrun_duration_seconds_sum",
        "airflow_pool_open_slots",
    }


def test_the_dashboard_files_are_formatted_json():
    for path in sorted(DASHBOARDS_DIR.glob("*.json")):
        assert path.read_text() == json.dumps(json.loads(path.read_text()), indent=2) + "\n", path.name

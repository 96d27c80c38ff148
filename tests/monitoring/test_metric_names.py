"""Every metric a dashboard panel or an alert rule reads exists: the data_stack_* names and labels as a live
`data-stack metrics` exposes them after a real pipeline run, the airflow_* names the statsd mapping produces, or a
series Prometheus makes itself (`up`, `ALERTS`). Every exposed metric is documented in docs/monitoring.md."""

from __future__ import annotations

import re

import pytest
import yaml

from .monitoring_files import MONITORING_DOC, PROMETHEUS_CONFIG, STATSD_MAPPING, alert_rules, dashboards, panels
from .promql_names import Selector, groupings, label_values_query, selectors
from .statsd_mapper import Mapped, Mapper, exposed_names

pytestmark = pytest.mark.slow

TARGET_LABELS = {"job", "instance"}  # Prometheus adds them to every scraped series
# Series Prometheus makes itself -> their labels (None: any, e.g. an alert's own labels on ALERTS).
BUILT_IN = {"up": TARGET_LABELS, "ALERTS": None, "ALERTS_FOR_STATE": None}


def statsd_series() -> dict[str, set[str]]:
    """airflow_* series name -> label names, from the mapping's rules."""
    mapper = Mapper.load(STATSD_MAPPING)
    series: dict[str, set[str]] = {}
    for rule in mapper.rules:
        if rule.action == "drop":
            continue
        mapped = Mapped(
            rule.name, rule.labels, rule.metric_type, rule.observer_type or mapper.default_observer, rule.match
        )
        for name in exposed_names(mapped):
            series[name] = set(rule.labels) | TARGET_LABELS | ({"le"} if name.endswith("_bucket") else set())
    return series


def scrape_jobs() -> set[str]:
    return {job["job_name"] for job in yaml.safe_load(PROMETHEUS_CONFIG.read_text())["scrape_configs"]}


def every_query() -> list[tuple[str, str]]:
    """(where, PromQL) of every dashboard target, dashboard variable and alert rule."""
    found = []
    for file, dashboard in dashboards().items():
        for panel in panels(dashboard):
            for target in panel.get("targets", []):
                found.append((f"{file} panel {panel['title']!r}", target["expr"]))
        for variable in dashboard["templating"]["list"]:
            metric, _ = label_values_query(variable["query"]["query"])
            if metric:
                found.append((f"{file} variable {variable['name']}", metric))
    found.extend((f"alert {name}", rule["expr"]) for name, rule in alert_rules().items())
    return found


@pytest.fixture(scope="module")
def known(live_metrics) -> dict[str, dict[str, set[str] | None]]:
    """Series name -> label name -> known values (None: values not known in advance)."""
    series: dict[str, dict[str, set[str] | None]] = {}
    for name, labels in live_metrics.items():
        series[name] = {**dict.fromkeys(TARGET_LABELS), **labels}
    for name, labels in statsd_series().items():
        series[name] = dict.fromkeys(labels)
    for name, labels in BUILT_IN.items():
        series[name] = None if labels is None else dict.fromkeys(labels)
    return series


def problems(selector: Selector, known: dict) -> list[str]:
    if selector.name not in known:
        return [f"{selector.name}: not exposed by the exporter nor the statsd mapping"]
    labels = known[selector.name]
    if labels is None:
        return []
    found = []
    for label, op, value in selector.matchers:
        if label not in labels:
            found.append(f"{selector.name}: no label {label!r} (has {sorted(labels)})")
        elif label == "job":
            wanted = (
                [value] if op == "=" else value.split("|") if op == "=~" and re.fullmatch(r"[\w|-]+", value) else []
            )
            found += [f"{selector.name}: no scrape job {job!r}" for job in wanted if job not in scrape_jobs()]
        elif op == "=" and labels[label] is not None and value not in labels[label]:
            found.append(f"{selector.name}{{{label}={value!r}}}: the exporter has only {sorted(labels[label])}")
    return found


def test_the_live_exporter_exposes_the_families_the_rules_build_on(live_metrics):
    for name in (
        "data_stack_last_run_success",
        "data_stack_runs_total",
        "data_stack_last_run_rows",
        "data_stack_data_product_refreshed_timestamp_seconds",
        "data_stack_serving_matches_published",
        "data_stack_vendor_api_circuit_open",
    ):
        assert name in live_metrics, name


def test_every_metric_a_panel_or_rule_reads_is_exposed(known):
    found = [
        f"{where}: {problem}"
        for where, expr in every_query()
        for s in selectors(expr)
        for problem in problems(s, known)
    ]
    assert found == []


def test_the_name_check_catches_a_typo(known):
    assert problems(Selector("data_stack_last_run_sucess", ()), known)
    assert problems(Selector("data_stack_last_run_rows", (("kind", "=", "quarantine"),)), known)
    assert problems(Selector("data_stack_last_run_rows", (("stage", "=", "ingest"),)), known)
    assert problems(Selector("up", (("job", "=~", "data-stack|airflo"),)), known)
    assert problems(Selector("airflow_task_finished_total", (("dag", "=", "x"),)), known)


def test_every_grouping_label_exists_on_what_it_aggregates(known):
    found = []
    for where, expr in every_query():
        for grouping in groupings(expr):
            available = set()
            for selector in grouping.selectors:
                labels = known.get(selector.name)
                available |= set(labels) if labels is not None else set(grouping.labels)
            found += [
                f"{where}: by ({label}) over {sorted(available)}" for label in grouping.labels if label not in available
            ]
    assert found == []


def test_every_exposed_metric_is_documented(live_metrics):
    doc = MONITORING_DOC.read_text()
    families = {re.sub(r"_(bucket|sum|count)$", "", name) for name in [*live_metrics, *statsd_series()]}
    assert sorted(name for name in families if f"`{name}`" not in doc) == []


def test_after_a_served_run_postgres_serves_the_published_run(live_exposition):
    """The live exporter's serving values, not only its names: up, and serving what DuckDB published."""
    lines = set(live_exposition.splitlines())
    assert "data_stack_serving_up 1.0" in lines
    assert "data_stack_serving_matches_published 1.0" in lines
    assert 'data_stack_source_up{source="serving"} 1.0' in lines
    assert any(line.startswith("data_stack_served_run_started_timestamp_seconds ") for line in lines)

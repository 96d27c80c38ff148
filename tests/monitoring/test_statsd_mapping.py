"""monitoring/statsd/mapping.yml: a mapping statsd-exporter accepts (checked against a model of its mapper, as Debian
has no statsd-exporter to run), which turns the statsd lines a real Airflow sends into the airflow_* metrics the
dashboards and alerts use, with dag_id/task_id/state/pool labels, and drops everything else."""

from __future__ import annotations

import pytest

from .airflow_statsd import collect
from .monitoring_files import STATSD_MAPPING
from .statsd_mapper import Mapped, Mapper, MappingError, exposed_names, parse_line


@pytest.fixture(scope="module")
def mapper() -> Mapper:
    return Mapper.load(STATSD_MAPPING)


@pytest.fixture(scope="module")
def airflow_lines(tmp_path_factory) -> set[str]:
    return collect(tmp_path_factory.mktemp("airflow-statsd"))


def mapped(mapper: Mapper, lines: set[str]) -> dict[str, Mapped]:
    """statsd name -> what the exporter makes of it, for every line that is not dropped."""
    result = {}
    for line in lines:
        name, kind = parse_line(line)
        if (found := mapper.map(name, kind)) is not None:
            result[name] = found
    return result


def test_the_exporter_would_accept_the_mapping(mapper):
    assert mapper.rules, "no rules"
    assert mapper.default_observer == "histogram"
    assert mapper.rules[-1].action == "drop" and mapper.rules[-1].match_type == "regex", "ends in a catch-all drop"


@pytest.mark.parametrize(
    "broken",
    [
        {"mappings": [{"match": "airflow.ti.finish.*", "name": "airflow-ti"}]},
        {"mappings": [{"match": "airflow..finish", "name": "airflow_ti"}]},
        {"mappings": [{"match": "airflow.ti.*", "name": "airflow_ti", "labels": {"x": "$1"}}]},
        {"mappings": [{"match": "airflow.ti.*", "name": "airflow_ti", "lables": {"dag_id": "$1"}}]},
        {"mappings": [{"match": "airflow.ti.*", "name": "airflow_ti", "observer_type": "histogramm"}]},
        {"mappings": [{"match": "airflow.ti.*"}]},
    ],
    ids=["bad-name", "empty-part", "one-letter-label", "unknown-key", "bad-observer", "no-name"],
)
def test_the_model_refuses_what_the_exporter_refuses(broken):
    with pytest.raises(MappingError):
        Mapper.parse(broken)


@pytest.mark.parametrize(
    ("line", "name", "labels"),
    [
        ("airflow.ti.finish.northwind_pipeline.ingest.success:1|c", "airflow_task_finished_total",
         {"dag_id": "northwind_pipeline", "task_id": "ingest", "state": "success"}),
        ("airflow.dag.northwind_pipeline.transform.duration:61000|ms", "airflow_task_duration_seconds",
         {"dag_id": "northwind_pipeline", "task_id": "transform"}),
        ("airflow.dagrun.duration.failed.northwind_pipeline:5000|ms", "airflow_dagrun_duration_seconds",
         {"dag_id": "northwind_pipeline", "state": "failed"}),
        ("airflow.pool.open_slots.duckdb_writer:1|g", "airflow_pool_open_slots", {"pool": "duckdb_writer"}),
        ("airflow.scheduler_heartbeat:1|c", "airflow_scheduler_heartbeat_total", {}),
    ],
)  # fmt: skip
def test_airflow_names_map_to_labelled_metrics(mapper, line, name, labels):
    found = mapper.map(*parse_line(line))
    assert found is not None and (found.name, found.labels) == (name, labels)


@pytest.mark.parametrize(
    "line",
    [
        "airflow.ti.finish:1|c",  # Airflow 3's short name, whose tags plain statsd drops: a label-less duplicate
        "airflow.task.duration:61000|ms",
        "airflow.dagrun.duration.success:5000|ms",
        "airflow.pool.open_slots:1|g",
        "airflow.operator_failures__PythonDecoratedOperator:1|c",
        "airflow.dagrun.schedule_delay.northwind_pipeline.extra:1|ms",
    ],
)
def test_duplicates_and_unlisted_metrics_are_dropped(mapper, line):
    assert mapper.map(*parse_line(line)) is None


def test_every_rule_takes_one_statsd_type_and_one_name_keeps_it(mapper):
    kinds: dict[str, str] = {}
    for rule in mapper.rules:
        if rule.action == "drop":
            continue
        assert rule.metric_type, f"{rule.match}: no match_metric_type"
        assert kinds.setdefault(rule.name, rule.metric_type) == rule.metric_type, rule.name
        assert rule.name.endswith("_total") == (rule.metric_type == "counter"), f"{rule.name}: _total is for counters"
        assert rule.metric_type != "observer" or rule.name.endswith("_seconds"), f"{rule.name}: timers are seconds"


def test_one_name_has_one_type_and_one_label_set(mapper, airflow_lines):
    seen: dict[str, tuple[str, frozenset[str]]] = {}
    for found in mapped(mapper, airflow_lines).values():
        shape = (found.metric_type, frozenset(found.labels))
        assert seen.setdefault(found.name, shape) == shape, f"{found.name}: {shape} and {seen[found.name]}"


def test_what_a_real_airflow_sends_maps_to_the_names_the_dashboards_use(mapper, airflow_lines):
    names = {found.name for found in mapped(mapper, airflow_lines).values()}
    assert names >= {
        "airflow_scheduler_heartbeat_total",
        "airflow_dag_processor_heartbeat_total",
        "airflow_task_finished_total",
        "airflow_task_started_total",
        "airflow_task_failures_total",
        "airflow_task_successes_total",
        "airflow_task_duration_seconds",
        "airflow_pool_open_slots",
        "airflow_pool_running_slots",
        "airflow_pool_queued_slots",
        "airflow_executor_open_slots",
        "airflow_executor_running_tasks",
        "airflow_executor_queued_tasks",
        "airflow_scheduler_tasks_starving",
        "airflow_scheduler_loop_duration_seconds",
    }


def test_the_probe_runs_labels_come_from_the_real_names(mapper, airflow_lines):
    labels = [
        found.labels for found in mapped(mapper, airflow_lines).values() if found.name == "airflow_task_finished_total"
    ]
    assert {"dag_id": "statsd_probe", "task_id": "works", "state": "success"} in labels
    assert {"dag_id": "statsd_probe", "task_id": "breaks", "state": "failed"} in labels


def test_no_airflow_name_reaches_prometheus_unmapped(mapper, airflow_lines):
    """Every line is mapped by a rule or dropped: none falls through under its escaped statsd name, which would put
    DAG ids into metric names."""
    assert [name for name, found in mapped(mapper, airflow_lines).items() if found.rule is None] == []
    assert mapper.map("airflow.some.new.metric", "counter") is None
    unmatched = Mapper([rule for rule in mapper.rules if rule.action != "drop"], mapper.default_observer)
    assert unmatched.map("airflow.some.new.metric", "counter").rule is None, "the check above can fail"


def test_timers_become_histograms(mapper):
    found = mapper.map("airflow.dag.northwind_pipeline.ingest.duration", "observer")
    assert found is not None and found.observer_type == "histogram"
    assert exposed_names(found) == {
        "airflow_task_duration_seconds_bucket",
        "airflow_task_duration_seconds_sum",
        "airflow_task_duration_seconds_count",
    }

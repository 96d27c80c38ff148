"""The monitoring services in docker-compose.yml: Grafana locked down and silent, every file they mount is in the
repository, Airflow sends its metrics to statsd-exporter in compose only, the exporter reads what the pipeline
writes."""

from __future__ import annotations

from .stack_files import ROOT, read_env_file
from .test_compose_wiring import env, mounts

MONITORING = ("metrics-exporter", "statsd-exporter", "prometheus", "alertmanager", "grafana")
AIRFLOW = ("airflow-init", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor")
STATSD = {
    "AIRFLOW__METRICS__STATSD_ON": "True",
    "AIRFLOW__METRICS__STATSD_HOST": "statsd-exporter",
    "AIRFLOW__METRICS__STATSD_PORT": "9125",
    "AIRFLOW__METRICS__STATSD_PREFIX": "airflow",
}
GRAFANA_OFF = {
    "GF_AUTH_ANONYMOUS_ENABLED": "false",
    "GF_USERS_ALLOW_SIGN_UP": "false",
    "GF_ANALYTICS_REPORTING_ENABLED": "false",
    "GF_ANALYTICS_CHECK_FOR_UPDATES": "false",
    "GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES": "false",
    "GF_PLUGINS_PREINSTALL_DISABLED": "true",
}


def test_the_monitoring_services_are_there(services):
    assert set(MONITORING) <= set(services)


def test_grafana_takes_its_admin_password_from_env_and_lets_no_one_in_anonymously(services, env_example):
    grafana = env(services, "grafana")
    assert grafana["GF_SECURITY_ADMIN_PASSWORD"] == env_example["GRAFANA_ADMIN_PASSWORD"]
    assert {name: grafana.get(name) for name in GRAFANA_OFF} == GRAFANA_OFF


def test_a_missing_grafana_password_stops_compose(compose):
    assert "${GRAFANA_ADMIN_PASSWORD:?" in compose["services"]["grafana"]["environment"]["GF_SECURITY_ADMIN_PASSWORD"]


def test_every_file_a_monitoring_service_mounts_is_in_the_repository(services):
    for name in MONITORING:
        for source in mounts(services[name]).values():
            if source.startswith("./"):
                assert (ROOT / source).exists(), f"{name} mounts {source}, which does not exist"


def test_airflow_sends_statsd_to_statsd_exporter_in_compose_only(services):
    for name in AIRFLOW:
        assert {key: env(services, name).get(key) for key in STATSD} == STATSD, name
        # Its metrics client resolves statsd-exporter when a process starts.
        assert services[name]["depends_on"]["statsd-exporter"]["condition"] == "service_healthy", name
    # `make airflow` has no statsd-exporter: the shared settings file must not switch statsd on.
    assert not any(key.startswith("AIRFLOW__METRICS__") for key in read_env_file(ROOT / "airflow" / "airflow.env"))


def test_the_exporter_reads_the_warehouse_lake_and_serving_layer_the_pipeline_writes(services):
    exporter, scheduler = env(services, "metrics-exporter"), env(services, "airflow-scheduler")
    for name in ("WAREHOUSE_DIR", "LAKE_URI", "S3_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        assert exporter[name] == scheduler[name], name
    warehouse = exporter["WAREHOUSE_DIR"]
    assert mounts(services["metrics-exporter"])[warehouse] == mounts(services["airflow-scheduler"])[warehouse]
    # Postgres as the read-only role, like the dashboards.
    assert exporter["SERVING_DB_URL"] == env(services, "dashboards")["SERVING_DB_URL"]


def test_alertmanager_gets_the_webhook_from_env(services, env_example):
    alertmanager = services["alertmanager"]
    assert env(services, "alertmanager")["ALERT_WEBHOOK_URL"] == env_example["ALERT_WEBHOOK_URL"]
    assert alertmanager["entrypoint"][-1] == "/etc/data-stack/alertmanager/start.sh"
    assert mounts(alertmanager)["/etc/data-stack/alertmanager"] == "./monitoring/alertmanager"

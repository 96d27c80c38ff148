"""The services agree with each other: the pipeline reaches the store, the bucket, the mock and Postgres that compose
actually starts, Airflow's components share their secrets, and the volumes join the stages that hand data over."""

from __future__ import annotations

from urllib.parse import urlsplit

from .stack_files import parse_port

AIRFLOW = ("airflow-init", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor")
PIPELINE_ENV = (
    "LAKE_URI",
    "S3_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_REGION",
    "LANDING_URI",
    "WAREHOUSE_DIR",
    "SERVING_DB_URL",
    "VEHICLE_API_URL",
    "VEHICLE_API_KEY",
    "PII_HASH_SALT",
    "DATA_STACK_CLI",
)
SHARED_AIRFLOW_ENV = (
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN",
    "AIRFLOW__CORE__EXECUTION_API_SERVER_URL",
    "AIRFLOW__API_AUTH__JWT_SECRET",
    "AIRFLOW__API__SECRET_KEY",
    "AIRFLOW__CORE__FERNET_KEY",
    "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE",
    "AIRFLOW_HOME",
    "AIRFLOW__CORE__DAGS_FOLDER",
    "WAREHOUSE_DIR",
)


def env(services, name):
    return services[name].get("environment") or {}


def mounts(service) -> dict[str, str]:
    """Container path -> volume name (or host path) of a service's volumes."""
    result = {}
    for spec in service.get("volumes") or []:
        source, target = str(spec).split(":")[:2]
        result[target] = source
    return result


def container_ports(service) -> set[int]:
    return {parse_port(spec).container_port for spec in service.get("ports") or []}


def test_the_scheduler_has_the_pipeline_environment(services):
    scheduler = env(services, "airflow-scheduler")
    assert [name for name in PIPELINE_ENV if not scheduler.get(name)] == []


def test_the_pipeline_writes_the_bucket_create_buckets_makes_on_the_store_compose_starts(services):
    scheduler, buckets = env(services, "airflow-scheduler"), env(services, "create-buckets")
    assert scheduler["LAKE_URI"].startswith("s3://")
    assert urlsplit(scheduler["LAKE_URI"]).netloc == urlsplit(buckets["LAKE_URI"]).netloc
    assert scheduler["S3_ENDPOINT_URL"] == buckets["S3_ENDPOINT_URL"]
    endpoint = urlsplit(scheduler["S3_ENDPOINT_URL"])
    assert endpoint.hostname in services
    assert endpoint.port in container_ports(services[endpoint.hostname])
    store = env(services, endpoint.hostname)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        assert scheduler[name] == buckets[name] == store[name]


def test_minio_takes_the_same_credentials(services):
    minio, scheduler = env(services, "minio"), env(services, "airflow-scheduler")
    assert minio["MINIO_ROOT_USER"] == scheduler["AWS_ACCESS_KEY_ID"]
    assert minio["MINIO_ROOT_PASSWORD"] == scheduler["AWS_SECRET_ACCESS_KEY"]


def test_the_mock_expects_the_key_the_pipeline_sends(services):
    scheduler = env(services, "airflow-scheduler")
    url = urlsplit(scheduler["VEHICLE_API_URL"])
    assert url.hostname == "mock-api"
    assert url.port in container_ports(services["mock-api"])
    assert env(services, "mock-api")["MOCK_API_KEY"] == scheduler["VEHICLE_API_KEY"]


def test_postgres_urls_use_the_roles_the_init_script_creates(services):
    postgres = env(services, "postgres")
    loader = urlsplit(env(services, "airflow-scheduler")["SERVING_DB_URL"])
    reader = urlsplit(env(services, "dashboards")["SERVING_DB_URL"])
    metadata = urlsplit(env(services, "airflow-scheduler")["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"])
    assert (loader.username, loader.password, loader.hostname, loader.path) == (
        "serving",
        postgres["SERVING_DB_PASSWORD"],
        "postgres",
        "/serving",
    )
    assert (reader.username, reader.password, reader.path) == (
        "dashboards",
        postgres["DASHBOARDS_DB_PASSWORD"],
        "/serving",
    )
    assert (metadata.username, metadata.password, metadata.path) == (
        "airflow",
        postgres["AIRFLOW_DB_PASSWORD"],
        "/airflow",
    )
    assert metadata.scheme == "postgresql+psycopg2"  # the driver airflow/pyproject.toml installs


def test_airflow_components_share_database_secrets_and_home(services):
    values = {name: tuple(env(services, name).get(key) for key in SHARED_AIRFLOW_ENV) for name in AIRFLOW}
    assert len(set(values.values())) == 1, values
    apiserver = env(services, "airflow-apiserver")
    api_url = urlsplit(apiserver["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"])
    assert api_url.hostname == "airflow-apiserver"
    assert api_url.port in container_ports(services["airflow-apiserver"])
    home = apiserver["AIRFLOW_HOME"]
    assert apiserver["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"].startswith(home + "/")
    volumes = {mounts(services[name]).get(home) for name in AIRFLOW}
    assert len(volumes) == 1 and None not in volumes, "every Airflow component mounts the same AIRFLOW_HOME volume"


def test_the_admin_password_reaches_only_the_init_job(services):
    holders = [name for name in services if "AIRFLOW_ADMIN_PASSWORD" in env(services, name)]
    assert holders == ["airflow-init"]


def test_volumes_join_the_stages_that_hand_data_over(services):
    scheduler = services["airflow-scheduler"]
    landing, warehouse = (
        env(services, "airflow-scheduler")["LANDING_URI"],
        env(services, "airflow-scheduler")["WAREHOUSE_DIR"],
    )
    assert mounts(services["demo-data"])[env(services, "demo-data")["LANDING_URI"]] == mounts(scheduler)[landing]
    assert mounts(services["dashboards"])[env(services, "dashboards")["WAREHOUSE_DIR"]] == mounts(scheduler)[warehouse]


def test_dashboards_read_the_serving_layer(services):
    assert env(services, "dashboards")["DASHBOARD_BACKEND"] == "postgres"


def test_the_pipeline_starts_only_after_its_inputs_are_ready(services):
    needs = services["airflow-scheduler"]["depends_on"]
    assert needs["create-buckets"]["condition"] == "service_completed_successfully"
    assert needs["demo-data"]["condition"] == "service_completed_successfully"
    assert needs["airflow-init"]["condition"] == "service_completed_successfully"
    assert needs["postgres"]["condition"] == "service_healthy"
    assert needs["mock-api"]["condition"] == "service_healthy"

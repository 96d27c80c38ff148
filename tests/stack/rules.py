"""What a compose schema cannot say about docker-compose.yml. Each rule returns its problems, one line each, so a test
shows every broken service at once (and the rule's own tests can feed it a broken file)."""

from __future__ import annotations

from typing import Any

from .stack_files import is_pinned, memory_limit, parse_port

CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}
MEMORY_BUDGET = 10 * 1024**3  # 10 GB for the whole stack: room for the IDE on a 16 GB Codespace
LOOPBACK = "127.0.0.1"
AIRFLOW_ENV_FILE = "airflow/airflow.env"


def is_one_shot(service: dict[str, Any]) -> bool:
    """A job that runs to completion (restart: "no"); everything else is long-running."""
    return str(service.get("restart", "no")) == "no"


def in_default_profile(service: dict[str, Any]) -> bool:
    return not service.get("profiles")


def depends_on(service: dict[str, Any]) -> dict[str, Any]:
    value = service.get("depends_on") or {}
    return {name: None for name in value} if isinstance(value, list) else value


def dependency_problems(services: dict[str, dict[str, Any]]) -> list[str]:
    problems = []
    for name, service in services.items():
        for target, spec in depends_on(service).items():
            condition = (spec or {}).get("condition")
            where = f"{name} depends_on {target}"
            if target not in services:
                problems.append(f"{where}: no such service")
                continue
            if condition not in CONDITIONS:
                problems.append(f"{where}: needs a condition ({', '.join(sorted(CONDITIONS))}), has {condition!r}")
            if condition == "service_healthy" and "healthcheck" not in services[target]:
                problems.append(f"{where} (service_healthy): {target} has no healthcheck")
            if condition == "service_completed_successfully" and not is_one_shot(services[target]):
                problems.append(f"{where} (service_completed_successfully): {target} is not a one-shot job")
            if in_default_profile(service) and not in_default_profile(services[target]):
                problems.append(f"{where}: {target} only runs in profile(s) {services[target]['profiles']}")
    return problems


def one_shot_problems(services: dict[str, dict[str, Any]]) -> list[str]:
    """`docker compose up --wait` counts an exited container as a failure unless a long-running service waits for
    it with service_completed_successfully: every one-shot job needs such a service."""
    problems = []
    for name, service in services.items():
        if not is_one_shot(service):
            continue
        adopters = [
            other
            for other, spec in services.items()
            if not is_one_shot(spec)
            and (depends_on(spec).get(name) or {}).get("condition") == "service_completed_successfully"
        ]
        if not adopters:
            problems.append(f"{name}: one-shot job no long-running service waits for (up --wait would fail)")
    return problems


def healthcheck_problems(services: dict[str, dict[str, Any]]) -> list[str]:
    problems = []
    for name, service in services.items():
        if is_one_shot(service):
            continue
        check = service.get("healthcheck")
        if not check or check.get("disable") or not check.get("test"):
            problems.append(f"{name}: long-running service without a healthcheck")
        elif check["test"] in (["NONE"], "NONE"):
            problems.append(f"{name}: healthcheck disabled with NONE")
    return problems


def image_problems(services: dict[str, dict[str, Any]]) -> list[str]:
    built = {service.get("image") for service in services.values() if "build" in service}
    problems = []
    for name, service in services.items():
        image = service.get("image")
        if "build" in service or (image and image in built):
            continue  # our own image, built from the Dockerfile (whose base images are pinned)
        if not image:
            problems.append(f"{name}: no image")
        elif not is_pinned(str(image)):
            problems.append(f"{name}: image {image} is not pinned to an exact tag")
    return problems


def port_problems(services: dict[str, dict[str, Any]]) -> list[str]:
    problems, seen = [], {}
    for name, service in services.items():
        for spec in service.get("ports") or []:
            port = parse_port(spec)
            if port.host_ip != LOOPBACK:
                problems.append(f"{name}: port {spec} is not bound to {LOOPBACK}")
            if not port.host_port:
                problems.append(f"{name}: port {spec} has no fixed host port")
                continue
            if port.host_port in seen:
                problems.append(f"{name}: host port {port.host_port} is also used by {seen[port.host_port]}")
            seen[port.host_port] = name
    return problems


def memory_problems(services: dict[str, dict[str, Any]], budget: int = MEMORY_BUDGET) -> list[str]:
    problems, total = [], 0
    for name, service in services.items():
        limit = memory_limit(service)
        if limit is None:
            problems.append(f"{name}: no memory limit (mem_limit)")
        else:
            total += limit
    if total > budget:
        problems.append(f"memory limits add up to {total / 1024**3:.2f} GB, over the {budget / 1024**3:.0f} GB budget")
    return problems


def is_airflow(service: dict[str, Any]) -> bool:
    command = service.get("command") or []
    words = command.split() if isinstance(command, str) else [str(word) for word in command]
    return bool(words) and (words[0].endswith("airflow") or any("airflow/init.sh" in word for word in words))


def airflow_problems(services: dict[str, dict[str, Any]]) -> list[str]:
    problems = []
    for name, service in services.items():
        if not is_airflow(service):
            continue
        env_files = service.get("env_file") or []
        env_files = [env_files] if isinstance(env_files, str) else env_files
        if AIRFLOW_ENV_FILE not in [str(item).removeprefix("./") for item in env_files]:
            problems.append(f"{name}: runs Airflow without env_file {AIRFLOW_ENV_FILE}")
    return problems


def top_level_problems(compose: dict[str, Any]) -> list[str]:
    problems = []
    if "name" in compose:
        problems.append("top-level `name:` (Debian's docker-compose 1.29 rejects it; use COMPOSE_PROJECT_NAME)")
    if "version" in compose:
        problems.append("top-level `version:` is obsolete in the compose spec")
    return problems

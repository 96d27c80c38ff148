"""`make stack-test`: one compose stack for the whole session, brought up as a user would and always taken down with
its volumes. What was measured goes to test-output/stack/report.json and to the end of the pytest output."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from .airflow_api import Airflow
from .stack import ROOT, MemorySampler, Stack, StackError, build_image, compose_services, ensure_images, image_size

OUTPUT = Path(os.environ.get("TEST_OUTPUT_DIR", ROOT / "test-output")) / "stack"
REPORT: dict = {}
READY_SECONDS = 420
NO_STAND_IN = {
    "grafana": "no image here and no stand-in: left out; its provisioning is checked offline (tests/monitoring)"
}


def pytest_terminal_summary(terminalreporter) -> None:
    if not REPORT:
        return
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "report.json").write_text(json.dumps(REPORT, indent=2) + "\n")
    terminalreporter.section("stack test: what was measured (test-output/stack/report.json)")
    for key, value in REPORT.items():
        terminalreporter.write_line(f"{key}: {json.dumps(value)}")


def _engine_answers() -> bool:
    return subprocess.run(["docker", "info"], capture_output=True).returncode == 0


@pytest.fixture(scope="session")
def stack():
    if not _engine_answers():
        pytest.fail("no Docker engine answers: run scripts/install-docker.sh (make stack-test does), or start Docker")
    OUTPUT.mkdir(parents=True, exist_ok=True)
    log = OUTPUT / "images.log"
    log.write_text("")
    absent = ensure_images(log)
    REPORT["image_build_seconds"] = round(build_image(log), 1)
    REPORT["image_bytes"] = image_size()

    services = compose_services()
    left_out = {}
    for name, service in services.items():
        if "profiles" in service:
            continue
        if service.get("image") in absent:
            left_out[name] = NO_STAND_IN.get(name, f"image {service['image']} absent")
    missing = sorted({services[name]["image"] for name in left_out if name not in NO_STAND_IN})
    if missing:
        pytest.fail(f"images not available and no stand-in built: {missing} (see {log})")
    REPORT["left_out"] = left_out

    stack = Stack(OUTPUT / "run", project=f"stacktest{os.getpid()}")
    stack.services = [name for name, service in services.items() if "profiles" not in service and name not in left_out]
    stack.left_out = sorted(left_out)
    sampler = MemorySampler(stack)
    try:
        started = time.monotonic()
        stack.up()
        stack.wait_ready(READY_SECONDS)
        REPORT["seconds_to_ready"] = round(time.monotonic() - started, 1)
        with sampler:
            yield stack
    except StackError as exc:
        pytest.fail(str(exc))
    finally:
        REPORT["memory_mib"] = dict(sorted(sampler.peak.items()))
        (OUTPUT / "services.log").write_text(stack.compose("logs", "--no-color", check=False).stdout)
        stack.down(volumes=True)
        left = subprocess.run(
            ["docker", "volume", "ls", "-q", "--filter", f"label=com.docker.compose.project={stack.project}"],
            capture_output=True,
            text=True,
        ).stdout.split()
        REPORT["volumes_left_after_down_v"] = left
        assert not left, f"`down -v` left volumes behind: {left}"


@pytest.fixture(scope="session")
def airflow(stack) -> Airflow:
    return Airflow(stack.url("airflow"), stack.values["AIRFLOW_ADMIN_PASSWORD"])

"""The services that need no Docker run here from their compose definitions: the command, the environment and the
healthcheck as written, with the host set to 127.0.0.1, a free port instead of the container's, and /data remapped to
a temporary folder. The healthcheck must fail before the server is up and pass once it serves."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.tools import free_port, wait_until

from .stack_files import command_words

BIN = Path(sys.executable).parent
STARTUP_SECONDS = 90


def local_command(words: list[str], container_port: int, port: int) -> list[str]:
    """The service's command for this machine: our venv's executable, 127.0.0.1, the free port."""
    words = list(words)
    words[0] = str(BIN / words[0])
    for index, word in enumerate(words):
        if word == "0.0.0.0":
            words[index] = "127.0.0.1"
        elif word == str(container_port):
            words[index] = str(port)
    return words


def local_env(service: dict, data: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name, value in (service.get("environment") or {}).items():
        if name == "PATH":
            continue  # the image's search path
        value = str(value)
        env[name] = str(data) + value.removeprefix("/data") if value.startswith("/data") else value
    return env


def healthcheck(service: dict, container_port: int, port: int) -> list[str]:
    test = [str(word) for word in service["healthcheck"]["test"]]
    assert test[0] == "CMD", "an exec-form healthcheck runs the same here and in the image"
    words = [word.replace(f"127.0.0.1:{container_port}", f"127.0.0.1:{port}") for word in test[1:]]
    words[0] = str(BIN / words[0])
    return words


def healthy(check: list[str], env: dict[str, str]) -> bool:
    return subprocess.run(check, env=env, capture_output=True, timeout=30).returncode == 0


class Running:
    """A compose service started natively; stopped on exit."""

    def __init__(self, service: dict, container_port: int, tmp_path: Path):
        self.port = free_port()
        self.env = local_env(service, tmp_path / "data")
        self.check = healthcheck(service, container_port, self.port)
        self.command = local_command(command_words(service), container_port, self.port)
        self.log = tmp_path / "service.log"

    def __enter__(self) -> Running:
        assert not healthy(self.check, self.env), "the healthcheck passes with nothing listening"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                self.command, env=self.env, cwd=Path(__file__).resolve().parents[2], stdout=log, stderr=log
            )
        up = wait_until(lambda: self.process.poll() is not None or healthy(self.check, self.env), STARTUP_SECONDS)
        if not up or self.process.poll() is not None:
            self.__exit__()
            pytest.fail(f"{' '.join(self.command)} did not become healthy:\n{self.log.read_text()[-3000:]}")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def get(url: str, headers: dict[str, str] | None = None) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_dashboards_serve_from_their_compose_definition(services, tmp_path):
    (tmp_path / "data" / "warehouse").mkdir(parents=True)
    with Running(services["dashboards"], 8501, tmp_path) as running:
        assert get(f"http://127.0.0.1:{running.port}/") == 200
    assert running.process.returncode is not None


def test_the_mock_api_serves_from_its_compose_definition_and_takes_the_pipelines_key(services, tmp_path):
    key = services["airflow-scheduler"]["environment"]["VEHICLE_API_KEY"]
    with Running(services["mock-api"], 8765, tmp_path) as running:
        url = f"http://127.0.0.1:{running.port}/vmv?license_plate=NW1234&state_code=CA"
        assert get(url) == 401
        assert get(url, {"x-rapidapi-key": key}) == 200


def test_the_metrics_exporter_serves_from_its_compose_definition(services, tmp_path):
    # No object store or Postgres here: the scrape still answers, and says which sources it could not read.
    (tmp_path / "data" / "warehouse").mkdir(parents=True)
    with Running(services["metrics-exporter"], 9108, tmp_path) as running:
        body = urllib.request.urlopen(f"http://127.0.0.1:{running.port}/metrics", timeout=30).read().decode()
    assert 'data_stack_source_up{source="ledger"} 1.0' in body
    assert 'data_stack_source_up{source="lake"} 0.0' in body
    assert 'data_stack_source_up{source="serving"} 0.0' in body  # compose gives it SERVING_DB_URL

"""docker-compose.yml is a valid compose file: Debian's docker-compose accepts it with a `.env` made from .env.example,
and it validates against the compose-spec schema (check-jsonschema's vendored copy, offline)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.tools import require_command, require_file

from .stack_files import COMPOSE_FILE, ROOT

COMPOSE_HINT = "run scripts/install-docker-compose.sh (make test does)"
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


def docker_compose(env_file: Path, *args: str, profiles: str = "") -> subprocess.CompletedProcess:
    binary = require_command("docker-compose", COMPOSE_HINT)
    # Only the .env file speaks: a variable exported in this shell would mask a missing one.
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(env_file.parent), "COMPOSE_PROFILES": profiles}
    return subprocess.run(
        [binary, "--env-file", str(env_file), "-f", str(COMPOSE_FILE), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def check_jsonschema(path: Path) -> subprocess.CompletedProcess:
    binary = require_file(CHECK_JSONSCHEMA, "check-jsonschema is in the dev group: run `make bootstrap`")
    return subprocess.run(
        [binary, "--builtin-schema", "vendor.compose-spec", str(path)], capture_output=True, text=True, timeout=120
    )


def test_docker_compose_accepts_the_file_with_env_example(env_file):
    result = docker_compose(env_file, "config", "-q")
    assert result.returncode == 0, result.stderr


def test_docker_compose_knows_the_minio_profile(env_file):
    result = docker_compose(env_file, "config", "--profiles")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["minio"]
    assert docker_compose(env_file, "config", "-q", profiles="minio").returncode == 0


def test_a_missing_secret_stops_compose_with_its_name(env_file):
    lines = [line for line in env_file.read_text().splitlines() if not line.startswith("AIRFLOW_JWT_SECRET=")]
    env_file.write_text("\n".join(lines) + "\n")
    result = docker_compose(env_file, "config", "-q")
    assert result.returncode != 0
    assert "AIRFLOW_JWT_SECRET" in result.stderr


def test_the_file_validates_against_the_compose_spec():
    result = check_jsonschema(COMPOSE_FILE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_an_unknown_service_key(tmp_path):
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(COMPOSE_FILE.read_text().replace("    mem_limit: 512m\n", "    mem_limt: 512m\n", 1))
    result = check_jsonschema(broken)
    assert result.returncode != 0
    assert "mem_limt" in result.stdout

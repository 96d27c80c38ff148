"""Fixtures for the stack tests: the compose file as written and as resolved with .env.example's values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .stack_files import ENV_EXAMPLE, load_compose, read_env_file, resolved_services


@pytest.fixture(scope="session")
def compose() -> dict[str, Any]:
    return load_compose()


@pytest.fixture(scope="session")
def env_example() -> dict[str, str]:
    return read_env_file(ENV_EXAMPLE)


@pytest.fixture(scope="session")
def services(compose: dict[str, Any], env_example: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Every service with `${VAR}` resolved the way `cp .env.example .env` would."""
    return resolved_services(compose, env_example)


@pytest.fixture
def env_file(tmp_path: Path) -> Path:
    """A `.env` made from .env.example, as a new user makes it."""
    path = tmp_path / ".env"
    path.write_text(ENV_EXAMPLE.read_text())
    return path

"""Fixtures for the serving tests: a real Postgres server, started once per session, and a database per test."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from tests.tools import missing

from . import postgres_server
from .postgres_server import PostgresServer

_databases = itertools.count()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    if not postgres_server.binaries_present():
        # `make test` installs the binaries first (scripts/install-postgres.sh): in CI their absence is a failure.
        missing(postgres_server.INSTALL_HINT)
    server = postgres_server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def serving_url(postgres: PostgresServer) -> str:
    """A fresh, empty database on the session's server."""
    return postgres.create_database(f"serving_{next(_databases)}")

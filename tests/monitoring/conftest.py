"""Fixtures for the monitoring tests: the metrics a real exporter exposes after a real pipeline run."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.tools import missing

from ..serving import postgres_server

CLI = str(Path(sys.executable).parent / "data-stack")


@pytest.fixture(scope="session")
def serving_postgres() -> Iterator[postgres_server.PostgresServer]:
    if not postgres_server.binaries_present():
        missing(postgres_server.INSTALL_HINT)
    server = postgres_server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def live_exposition(tmp_path_factory, serving_postgres) -> str:
    """`data-stack metrics --once` after `generate` + `run` on a tiny data set, with a Postgres serving layer, so
    every family the exporter has (serving ones included) is there with real labels."""
    root = tmp_path_factory.mktemp("exported")
    env = dict(
        os.environ,
        DATA_DIR=str(root),
        DBT_TARGET="ci",
        MELTANO_ENVIRONMENT="ci",
        SERVING_DB_URL=serving_postgres.create_database("monitoring_serving"),
    )
    for name in ("LAKE_URI", "LANDING_URI", "WAREHOUSE_DIR", "VEHICLE_API_URL", "S3_ENDPOINT_URL"):
        env.pop(name, None)
    for args in (["generate", "--scale", "0.02", "--days", "3"], ["run"], ["metrics", "--once"]):
        result = subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, f"data-stack {' '.join(args)}:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.fixture(scope="session")
def live_metrics(live_exposition) -> dict[str, dict[str, set[str]]]:
    """Series name -> label name -> the values seen, from the live exposition (`_total` names as exposed)."""
    series: dict[str, dict[str, set[str]]] = {}
    for family in text_string_to_metric_families(live_exposition):
        for sample in family.samples:
            labels = series.setdefault(sample.name, {})
            for key, value in sample.labels.items():
                labels.setdefault(key, set()).add(value)
    return series

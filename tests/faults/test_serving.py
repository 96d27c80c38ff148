"""The serving Postgres goes away while a run loads it (its whole process group SIGKILLed mid-load, then started
again: crash recovery): the run ends with one line naming the serving database, the DuckDB publish stands (ADR
0006), Postgres still serves the previous run whole, and `data-stack serve` then serves the new one."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest

from tests.serving import postgres_server
from tests.tools import missing

from .conftest import assert_recovered, copy_ground, file_hash, wait_for

pytestmark = pytest.mark.slow


@pytest.fixture
def postgres():
    if not postgres_server.binaries_present():
        missing(postgres_server.INSTALL_HINT)
    server = postgres_server.start()
    yield server
    server.stop()


def _served(url: str) -> tuple[str | None, int]:
    with psycopg.connect(url) as conn:
        run = conn.execute("select run_id from meta.serving_runs order by published_at desc limit 1").fetchone()
        rows = conn.execute("select count(*) from logistics.delivery_sla_daily").fetchone()[0]
    return (run[0] if run else None), rows


def test_postgres_killed_during_serve_keeps_the_previous_run_served(ground_template, reference, postgres, tmp_path):
    ground = copy_ground(ground_template, tmp_path / "data")
    url = postgres.create_database("serving")
    ground.extra_env = {"SERVING_DB_URL": url}
    first = ground.cli("serve")  # Postgres serves the published run of the ground
    assert first.returncode == 0, first.stderr[-2000:]
    served_before = _served(url)
    published = file_hash(ground.current)

    # A reader inside a transaction holds the served tables: the load then waits at its schema swap, in flight.
    reader = psycopg.connect(url)
    reader.execute("select count(*) from logistics.delivery_sla_daily").fetchone()
    victim = ground.start("run")
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(victim.stderr), daemon=True).start()
    wait_for(lambda: any("serve: started" in line for line in lines), 600, "the serve stage to start", 0.1)
    time.sleep(1.5)
    postgres.kill()
    victim.wait(timeout=300)
    reader.close()
    error = " ".join("".join(lines).split())
    assert victim.returncode == 2, error[-2000:]
    assert "error:" in error and "serving" in error.lower() and "Traceback" not in error, error[-2000:]
    assert file_hash(ground.current) != published  # the DuckDB publish stands: it came before serve

    postgres.restart()
    assert _served(url) == served_before  # the previous run, whole: the swap never half-happened
    again = ground.cli("serve")
    assert again.returncode == 0, again.stderr[-2000:]
    newest = next(run for run in ground.runs() if run["published"])
    assert _served(url)[0] == newest["run_id"]
    assert_recovered(ground, reference, file_hash(ground.current))

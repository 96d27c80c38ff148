"""DASHBOARD_BACKEND=postgres: the same pages from the Postgres serving layer, with the same numbers."""

from __future__ import annotations

import sqlite3

import pytest

from data_stack.dashboards import source
from data_stack.serving import serve_published
from data_stack.settings import Settings
from tests.tools import missing

from ..serving import postgres_server
from .apptest import PAGES, metrics, open_page, problems

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(warehouse):
    """The shared warehouse's published run, loaded into a throwaway Postgres by the real serving stage."""
    if not postgres_server.binaries_present():
        missing(postgres_server.INSTALL_HINT)
    server = postgres_server.start()
    try:
        url = server.create_database("dashboards")
        with sqlite3.connect(warehouse.root / "warehouse" / "ledger.sqlite") as conn:
            run_id = conn.execute("select run_id from runs where published = 1 order by started_at desc").fetchone()[0]
        serve_published(Settings(data_dir=warehouse.root, serving_db_url=url), run_id)
        yield url, run_id
    finally:
        server.stop()


def test_postgres_pages_show_the_same_numbers_as_duckdb(app_env, served, monkeypatch):
    url, run_id = served
    from_duckdb = {page: metrics(open_page(page)) for page in PAGES[:4]}
    monkeypatch.setenv("DASHBOARD_BACKEND", "postgres")
    monkeypatch.setenv("SERVING_DB_URL", url)
    snapshot = source.current()
    assert snapshot.backend == "postgres" and snapshot.run_id == run_id
    for page in PAGES:
        at = open_page(page)
        assert not problems(at), (page, problems(at))
        if page in from_duckdb:
            assert metrics(at) == from_duckdb[page], page


def test_postgres_backend_without_url_is_a_clear_error(app_env, monkeypatch):
    monkeypatch.setenv("DASHBOARD_BACKEND", "postgres")
    monkeypatch.delenv("SERVING_DB_URL", raising=False)
    at = open_page("overview")
    assert not at.exception
    assert any("SERVING_DB_URL" in error.value for error in at.error)


def test_unreachable_postgres_is_one_line_and_the_ledger_pages_still_work(app_env, monkeypatch):
    monkeypatch.setenv("DASHBOARD_BACKEND", "postgres")
    monkeypatch.setenv("SERVING_DB_URL", "postgresql://nobody@127.0.0.1:1/nothing")
    at = open_page("overview")
    assert not at.exception
    assert any("Cannot connect to the Postgres serving database" in error.value for error in at.error)
    runs = open_page("runs")
    assert not runs.exception and not runs.error
    assert any("Cannot connect" in warning.value for warning in runs.warning)
    assert metrics(runs)["Latest run"] == "success"

"""What readers see: the empty state before any publish, and a new publish without restarting the app."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from data_stack.dashboards import source
from data_stack.dashboards.filters import Query
from data_stack.publish.atomic import publish_build
from data_stack.settings import Settings

from .apptest import PAGES, metrics, number, open_page, problems


@pytest.mark.parametrize("page", PAGES)
def test_before_any_run_every_page_says_how_to_run_the_pipeline(tmp_path, monkeypatch, page):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    for name in ("WAREHOUSE_DIR", "DASHBOARD_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    at = open_page(page)
    assert not at.exception
    assert any("make pipeline" in info.value for info in at.info)
    assert not at.metric


@pytest.mark.slow
def test_a_new_publish_shows_without_restarting(warehouse, tmp_path, monkeypatch):
    """Same process, same cache: the next page load after a publish reads the new file."""
    (tmp_path / "warehouse").mkdir()
    shutil.copy2(warehouse.current, tmp_path / "warehouse" / "current.duckdb")
    shutil.copy2(warehouse.root / "warehouse" / "ledger.sqlite", tmp_path / "warehouse" / "ledger.sqlite")
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("WAREHOUSE_DIR", raising=False)
    monkeypatch.delenv("DASHBOARD_BACKEND", raising=False)
    at = open_page("overview")
    before = number(metrics(at)["Revenue"])

    build = tmp_path / "warehouse" / "build" / "next.duckdb"
    build.parent.mkdir()
    shutil.copy2(tmp_path / "warehouse" / "current.duckdb", build)
    with duckdb.connect(str(build)) as conn:
        last = conn.execute("select max(order_date) from marketing.revenue_daily").fetchone()[0]
        conn.execute(
            "update marketing.revenue_daily set revenue = revenue + 1000 where order_date = ? and region = "
            "(select min(region) from marketing.revenue_daily where order_date = ?) and channel = "
            "(select min(channel) from marketing.revenue_daily where order_date = ? and region = "
            "(select min(region) from marketing.revenue_daily where order_date = ?))",
            [last, last, last, last],
        )
    publish_build(build, tmp_path / "warehouse" / "current.duckdb")

    at.run()
    assert not problems(at)
    assert number(metrics(at)["Revenue"]) == pytest.approx(before + 1000, abs=0.5)


def test_snapshots_pin_the_file_they_opened(tmp_path, monkeypatch):
    """DuckDB caches one instance per path; the snapshot reader must not hand out the replaced file."""
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("WAREHOUSE_DIR", raising=False)
    monkeypatch.delenv("DASHBOARD_BACKEND", raising=False)
    settings = Settings()
    settings.warehouse.mkdir(parents=True)
    assert source.current(settings) is None
    values = []
    for value in (1, 2, 3):
        build = settings.warehouse / f"build-{value}.duckdb"
        with duckdb.connect(str(build)) as conn:
            conn.execute(f"create schema marketing; create table marketing.t as select {value} as v")
        publish_build(build, settings.published_db)
        snap = source.current(settings)
        values.append((snap.token, source.run(snap, Query("select v from marketing.t")).iloc[0, 0]))
    assert [v for _, v in values] == [1, 2, 3]
    assert len({token for token, _ in values}) == 3
    assert len(source._DUCKDB._open) <= source.KEEP_OPEN

"""Every page in headless Chromium: rendered, no error element, no traceback; a screenshot per page. And the
app keeps answering while a pipeline run publishes, then shows the new run without a restart."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess

import pytest

from .browser import PATHS, browser, output_dir, render, require_chromium, running_app, shown_problems
from .conftest import CLI, Warehouse

pytestmark = pytest.mark.slow

CHARTS = {"overview": 3, "marketing": 5, "product": 4, "logistics": 3, "quality": 2, "runs": 2}


def test_every_page_renders_in_chromium(warehouse):
    require_chromium()
    shots = output_dir()
    with running_app(warehouse.env) as url, browser() as page:
        for name, path in PATHS.items():
            render(page, f"{url}/{path}", charts=CHARTS[name])
            assert not shown_problems(page), (name, shown_problems(page))
            assert page.locator('[data-testid="stMetric"]').count() >= 4, name
            page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
            assert (shots / f"{name}.png").stat().st_size > 20_000


def test_app_keeps_answering_while_a_run_publishes(warehouse, tmp_path):
    require_chromium()
    copy = Warehouse(tmp_path / "data")
    shutil.copytree(warehouse.root, copy.root, symlinks=True, ignore=shutil.ignore_patterns("run.lock"))
    before = _published(copy)
    loads, problems = 0, []
    with running_app(copy.env) as url, browser() as page:
        run = subprocess.Popen([CLI, "run"], env=copy.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            while run.poll() is None:
                render(page, f"{url}/", charts=CHARTS["overview"])
                problems += shown_problems(page)
                loads += 1
                page.wait_for_timeout(1000)  # a reader every second; a busier browser only slows the run down
        finally:
            output = run.communicate(timeout=900)[0]
        assert run.returncode == 0, output
        after = _published(copy)
        assert after != before
        render(page, f"{url}/", charts=CHARTS["overview"])
        assert after in page.locator('[data-testid="stSidebar"]').inner_text()
        page.screenshot(path=str(output_dir() / "overview-after-publish.png"), full_page=True)
    assert loads >= 3 and not problems, (loads, problems)


def _published(wh: Warehouse) -> str:
    with sqlite3.connect(wh.root / "warehouse" / "ledger.sqlite") as conn:
        return conn.execute("select run_id from runs where published = 1 order by started_at desc").fetchone()[0]

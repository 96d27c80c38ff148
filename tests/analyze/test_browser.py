"""The report in headless Chromium, opened from disk: it renders its charts, logs no error and asks for nothing
beyond its own file. A screenshot of each lands in test-output/analyze/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from data_stack.analyze import analyze, write_report
from tests.dashboards.browser import browser, require_chromium

from .conftest import build_warehouse


def _shots() -> Path:
    root = Path(os.environ.get("TEST_OUTPUT_DIR", Path(__file__).resolve().parents[2] / "test-output"))
    folder = root / "analyze"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def sources(known_csv, data_dir) -> dict[str, str]:
    build_warehouse(data_dir)
    return {"landing-file": str(known_csv), "mart": "marketing.orders"}


@pytest.mark.parametrize("kind", ["landing-file", "mart"])
def test_the_report_opens_offline_in_chromium(sources, settings, tmp_path, kind):
    require_chromium()
    profile = analyze(sources[kind], settings)
    report = write_report(profile, tmp_path / f"{kind}.html")
    problems: list[str] = []
    requests: list[str] = []
    with browser() as page:
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("request", lambda request: requests.append(request.url))
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
        assert page.title() == f"Profile of {profile.source['name']}"
        assert page.locator("section.column").count() == len(profile.columns)
        drawn = page.locator("svg.chart rect.bar")
        assert drawn.count() > 10 and drawn.first.bounding_box()["height"] > 0
        assert page.locator("#contract pre").first.inner_text().startswith("###")
        shot = _shots() / f"{kind}.png"
        page.screenshot(path=str(shot), full_page=True)
    assert not problems, problems
    assert requests == [report.as_uri()], requests  # no font, style, script or image fetched
    assert shot.stat().st_size > 20_000

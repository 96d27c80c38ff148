"""Helpers to drive the app in-process with Streamlit's AppTest and read what a page shows."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from .conftest import APP

PAGES = ("overview", "marketing", "product", "logistics", "quality", "runs")


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def deltas(at: AppTest) -> dict[str, str | None]:
    return {metric.label: metric.delta for metric in at.metric}


def charts(at: AppTest) -> int:
    return len(at.get("vega_lite_chart"))


def number(text: str) -> float:
    """`$1,234.50` -> 1234.5, `90.3%` -> 90.3, `46.1 h` -> 46.1."""
    return float(text.replace("$", "").replace(",", "").replace("%", "").replace(" h", "").strip())


def problems(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.exception] + [str(e.value) for e in at.error]

"""A real browser on the real app: `streamlit run` in a subprocess, Debian's Chromium driven by Playwright.

Playwright never downloads a browser here: it launches the Chromium that scripts/install-chromium.sh installs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.tools import free_port, missing

from .conftest import APP

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
INSTALL_HINT = f"Chromium not found at {CHROMIUM}: run scripts/install-chromium.sh or set CHROMIUM"
# No first-run work and no background traffic: this machine has no way out, and Chromium would keep retrying.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PATHS = {
    "overview": "",
    "marketing": "marketing",
    "product": "product",
    "logistics": "logistics",
    "quality": "quality",
    "runs": "runs",
}
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    missing(INSTALL_HINT)  # `make test` installs it first: in CI its absence is a failure


def output_dir() -> Path:
    root = Path(os.environ.get("TEST_OUTPUT_DIR", Path(__file__).resolve().parents[2] / "test-output"))
    folder = root / "dashboards"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def running_app(env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "streamlit"),
        "run",
        str(APP),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "viewer",
    ]
    log = output_dir() / f"streamlit-{port}.log"
    with open(log, "w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not _healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"streamlit did not start:\n{log.read_text()}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium.new_page(viewport={"width": 1440, "height": 2200})
        finally:
            chromium.close()


def render(page, url: str, *, charts: int) -> None:
    """Open `url` and wait until the script has finished and `charts` Vega charts have drawn."""
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
    page.wait_for_function(
        "n => document.querySelectorAll('.vega-embed svg, .vega-embed canvas').length >= n",
        arg=charts,
        timeout=60_000,
    )


def shown_problems(page) -> list[str]:
    problems = [element.inner_text() for element in page.locator(ERRORS).all()]
    if "Traceback" in page.inner_text("body"):
        problems.append("a traceback is shown")
    return problems


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False

"""First-run convenience: generate the demo data set when the landing zone is empty."""

from __future__ import annotations

from pathlib import Path

from data_stack.log import get_logger
from data_stack.settings import Settings

log = get_logger(__name__)


def ensure_demo_data(settings: Settings, scale: float = 1.0) -> bool:
    if "://" in settings.landing:
        return False
    landing = Path(settings.landing)
    if landing.exists() and any(path.is_file() for path in landing.rglob("*")):
        return False
    from data_stack.generate import generate

    log.info("landing zone %s is empty: generating the demo data set (scale %s)", landing, scale)
    generate(landing, scale=scale)
    return True

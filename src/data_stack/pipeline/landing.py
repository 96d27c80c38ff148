"""A run needs files in the landing zone: an empty one is a wrong LANDING_URI or DATA_DIR, never a cue to make data."""

from __future__ import annotations

from pathlib import Path

from data_stack.errors import UserError
from data_stack.lake import connect
from data_stack.settings import Settings


def require_landing_files(settings: Settings) -> None:
    if not _holds_files(settings.landing):
        raise UserError(
            f"No landing files in {settings.landing}",
            "Point LANDING_URI (or DATA_DIR) at the sources' files, or write the demo data set there with "
            "`data-stack generate`",
        )


def _holds_files(landing: str) -> bool:
    if "://" not in landing:
        root = Path(landing)
        return root.is_dir() and any(path.is_file() for path in root.rglob("*"))
    with connect(landing) as conn:
        return bool(conn.execute("select count(*) from glob(?)", [f"{landing.rstrip('/')}/**"]).fetchone()[0])

"""What the MCP tools read and do: the run ledger, freshness of the published data products, starting a run.

Plain functions over the settings; `server.py` turns their `UserError`s into the client's one-line errors.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from data_stack.errors import UserError
from data_stack.ledger import Ledger, RunRecord
from data_stack.pipeline.lock import require_unlocked
from data_stack.pipeline.run_id import check_run_id, new_run_id
from data_stack.settings import Settings

FILES_SHOWN = 50  # of a run's landing files in `run_detail` (a run may list thousands; `status --json` has all)


def runs(settings: Settings, limit: int = 10) -> list[dict[str, Any]]:
    if not 1 <= limit <= 100:
        raise UserError(f"limit must be between 1 and 100 (got {limit})", "Pass a smaller limit")
    if not settings.ledger_db.exists():
        return []
    return [_summary(run) for run in Ledger(settings.ledger_db).runs(limit=limit, files=False)]


def run_detail(settings: Settings, run_id: str) -> dict[str, Any]:
    run = _run(settings, run_id)
    detail = run.to_json()
    detail["files_total"] = len(run.files)
    detail["files"] = run.files[:FILES_SHOWN]
    detail["quarantine_reasons"] = _reasons(settings, run.run_id)
    return detail


def quarantine(settings: Settings, run_id: str | None = None) -> dict[str, Any]:
    """Quarantined rows of a run (default: the newest run that ingested) by stream and by reason."""
    if run_id is None:
        ingested = [run for run in _ledger(settings).runs(limit=50, files=False) if "ingest" in run.stage_seconds]
        if not ingested:
            raise UserError("No run has ingested anything yet", "Run `data-stack run` first")
        run = ingested[0]
    else:
        run = _run(settings, run_id)
    return {
        "run_id": run.run_id,
        "status": run.status,
        "streams": {
            name: {"landed": c.landed, "quarantined": c.quarantined, "rate": round(c.quarantined / c.landed, 4)}
            for name, c in run.streams.items()
            if c.landed
        },
        "quarantined_total": sum(c.quarantined for c in run.streams.values()),
        "reasons": _reasons(settings, run.run_id),
        "location": f"{settings.lake}/quarantine",
        "runbook": "docs/runbooks/quarantined-file.md",
    }


def freshness(settings: Settings) -> dict[str, Any]:
    """Per gold data product: rows, the newest business date or time, and when new data last reached it."""
    from data_stack.metrics.warehouse import product_freshness
    from data_stack.serving.reader import connect_published

    path = settings.published_db
    if not path.exists():
        raise UserError(f"Nothing is published yet at {path}", "Run `data-stack run` first")
    published_at = path.stat().st_ctime
    now = time.time()
    with connect_published(path) as conn:
        products = [
            {
                "product": product,
                "rows": rows,
                "newest_record_at": _iso(newest),
                "refreshed_at": _iso(loaded if loaded is not None else published_at),
                "hours_since_refresh": round((now - (loaded if loaded is not None else published_at)) / 3600, 2),
            }
            for product, rows, newest, loaded in product_freshness(conn)
        ]
    published = next((run for run in _ledger(settings).runs(limit=50, files=False) if run.published), None)
    return {
        "published_at": _iso(published_at),
        "published_run": published.run_id if published else None,
        "products": products,
    }


class Trigger:
    """Starts `data-stack run` in the background: only when enabled, never beside a running run, at most once per
    `mcp_trigger_interval_seconds` per server."""

    def __init__(self, settings: Settings, command: list[str] | None = None) -> None:
        self.settings = settings
        self.command = command or [str(Path(sys.executable).parent / "data-stack"), "run", "--json"]
        self._lock = threading.Lock()
        self._last: float | None = None

    def start(self, full_refresh: bool = False) -> dict[str, Any]:
        settings = self.settings
        if not settings.mcp_allow_trigger:
            raise UserError(
                "Starting runs from an MCP client is off",
                "Set MCP_ALLOW_TRIGGER=true in the server's environment and restart it, or run `data-stack run`",
            )
        with self._lock:
            interval = settings.mcp_trigger_interval_seconds
            if self._last is not None and time.monotonic() - self._last < interval:
                wait = interval - (time.monotonic() - self._last)
                raise UserError(
                    f"A run was started {time.monotonic() - self._last:.0f} s ago; at most one per {interval:g} s",
                    f"Try again in {wait:.0f} s (list_runs shows the one started)",
                )
            _require_unlocked(settings.lock_file)
            run_id = check_run_id(new_run_id())
            log = settings.warehouse / "logs" / run_id / "mcp-trigger.log"
            log.parent.mkdir(parents=True, exist_ok=True)
            args = [*self.command, "--run-id", run_id, *(["--full-refresh"] if full_refresh else [])]
            with log.open("ab") as output:
                process = subprocess.Popen(
                    args,
                    stdin=subprocess.DEVNULL,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    env=settings.stage_env(),
                    start_new_session=True,  # the run outlives the server
                )
            self._last = time.monotonic()
        return {
            "started": True,
            "run_id": run_id,
            "pid": process.pid,
            "log": str(log),
            "next": f"run_detail(run_id={run_id!r}) shows its progress; list_runs its status",
        }


def _require_unlocked(lock_file: Path) -> None:
    """Refuse while a run holds the lock (the run would refuse too, but the client should hear it now)."""
    require_unlocked(lock_file, "list_runs shows it) and try again")


def _ledger(settings: Settings) -> Ledger:
    if not settings.ledger_db.exists():
        raise UserError("No runs yet", "Run `data-stack run` first")
    return Ledger(settings.ledger_db)


def _run(settings: Settings, run_id: str) -> RunRecord:
    run = _ledger(settings).get(run_id)
    if run is None:
        raise UserError(f"No run {run_id!r} in the ledger", "list_runs shows the run ids")
    return run


def _summary(run: RunRecord) -> dict[str, Any]:
    data = run.to_json()
    data.pop("files")
    return data


def _reasons(settings: Settings, run_id: str) -> list[dict[str, Any]]:
    return [
        {"stream": stream, "reason": reason, "rows": rows}
        for stream, reason, rows in Ledger(settings.ledger_db).quarantine_reasons(run_id)
    ]


def _iso(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")

"""The run ledger as data frames for the Data quality and Pipeline runs pages.

Read live on every page load (SQLite, read-only, a few milliseconds): runs are history, not part of the
published snapshot, so a failed run shows up here even though readers of the marts never see it.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pandas as pd

from data_stack.settings import Settings

RUNS_SHOWN = 200


def exists(settings: Settings) -> bool:
    return settings.ledger_db.exists()


def _read(settings: Settings, sql: str, params: tuple = ()) -> pd.DataFrame:
    conn = sqlite3.connect(f"{settings.ledger_db.as_uri()}?mode=ro", uri=True, timeout=10)
    try:
        return pd.read_sql_query(sql, conn, params=params)
    finally:
        conn.close()


def runs(settings: Settings, limit: int = RUNS_SHOWN) -> pd.DataFrame:
    """Newest first, with duration and row totals."""
    frame = _read(
        settings,
        "select runs.run_id, runs.command, runs.status, runs.started_at, runs.finished_at, runs.error, "
        "runs.published, runs.gate_passed, runs.dbt_tests_passed, runs.dbt_tests_failed, runs.dbt_tests_warned, "
        "runs.gx_expectations_passed, runs.gx_expectations_failed, runs.gx_expectations_warned, runs.data_docs, "
        "(select sum(landed) from streams where streams.run_id = runs.run_id) as landed, "
        "(select sum(loaded) from streams where streams.run_id = runs.run_id) as loaded, "
        "(select sum(quarantined) from streams where streams.run_id = runs.run_id) as quarantined "
        "from runs order by runs.started_at desc, runs.run_id desc limit ?",
        (limit,),
    )
    for column in ("started_at", "finished_at"):
        frame[column] = _utc(frame[column])
    frame["seconds"] = (frame["finished_at"] - frame["started_at"]).dt.total_seconds()
    frame["published"] = frame["published"].astype(bool)
    return frame


def latest_published(settings: Settings) -> str | None:
    frame = _read(settings, "select run_id from runs where published = 1 order by started_at desc limit 1")
    return None if frame.empty else str(frame.iloc[0, 0])


def stages(settings: Settings, limit: int = RUNS_SHOWN) -> pd.DataFrame:
    frame = _read(
        settings,
        "select stages.run_id, runs.started_at, stages.stage, stages.seconds, stages.status "
        "from stages inner join runs on runs.run_id = stages.run_id "
        "where stages.run_id in (select run_id from runs order by started_at desc limit ?) "
        "order by runs.started_at, stages.rowid",
        (limit,),
    )
    frame["started_at"] = _utc(frame["started_at"])
    return frame


def streams(settings: Settings, run_id: str) -> pd.DataFrame:
    return _read(
        settings,
        "select stream, landed, loaded, quarantined from streams where run_id = ? order by stream",
        (run_id,),
    )


def landing_files(settings: Settings, run_id: str) -> pd.DataFrame:
    """The run's landing files that need a look: not ingested, re-delivered, or with a note (drift, transcoding)."""
    columns = ["path", "status", "version", "landed", "loaded", "quarantined", "notes"]
    if _read(settings, "select name from sqlite_master where name = 'files'").empty:
        return pd.DataFrame({name: [] for name in columns})  # a ledger from before files were kept
    frame = _read(
        settings,
        "select path, status, version, landed, loaded, quarantined, notes from files where run_id = ? "
        "and (status <> 'ingested' or version > 1 or notes <> '[]') order by status, path",
        (run_id,),
    )
    frame["notes"] = ["; ".join(json.loads(text or "[]")) for text in frame["notes"]]  # stored as a JSON list
    return frame


def quarantine_reasons(settings: Settings, run_id: str) -> pd.DataFrame:
    """Top reasons recorded at ingest, plus one `(other reasons)` row for the rest of the stream's total."""
    if _read(settings, "select name from sqlite_master where name = 'quarantine_reasons'").empty:
        reasons = pd.DataFrame({"stream": [], "reason": [], "rows": []})  # a ledger from before reasons were kept
    else:
        reasons = _read(
            settings,
            "select stream, reason, rows from quarantine_reasons where run_id = ? order by rows desc, stream",
            (run_id,),
        )
    totals = _read(settings, "select stream, quarantined from streams where run_id = ? and quarantined > 0", (run_id,))
    rest = []
    for stream, quarantined in totals.itertuples(index=False):
        missing = int(quarantined) - int(reasons.loc[reasons["stream"] == stream, "rows"].sum())
        if missing > 0:
            rest.append({"stream": stream, "reason": "(other reasons)", "rows": missing})
    if rest:
        reasons = pd.concat([reasons, pd.DataFrame(rest)], ignore_index=True)
    return reasons


def data_docs_link(settings: Settings, path: str | None) -> str | None:
    """A browser link to a run's Data Docs: under DATA_DOCS_BASE_URL when set (`make data-docs` serves them),
    otherwise a file:// address that works when the browser runs on this machine."""
    if not path:
        return None
    index = Path(path)
    if settings.data_docs_base_url:
        try:
            relative = index.resolve().relative_to(settings.data_docs_dir.resolve())
        except ValueError:
            return index.as_uri()
        return f"{settings.data_docs_base_url.rstrip('/')}/{relative.as_posix()}"
    return index.as_uri()


def _utc(column: pd.Series) -> pd.Series:
    """Ledger timestamps (ISO 8601, UTC) as naive UTC datetimes: the pages label them UTC."""
    return pd.to_datetime(column, utc=True, format="ISO8601").dt.tz_convert(None)

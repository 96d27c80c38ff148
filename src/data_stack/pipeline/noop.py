"""Is there anything for a `data-stack run` to do? Decided from the landing listing, the Singer state and a
fingerprint of what the build depends on — without starting Meltano or dbt.

Nothing is new when (1) every landing file a stream would read is in the state with the size and modification time
it was ingested with, (2) no run since the published one loaded a row, (3) the models, tests, ingestion contract,
quality suites and the settings that shape the build are those the published run was built with, and (4) the vendor
API is not configured (its cached answers expire on their own clock).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from data_stack.ingest.accounting import state_files
from data_stack.ingest.files import TEMPORARY, stream_patterns
from data_stack.ingest.meltano import vehicle_api_settings
from data_stack.lake import connect
from data_stack.ledger import Ledger
from data_stack.settings import Settings

INPUTS = (  # relative to the project root: what a build's result depends on besides the data
    "dbt/dbt_project.yml",
    "dbt/profiles.yml",
    "dbt/models",
    "dbt/macros",
    "dbt/tests",
    "dbt/seeds",
    "dbt/snapshots",
    "meltano/meltano.yml",
    "meltano/extract",
    "meltano/load",
    "meltano/environments",
    "src/data_stack/quality/suites",
    "src/data_stack/forecast",  # what the forecast's dbt Python models run (dbt/models/intermediate/product/forecast)
)


def fingerprint(settings: Settings) -> str:
    digest = hashlib.sha256()
    root = settings.project_root
    for entry in INPUTS:
        path = root / entry
        files = sorted(p for p in path.rglob("*") if _source(p)) if path.is_dir() else [path] if path.exists() else []
        for file in files:
            digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    for value in (
        settings.dbt_target,
        settings.meltano_environment,
        repr(settings.quarantine_rate_max),
        settings.lake,
        settings.landing,
        hashlib.sha256(settings.pii_hash_salt.encode()).hexdigest(),  # a new salt changes every hash
    ):
        digest.update(value.encode() + b"\0")
    return digest.hexdigest()


def _source(path: Path) -> bool:
    """A file of the project, not bytecode Python writes when it first imports a module (that is no change)."""
    return path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"


def nothing_new(settings: Settings, ledger: Ledger, current: str, this_run: str) -> str | None:
    """The published run whose result would come out again, or None when there is something to do."""
    if vehicle_api_settings().url or not settings.published_db.exists():
        return None
    runs = [run for run in ledger.runs(files=False) if run.run_id != this_run]
    if not runs:
        return None
    published = next((run for run in runs if run.published), None)
    if published is None or ledger.fingerprint(published.run_id) != current:
        return None
    if runs[0].status != "success":
        return None  # the newest run failed or is unfinished: run again (a serve may be owed)
    for run in runs:  # newest first, down to the published one
        if run.run_id == published.run_id:
            break
        if any(counts.loaded or counts.quarantined for counts in run.streams.values()):
            return None  # loaded since, not published yet
    return published.run_id if _landing_unchanged(settings) else None


def _landing_unchanged(settings: Settings) -> bool:
    patterns = stream_patterns(str(settings.meltano_dir / "extract" / "tap-landing.meltano.yml"))
    known = {path: entry for (_, path), entry in state_files(settings).items()}
    root = settings.landing.rstrip("/")
    if "://" not in root and not Path(root).is_dir():
        return True
    with connect(settings.lake) as conn:
        if not conn.execute("select count(*) from glob(?)", [f"{root}/**"]).fetchone()[0]:
            return True
        listed = conn.execute(
            "select filename, size, epoch(last_modified) from read_blob(?)", [f"{root}/**"]
        ).fetchall()
    for uri, size, epoch in listed:
        path = uri[len(root) + 1 :]
        if TEMPORARY.search(path) or not any(regex.fullmatch(path) for regex in patterns.values()):
            continue  # neither would a run read it
        entry = known.get(path)
        modified = datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")
        if entry is None or entry.get("size") != size or entry.get("modified") != modified:
            return False
    return True

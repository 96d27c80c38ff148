"""Schema drift and quarantine reasons for one run, read back from the lake (what actually landed)."""

from __future__ import annotations

from functools import cache

import yaml

from data_stack.lake import connect
from data_stack.settings import Settings

LINEAGE = {"_source_file", "_loaded_at", "_run_id", "load_date"}


@cache
def declared_columns(extract_file: str) -> dict[str, set[str]]:
    """Stream name → declared columns, from the tap's `streams` setting (the contract in docs/sources.md)."""
    with open(extract_file, encoding="utf-8") as handle:
        plugins = yaml.safe_load(handle)["plugins"]["extractors"]
    streams = next(plugin for plugin in plugins if plugin["name"] == "tap-landing")["config"]["streams"]
    return {stream["name"]: set(stream["columns"]) for stream in streams}


def schema_drift(settings: Settings, run_id: str) -> dict[str, list[str]]:
    """Columns that landed in this run's bronze files but are not in the contract, per stream."""
    declared = declared_columns(str(settings.meltano_dir / "extract" / "tap-landing.meltano.yml"))
    root = f"{settings.lake}/bronze"
    drift: dict[str, list[str]] = {}
    with connect(settings.lake) as conn:
        files = [
            row[0] for row in conn.execute("select file from glob(?)", [f"{root}/*/*/*/{run_id}-*.parquet"]).fetchall()
        ]
        for path in files:
            source, stream = path[len(root) + 1 :].split("/")[:2]
            name = f"{source}__{stream}"
            if name not in declared:
                continue
            columns = {row[0] for row in conn.execute(f"describe select * from read_parquet('{path}')").fetchall()}
            extra = sorted(columns - declared[name] - LINEAGE)
            if extra:
                drift[name] = sorted(set(drift.get(name, [])) | set(extra))
    return drift


def quarantine_reasons(settings: Settings, run_id: str, limit: int = 8) -> list[tuple[str, str, int]]:
    """(stream, reason, rows) for this run's quarantined rows, most frequent first."""
    root = f"{settings.lake}/quarantine"
    with connect(settings.lake) as conn:
        files = [
            row[0] for row in conn.execute("select file from glob(?)", [f"{root}/*/*/*/{run_id}-*.parquet"]).fetchall()
        ]
        if not files:
            return []
        rows = conn.execute(
            "select regexp_extract(filename, '/quarantine/([^/]+)/([^/]+)/', ['source', 'stream']) as key, "
            "regexp_replace(_reason, '\"[^\"]*\"', '\"…\"', 'g') as reason, count(*) as n "
            "from read_parquet(?, filename = true) group by all order by n desc limit ?",
            [files, limit],
        ).fetchall()
    return [(f"{key['source']}__{key['stream']}", reason, n) for key, reason, n in rows]

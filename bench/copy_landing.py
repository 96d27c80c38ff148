"""The ingest floor: DuckDB reading every landing stream with its declared columns and writing one Parquet file
per stream, with nothing else (no checks, no quarantine, no ledger). `python bench/copy_landing.py LANDING OUT`"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import yaml

ROOT = Path(__file__).resolve().parents[1]
TAP_CONFIG = ROOT / "meltano" / "extract" / "tap-landing.meltano.yml"


def streams() -> list[dict]:
    extract = yaml.safe_load(TAP_CONFIG.read_text())
    return extract["plugins"]["extractors"][0]["config"]["streams"]


def copy_landing(landing: Path, out: Path) -> dict[str, int]:
    """Rows written per stream."""
    out.mkdir(parents=True, exist_ok=True)
    rows = {}
    with duckdb.connect() as conn:
        for stream in streams():
            files = sorted(str(path) for path in landing.glob(stream["pattern"]))
            if not files:
                continue
            columns = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in stream["columns"].items()) + "}"
            if stream["format"] == "csv":
                reader = f"read_csv($files, header = true, columns = {columns})"
            else:
                shape = "newline_delimited" if stream["format"] == "jsonl" else "array"
                reader = f"read_json($files, format = '{shape}', columns = {columns})"
            target = out / f"{stream['name']}.parquet"
            conn.execute(
                f"copy (select * from {reader}) to '{target}' (format parquet, compression zstd)", {"files": files}
            )
            rows[stream["name"]] = conn.execute(f"select count(*) from '{target}'").fetchone()[0]
    return rows


if __name__ == "__main__":
    print(copy_landing(Path(sys.argv[1]), Path(sys.argv[2])))

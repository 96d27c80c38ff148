"""The ingest before and after a change, side by side on the same landing files, against DuckDB `COPY`.

Runs tap-landing | target-lake (BATCH, as `meltano run` pipes them) of this working tree and of an earlier commit
(its plugins taken from git history), all streams and the clickstream alone, and `bench/copy_landing.py` on the
same files, in one invocation. Writes bench/results/ingest-before-after.json.

    python bench/ingest_before_after.py --scale 3 --before d52b264
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import yaml

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
EVENTS = "clickstream__events"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=3.0)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--before", default="d52b264", help="The commit to compare with.")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    from copy_landing import copy_landing

    from data_stack.generate import generate

    with tempfile.TemporaryDirectory(prefix="bench-before-after-") as scratch:
        work = Path(scratch)
        landing = work / "landing"
        generate(landing, scale=args.scale, days=args.days, defect_rate=0.0)
        before = _plugins(args.before, work / "plugins-before")
        after = ROOT / "meltano" / "plugins"
        seconds: dict[str, float] = {}
        seconds["copy"] = _timed(lambda: copy_landing(landing, work / "copy"))
        for name, plugins in (("before", before), ("after", after)):
            seconds[name] = _timed(lambda p=plugins, n=name: _ingest(landing, work / n, p, None))
            seconds[f"{name}_events"] = _timed(lambda p=plugins, n=name: _ingest(landing, work / f"{n}-e", p, EVENTS))
        rows = duckdb.sql(
            f"select count(*) from read_parquet('{work}/after/lake/bronze/*/*/*/*.parquet', union_by_name = true)"
        ).fetchone()[0]
        events = duckdb.sql(f"select count(*) from '{work}/copy/{EVENTS}.parquet'").fetchone()[0]
    result = {
        "scale": args.scale,
        "days": args.days,
        "before": args.before,
        "rows": rows,
        "events": events,
        "machine": {"cpus": os.cpu_count(), "duckdb": duckdb.__version__},
        "seconds": seconds,
        "ingest_vs_copy": {name: round(seconds[name] / seconds["copy"], 2) for name in ("before", "after")},
        "events_per_second": {name: round(events / seconds[f"{name}_events"]) for name in ("before", "after")},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ingest-before-after.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


def _plugins(commit: str, folder: Path) -> Path:
    folder.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit, "meltano/plugins"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder / "meltano" / "plugins"


def _ingest(landing: Path, work: Path, plugins: Path, only: str | None) -> None:
    work.mkdir()
    extract = yaml.safe_load((ROOT / "meltano/extract/tap-landing.meltano.yml").read_text())
    streams = extract["plugins"]["extractors"][0]["config"]["streams"]
    tap = {
        "landing_uri": str(landing),
        "run_id": "bench",
        "settle_seconds": 0,
        "memory_limit": os.environ.get("DUCKDB_MEMORY_LIMIT", "4GB"),
        "streams": [stream for stream in streams if only in (None, stream["name"])],
        "batch_config": {"encoding": {"format": "parquet"}, "storage": {"root": f"file://{work}/batches"}},
    }
    (work / "tap.json").write_text(json.dumps(tap))
    (work / "target.json").write_text(json.dumps({"lake_uri": str(work / "lake"), "run_id": "bench"}))
    python = sys.executable
    with subprocess.Popen(
        [python, "-m", "tap_landing.tap", "--config", str(work / "tap.json")],
        cwd=plugins / "tap-landing",
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    ) as producer:
        subprocess.run(
            [python, "-m", "target_lake.target", "--config", str(work / "target.json")],
            cwd=plugins / "target-lake",
            stdin=producer.stdout,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    if producer.returncode:
        raise SystemExit(f"tap-landing failed in {work}")


def _timed(func) -> float:
    started = time.perf_counter()
    func()
    return round(time.perf_counter() - started, 2)


if __name__ == "__main__":
    main()

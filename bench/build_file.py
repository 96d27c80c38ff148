"""What a run's build file costs, and the alternatives, side by side on one published warehouse (ADR 0023).

    python bench/build_file.py --warehouse /path/to/warehouse    # e.g. the one `make bench` leaves in its workdir

Measured, each three times (the median kept): the copy of `current.duckdb` that starts every build; the publish
(checkpoint, fsync, rename); and, for DuckLake (a table format with snapshots, installed offline from the
`duckdb-extension-ducklake` wheel when it is there), the commit of one day's change to the largest silver table as a
snapshot — the cost that would replace the copy. Writes bench/results/build-file.json.
"""

from __future__ import annotations

import argparse
import glob
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT / "src"))
from data_stack.publish.atomic import publish_build  # noqa: E402

REPEATS = 3
EVENTS = "staging.stg_clickstream__events"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--results", type=Path, default=RESULTS / "build-file.json")
    parser.add_argument("--ducklake-extension", type=Path, help="ducklake.duckdb_extension (default: from its wheel)")
    args = parser.parse_args()
    published = args.warehouse / "current.duckdb"
    scratch = Path(tempfile.mkdtemp(prefix="bench-build-file-", dir=args.warehouse))
    try:
        result = {
            "file_bytes": published.stat().st_size,
            "tables": _table_rows(published),
            "copy_seconds": _median(lambda: _copy(published, scratch / "build.duckdb")),
            "publish_seconds": _median(lambda: _publish(published, scratch)),
            "ducklake": _ducklake(published, scratch, args.ducklake_extension),
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


def _median(measure) -> float:
    return round(statistics.median(measure() for _ in range(REPEATS)), 2)


def _copy(source: Path, target: Path) -> float:
    target.unlink(missing_ok=True)
    started = time.perf_counter()
    shutil.copyfile(source, target)
    return time.perf_counter() - started


def _publish(published: Path, scratch: Path) -> float:
    build, target = scratch / "publish-build.duckdb", scratch / "publish-current.duckdb"
    shutil.copyfile(published, build)
    started = time.perf_counter()
    publish_build(build, target)
    return time.perf_counter() - started


def _table_rows(path: Path) -> dict[str, int]:
    with duckdb.connect(str(path), read_only=True) as conn:
        names = conn.execute(
            "select schema_name || '.' || table_name from duckdb_tables() "
            "where schema_name in ('staging', 'intermediate')"
        ).fetchall()
        return {name: conn.execute(f"select count(*) from {name}").fetchone()[0] for (name,) in names}


def _ducklake(published: Path, scratch: Path, extension: Path | None) -> dict[str, object]:
    """The largest silver table in DuckLake, then one day's change (its newest day's rows replaced by key) committed
    as a snapshot: what a run would pay instead of the copy."""
    wheel = Path(sys.prefix) / "lib" / "python3*" / "site-packages" / "duckdb_extension_ducklake"
    files = [str(extension)] if extension else glob.glob(str(wheel / "**" / "*.duckdb_extension"), recursive=True)
    if not files:
        return {"measured": False, "why": "pip install duckdb-extension-ducklake==" + duckdb.__version__}
    conn = duckdb.connect()
    conn.execute(f"install '{files[0]}'")
    conn.execute("load ducklake")
    conn.execute(f"attach '{published}' as published (read_only)")
    conn.execute(f"attach 'ducklake:{scratch / 'silver.ducklake'}' as lake (data_path '{scratch / 'lake-data'}/')")
    started = time.perf_counter()
    conn.execute(f"create table lake.events as select * from published.{EVENTS}")
    loaded = time.perf_counter() - started
    day = conn.execute(f"select max(event_date) from published.{EVENTS}").fetchone()[0]
    conn.execute(f"create temp table day_rows as select * from published.{EVENTS} where event_date = '{day}'")
    changed = conn.execute("select count(*) from day_rows").fetchone()[0]

    def commit() -> float:
        begun = time.perf_counter()
        conn.execute("begin")
        conn.execute("delete from lake.events where event_id in (select event_id from day_rows)")
        conn.execute("insert into lake.events select * from day_rows")
        conn.execute("commit")
        return time.perf_counter() - begun

    seconds = _median(commit)
    conn.close()
    return {
        "measured": True,
        "table": EVENTS,
        "rows_changed": changed,
        "snapshot_commit_seconds": seconds,
        "initial_load_seconds": round(loaded, 2),
        "data_bytes": sum(f.stat().st_size for f in (scratch / "lake-data").rglob("*") if f.is_file()),
    }


if __name__ == "__main__":
    main()

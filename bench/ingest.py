"""Ingest benchmark: the same landing files through (a) our Meltano BATCH path, (b) the Singer RECORD path of
the same tap and target, and (c) a plain DuckDB COPY to Parquet. Writes bench/results/ingest.json and .png.

    python bench/ingest.py --mode quick   # ~1M order lines
    python bench/ingest.py --mode full    # ~10M order lines
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import yaml

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
MELTANO = ROOT / "meltano"
TAP = MELTANO / ".meltano" / "extractors" / "tap-landing" / "venv" / "bin" / "tap-landing"
TARGET = MELTANO / ".meltano" / "loaders" / "target-lake" / "venv" / "bin" / "target-lake"
SCALES = {"quick": 6.7, "full": 67.0}  # order lines: ~1M and ~10M
STREAM = "orders__order_items"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=sorted(SCALES), default="quick")
    parser.add_argument("--workdir", type=Path, default=None, help="Scratch folder (default: a temp dir).")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        result = run(args.mode, work)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    for name in ("ingest", f"ingest-{args.mode}"):  # the latest run, and the latest run of this mode
        (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n")
        chart(result, RESULTS / f"{name}.png")
    print(json.dumps(result["ratios"], indent=2))


def run(mode: str, work: Path) -> dict:
    from data_stack.generate import generate

    landing = work / "landing"
    full = work / "generated"
    generate(full, scale=SCALES[mode], defect_rate=0.0)
    (landing / "orders").mkdir(parents=True)
    for path in sorted(full.glob("orders/order_items_*.csv")):
        shutil.move(str(path), landing / "orders" / path.name)
    shutil.rmtree(full)
    rows = count_rows(landing)
    columns = stream_columns()
    timings = {
        "duckdb_copy": timed(lambda: duckdb_copy(landing, work / "copy", columns)),
        "meltano_batch": timed(lambda: meltano_batch(landing, work / "batch")),
        "singer_record": timed(lambda: singer_record(landing, work / "record")),
    }
    for name, path in (("meltano_batch", work / "batch"), ("singer_record", work / "record")):
        loaded = duckdb.sql(f"select count(*) from read_parquet('{path}/lake/bronze/**/*.parquet')").fetchone()[0]
        assert loaded == rows, (name, loaded, rows)
    return {
        "mode": mode,
        "rows": rows,
        "files": len(list(landing.rglob("*.csv"))),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "duckdb": duckdb.__version__},
        "seconds": timings,
        "rows_per_second": {name: round(rows / seconds) for name, seconds in timings.items()},
        "ratios": {
            "batch_speedup_over_record": round(timings["singer_record"] / timings["meltano_batch"], 2),
            "batch_slowdown_vs_duckdb_copy": round(timings["meltano_batch"] / timings["duckdb_copy"], 2),
        },
        "targets": {"batch_speedup_over_record": ">= 30", "batch_slowdown_vs_duckdb_copy": "<= 2"},
    }


def timed(func) -> float:
    started = time.perf_counter()
    func()
    return round(time.perf_counter() - started, 2)


def count_rows(landing: Path) -> int:
    return duckdb.sql(f"select count(*) from read_csv('{landing}/orders/*.csv', all_varchar = true)").fetchone()[0]


def stream_columns() -> dict[str, str]:
    extract = yaml.safe_load((MELTANO / "extract" / "tap-landing.meltano.yml").read_text())
    streams = extract["plugins"]["extractors"][0]["config"]["streams"]
    return next(stream for stream in streams if stream["name"] == STREAM)["columns"]


def duckdb_copy(landing: Path, out: Path, columns: dict[str, str]) -> None:
    """The floor: DuckDB reading the CSVs with the declared types and writing one Parquet file."""
    out.mkdir(parents=True)
    types = ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items())
    duckdb.sql(
        f"copy (select * from read_csv('{landing}/orders/*.csv', header = true, columns = {{{types}}})) "
        f"to '{out}/order_items.parquet' (format parquet, compression zstd)"
    )


def _env(data_dir: Path, landing: Path) -> dict[str, str]:
    from data_stack.settings import Settings

    settings = Settings(data_dir=data_dir, landing_uri=str(landing))
    return settings.stage_env(run_id="bench")


def meltano_batch(landing: Path, data_dir: Path) -> None:
    (data_dir / "warehouse").mkdir(parents=True)
    env = _env(data_dir, landing)
    meltano = Path(sys.executable).parent / "meltano"
    subprocess.run(
        [str(meltano), "run", "tap-landing", "target-lake"],
        cwd=MELTANO,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def singer_record(landing: Path, data_dir: Path) -> None:
    """The same tap and target exchanging one RECORD message per row (no batch_config)."""
    extract = yaml.safe_load((MELTANO / "extract" / "tap-landing.meltano.yml").read_text())
    config = extract["plugins"]["extractors"][0]["config"]
    tap_config = {"landing_uri": str(landing), "run_id": "bench", "streams": config["streams"]}
    data_dir.mkdir(parents=True)
    (data_dir / "tap.json").write_text(json.dumps(tap_config))
    (data_dir / "target.json").write_text(json.dumps({"lake_uri": str(data_dir / "lake"), "run_id": "bench"}))
    with subprocess.Popen(
        [str(TAP), "--config", str(data_dir / "tap.json")], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    ) as tap:
        subprocess.run(
            [str(TARGET), "--config", str(data_dir / "target.json")],
            stdin=tap.stdout,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        tap.wait()
        assert tap.returncode == 0


def chart(result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = {
        "duckdb_copy": "DuckDB COPY\n(floor)",
        "meltano_batch": "Meltano BATCH\n(ours)",
        "singer_record": "Singer RECORD\n(same tap/target)",
    }
    names = ["duckdb_copy", "meltano_batch", "singer_record"]
    values = [result["rows_per_second"][name] / 1000 for name in names]
    figure, axis = plt.subplots(figsize=(7, 4))
    bars = axis.bar([labels[name] for name in names], values, color=["#888888", "#1f77b4", "#d62728"])
    axis.bar_label(bars, labels=[f"{value:,.0f}k/s" for value in values])
    axis.set_ylabel("thousand rows per second")
    axis.set_title(f"Ingest of {result['rows']:,} order lines ({result['mode']} mode)")
    figure.tight_layout()
    figure.savefig(path, dpi=110)


if __name__ == "__main__":
    main()

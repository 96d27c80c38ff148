"""Dashboard benchmark: the p95 latency of each page's queries at the scale giving ~10M order lines.

Builds the warehouse once with the real pipeline (generate at --scale, then `data-stack run`) in --workdir and
reuses it on later runs. Then, for every page, runs exactly the queries the page runs (data_stack.dashboards),
uncached, as on the first view after a publish, --repeat times per filter set, and reports p50/p95 per page.

    python bench/dashboard.py                # scale 67 (~10M order lines), results in bench/results/
    python bench/dashboard.py --scale 1      # the demo size, for a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
TARGET_MS = 100.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=67.0, help="Generator scale (67 gives ~10M order lines).")
    parser.add_argument("--workdir", type=Path, default=ROOT / "data" / "bench-dashboard", help="Kept between runs.")
    parser.add_argument("--repeat", type=int, default=30, help="Timed runs per page and filter set.")
    args = parser.parse_args()
    data_dir = args.workdir / f"scale-{args.scale:g}"
    build(data_dir, args.scale)
    os.environ["DATA_DIR"] = str(data_dir)
    os.environ.pop("WAREHOUSE_DIR", None)
    os.environ.pop("DASHBOARD_BACKEND", None)
    result = measure(args.scale, args.repeat)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "dashboard" if args.scale == 67 else f"dashboard-scale-{args.scale:g}"
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n")
    for page, figures in result["pages"].items():
        print(f"{page:<10} p50 {figures['p50_ms']:7.1f} ms   p95 {figures['p95_ms']:7.1f} ms")
    print(f"order lines: {result['order_lines']:,}; all pages p95 <= {TARGET_MS:.0f} ms: {result['all_within_target']}")


def build(data_dir: Path, scale: float) -> None:
    """Generate and run the pipeline once; a finished build (current.duckdb) is reused."""
    if (data_dir / "warehouse" / "current.duckdb").exists():
        return
    env = {**os.environ, "DATA_DIR": str(data_dir)}
    env.pop("WAREHOUSE_DIR", None)
    env.pop("LANDING_URI", None)
    env.pop("LAKE_URI", None)
    cli = [sys.executable, "-m", "data_stack.cli.main"]
    started = time.perf_counter()
    subprocess.run([*cli, "generate", "--scale", f"{scale:g}"], env=env, check=True)
    subprocess.run([*cli, "run"], env=env, check=True)
    print(f"built the scale-{scale:g} warehouse in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def measure(scale: float, repeat: int) -> dict:
    from data_stack.dashboards import ledger_view, source
    from data_stack.dashboards.filters import Filters, Query
    from data_stack.dashboards.queries import PAGES, shared
    from data_stack.settings import get_settings

    settings = get_settings()
    snapshot = source.current(settings)
    if snapshot is None:
        raise SystemExit(f"no published warehouse under {settings.warehouse}")
    options = source.run(snapshot, shared.filter_options()).iloc[0]
    last = options["last_date"].date()
    first = options["first_date"].date()
    regions = tuple(options["regions"].split("|")[:2])
    categories = tuple(options["categories"].split("|")[:2])
    filter_sets = {
        "default (last 28 days)": Filters(last - timedelta(days=27), last),
        "2 regions, 2 categories, 28 days": Filters(last - timedelta(days=27), last, regions, categories),
        "whole history": Filters(first, last),
    }
    pages: dict[str, list[Callable[[], object]]] = {}
    latest = ledger_view.runs(settings).iloc[0]["run_id"]
    pages["quality"] = [lambda: ledger_view.runs(settings), lambda: ledger_view.quarantine_reasons(settings, latest)]
    pages["runs"] = [
        lambda: ledger_view.runs(settings),
        lambda: ledger_view.stages(settings),
        lambda: ledger_view.streams(settings, latest),
    ]
    figures = {}
    for name, queries in PAGES.items():
        per_filter = {}
        for label, f in filter_sets.items():
            per_filter[label] = time_page([lambda q=q, f=f: source.run(snapshot, q(f)) for q in queries], repeat)
        all_samples = [ms for samples in per_filter.values() for ms in samples]
        default = filter_sets["default (last 28 days)"]
        query_p95 = {
            q.__name__: percentile(time_page([lambda q=q, f=default: source.run(snapshot, q(f))], repeat), 95)
            for q in queries
        }
        figures[name] = summary(all_samples) | {
            "by_filters": {label: summary(samples) for label, samples in per_filter.items()},
            "query_p95_ms_default_filters": {k: round(v, 1) for k, v in query_p95.items()},
        }
    for name in ("quality", "runs"):
        figures[name] = summary(time_page(pages[name], repeat)) | {"source": "run ledger (SQLite)"}
    order_lines = int(source.run(snapshot, Query("select count(*) as n from product.order_items")).iloc[0, 0])
    return {
        "benchmark": "dashboard page queries, uncached (first view after a publish)",
        "scale": scale,
        "order_lines": order_lines,
        "repeat_per_filter_set": repeat,
        "filter_sets": list(filter_sets),
        "target_p95_ms": TARGET_MS,
        "all_within_target": all(page["p95_ms"] <= TARGET_MS for page in figures.values()),
        "pages": figures,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def time_page(calls: list[Callable[[], object]], repeat: int) -> list[float]:
    """Milliseconds for all of a page's queries, one after the other, `repeat` times (after one warm-up)."""
    for call in calls:
        call()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        for call in calls:
            call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def percentile(samples: list[float], pct: int) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))]


def summary(samples: list[float]) -> dict:
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(percentile(samples, 95), 1),
        "max_ms": round(max(samples), 1),
        "samples": len(samples),
    }


if __name__ == "__main__":
    main()

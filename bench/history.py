"""History benchmark: the run after one more day, at several lengths of history, with the same size of day.

For each history (30, 90 and 180 days by default) a full `data-stack run` builds the stack in its own data folder,
then one more day lands and the run after it is timed (three times from the same state; the median counts): wall
seconds, seconds per stage, peak RSS per stage. The
target is that the run after one more day costs about the same whatever the history behind it: at the longest
history at most 1.3× the shortest. Writes bench/results/history.json and .png (another configuration:
history-days-<days>-scale-<scale>.json and .png).

    python bench/history.py                            # 30, 90 and 180 days at scale 10
    python bench/history.py --days 10,20 --scale 0.2   # a smoke run, in a few minutes

The same size of day. The generator's scale sets the rows of a day (50,000 × scale / 90 orders a day on average,
1,150 × scale browse sessions) and `--days` only how many days are written, so at one scale every history has days
of the same size. Every history ends on the same date and is generated together with the day after it, whose files
are then set apart as the extra day: a day of one history is byte for byte the same day in every other history
that covers it, and the extra day is the same file set for all of them. The results prove it: the extra day's
digest per history, and every daily file's rows compared on the dates the histories share.

Each extra day is an ordinary daily drop (that day's orders, items, shipments, events, sign-ups and profile
changes), not the separate one-day generation of bench/datasets.py, which also re-delivers every customer, the
fleet and a catalog snapshot.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

import duckdb
from datasets import CACHE, count_rows, link_copy  # bench/ is the script's folder, first on sys.path

from pipeline import REPEATS, _after_one_more_day, _run

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
CLI = str(Path(sys.executable).parent / "data-stack")
DAYS = (30, 90, 180)
SCALE = 10.0
EXTRA_DAY = date(2026, 4, 1)  # every history ends the day before (as bench/datasets.py's 90 days do)
TARGET = 1.3  # the run after one more day, at the longest history / at the shortest
RATIO = "incremental_run_longest_vs_shortest_history"
# the streams with a file every day (the first day's customers file holds everyone signed up so far)
DAILY = (
    "orders__orders",
    "orders__order_items",
    "logistics__shipments",
    "customers__customers",
    "clickstream__events",
)
# days at the start of a history that differ from the same dates in a longer one, by construction: the first day's
# customers file holds everyone signed up so far, and the next two days' shipments lack the orders placed before
# the history began (an order ships up to 30 hours after it is placed)
WARM_UP_DAYS = 3
STAGES = {"ingest": "#1f77b4", "transform": "#ff7f0e", "check": "#2ca02c", "publish": "#9467bd"}

log = logging.getLogger("bench.history")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=_days, default=DAYS, help="Lengths of history, comma separated (30,90,180).")
    parser.add_argument("--scale", type=float, default=SCALE, help="Generator scale: the size of every day (10).")
    parser.add_argument("--workdir", type=Path, default=None, help="Scratch folder, kept (default: a temp dir).")
    parser.add_argument("--results", type=Path, default=RESULTS, help="Where the JSON and PNG go.")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    if args.scale <= 0:
        parser.error("--scale must be positive")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-history-"))
    try:
        result = bench(args.days, args.scale, work, keep=args.workdir is not None)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    default = args.days == DAYS and args.scale == SCALE
    name = "history" if default else f"history-days-{'-'.join(map(str, args.days))}-scale-{args.scale:g}"
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n")
    chart(result, args.results / f"{name}.png")
    print(json.dumps({"ratios": result["ratios"], "met": result["met"], "same_day_size": result["same_day_size"]}))


def _days(text: str) -> tuple[int, ...]:
    try:
        days = tuple(sorted({int(part) for part in text.split(",") if part.strip()}))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of whole days: {text!r}") from None
    if len(days) < 2 or days[0] < 1:
        raise argparse.ArgumentTypeError("give at least two lengths of history, each at least 1 day")
    return days


class History:
    """The landing files of `days` days ending the day before EXTRA_DAY, and the extra day's files, cached."""

    def __init__(self, scale: float, days: int) -> None:
        self.scale, self.days = scale, days
        self.folder = CACHE / "history" / f"scale-{scale:g}" / f"days-{days}"
        self.base = self.folder / "base"
        self.extra_day = self.folder / "extra-day"
        self.report = self.folder / "rows.json"

    @property
    def first_day(self) -> date:
        return EXTRA_DAY - timedelta(days=self.days)

    def ensure(self) -> dict:
        """Generate once (the history and its extra day in one window), set the extra day apart, count rows."""
        if not self.report.exists():
            shutil.rmtree(self.folder, ignore_errors=True)
            window = self.folder / "window"
            log.info("generating %s days and the extra day at scale %g", self.days, self.scale)
            command = [CLI, "generate", "--scale", f"{self.scale:g}", "--defect-rate", "0"]
            command += ["--start-date", self.first_day.isoformat(), "--days", str(self.days + 1)]
            command += ["--out", str(window), "--json"]
            generated = subprocess.run(command, check=True, capture_output=True, text=True, env=dict(os.environ))
            for path in sorted(window.rglob("*")):
                if path.is_file():
                    relative = path.relative_to(window)
                    into = self.extra_day if EXTRA_DAY.isoformat() in str(relative) else self.base
                    (into / relative).parent.mkdir(parents=True, exist_ok=True)
                    path.rename(into / relative)
            shutil.rmtree(window)
            report = {"base": count_rows(self.base), "extra_day": count_rows(self.extra_day)}
            report["extra_day_sha256"] = digest(self.extra_day)
            counted = {
                stream: sum(report["base"][stream].values()) + sum(report["extra_day"].get(stream, {}).values())
                for stream in report["base"]
            }
            expected = json.loads(generated.stdout)["rows"]
            if counted != expected:  # the counting must agree with what the generator says it wrote
                raise RuntimeError(f"rows counted {counted} differ from rows generated {expected}")
            self.report.write_text(json.dumps(report, indent=2) + "\n")  # written last: without it, incomplete
        return json.loads(self.report.read_text())


def digest(folder: Path) -> str:
    """sha256 over every file's relative path and bytes: equal digests, the same files."""
    hashed = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            hashed.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return hashed.hexdigest()


def warm_up(history: History) -> set[str]:
    return {(history.first_day + timedelta(days=offset)).isoformat() for offset in range(WARM_UP_DAYS)}


def day_size(rows: dict[str, dict[str, int]], skip: set[str]) -> dict[str, int]:
    """Rows a day of the daily streams: mean, least and most over the history's days, its warm-up aside."""
    totals: dict[str, int] = {}
    for stream in DAILY:
        for day, count in rows.get(stream, {}).items():
            if day not in skip:
                totals[day] = totals.get(day, 0) + count
    values = list(totals.values()) or [0]
    return {"mean": round(sum(values) / len(values)), "min": min(values), "max": max(values), "days": len(totals)}


def same_day_size(histories: list[History], reports: list[dict]) -> dict:
    """The proof that every history has days of one size: the extra day is the same files everywhere, and each
    daily stream has the same rows on every date two histories share (each history's warm-up aside)."""
    digests = {
        str(history.days): report["extra_day_sha256"] for history, report in zip(histories, reports, strict=True)
    }
    mismatches = []
    for index, (history, report) in enumerate(zip(histories, reports, strict=True)):
        for other, other_report in zip(histories[index + 1 :], reports[index + 1 :], strict=True):
            skip = warm_up(history) | warm_up(other)
            for stream in DAILY:
                mine, theirs = report["base"].get(stream, {}), other_report["base"].get(stream, {})
                for day in sorted((mine.keys() & theirs.keys()) - skip):
                    if mine[day] != theirs[day]:
                        mismatches.append(f"{stream} {day}: {mine[day]} ({history.days} d) != {theirs[day]}")
    extra = [sum(per_day.values()) for per_day in reports[0]["extra_day"].values()]
    return {
        "extra_day": EXTRA_DAY.isoformat(),
        "extra_day_rows": sum(extra),
        "extra_day_sha256": digests,
        "extra_day_identical": len(set(digests.values())) == 1,
        "rows_per_day": {
            str(history.days): day_size(report["base"], warm_up(history))
            for history, report in zip(histories, reports, strict=True)
        },
        "warm_up_days": WARM_UP_DAYS,
        "shared_dates_equal": not mismatches,
        "shared_dates_mismatches": mismatches[:20],
    }


def bench(days: tuple[int, ...], scale: float, work: Path, *, keep: bool) -> dict:
    histories = [History(scale, length) for length in days]
    reports = [history.ensure() for history in histories]
    points = []
    for history, report in zip(histories, reports, strict=True):
        # every history: its full run, then at once the run after the extra day, so each timed run follows the
        # same sequence
        stack = work / f"days-{history.days}"
        shutil.rmtree(stack, ignore_errors=True)
        link_copy(history.base, stack / "landing")
        full, full_stages = _run(stack)
        log.info("%s days: full run %.1f s", history.days, full.seconds)
        (incremental, stages), repeats, slowest = _after_one_more_day(stack, history.extra_day, REPEATS["full"])
        log.info("%s days: after one more day %.1f s %s (runs %s)", history.days, incremental.seconds, stages, repeats)
        points.append(
            {
                "days": history.days,
                "first_day": history.first_day.isoformat(),
                "last_day": (EXTRA_DAY - timedelta(days=1)).isoformat(),
                "rows": {stream: sum(per_day.values()) for stream, per_day in report["base"].items()},
                "rows_total": sum(sum(per_day.values()) for per_day in report["base"].values()),
                "extra_day_rows": {stream: sum(per_day.values()) for stream, per_day in report["extra_day"].items()},
                "full_run_seconds": full.seconds,
                "full_run_stage_seconds": full_stages,
                "full_run_peak_rss_mb": full.stage_peak_rss_mb,
                "incremental_run_seconds": incremental.seconds,
                "incremental_run_repeats": repeats,
                "incremental_run_stage_seconds": stages,
                "incremental_run_peak_rss_mb": incremental.stage_peak_rss_mb,
                "incremental_run_slowest_dbt_nodes": slowest,
            }
        )
        if not keep:
            shutil.rmtree(stack, ignore_errors=True)
    shortest, longest = points[0], points[-1]
    ratio = round(longest["incremental_run_seconds"] / shortest["incremental_run_seconds"], 3)
    return {
        "scale": scale,
        "days": list(days),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "duckdb": duckdb.__version__},
        "same_day_size": same_day_size(histories, reports),
        "histories": points,
        "compared": f"run after one more day at {longest['days']} days of history / at {shortest['days']} days",
        "ratios": {RATIO: ratio},
        "targets": {RATIO: f"<= {TARGET}"},
        "met": {RATIO: ratio <= TARGET},
    }


def chart(result: dict, path: Path) -> None:
    """The run after one more day against days of history, stacked by stage; the target as a line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    points = result["histories"]
    labels = [f"{point['days']} days\n(full run {point['full_run_seconds']:.0f} s)" for point in points]
    totals = [point["incremental_run_seconds"] for point in points]
    figure, axis = plt.subplots(figsize=(8.5, 4.5))
    bottoms = [0.0] * len(points)
    for stage, color in STAGES.items():
        heights = [point["incremental_run_stage_seconds"].get(stage, 0.0) for point in points]
        axis.bar(labels, heights, bottom=bottoms, color=color, label=stage)
        bottoms = [bottom + height for bottom, height in zip(bottoms, heights, strict=True)]
    rest = [max(total - bottom, 0.0) for total, bottom in zip(totals, bottoms, strict=True)]
    axis.bar(labels, rest, bottom=bottoms, color="#cccccc", label="start-up and the rest")
    for index, total in enumerate(totals):
        axis.annotate(f"{total:.1f} s", (index, total), ha="center", va="bottom")
    axis.axhline(totals[0] * TARGET, color="#d62728", linestyle="--", linewidth=1, label=f"target: {TARGET}× shortest")
    ratio = result["ratios"][RATIO]
    day = result["same_day_size"]
    axis.set_title(
        f"Run after one more day ({day['extra_day_rows']:,} rows), scale {result['scale']:g}: "
        f"{points[-1]['days']} / {points[0]['days']} days = {ratio:.2f}×",
        fontsize=10,
    )
    axis.set_xlabel("days of history")
    axis.set_ylabel("seconds")
    axis.set_ylim(0, max(max(totals), totals[0] * TARGET) * 1.15)
    axis.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    figure.tight_layout()
    figure.savefig(path, dpi=110)


if __name__ == "__main__":
    main()

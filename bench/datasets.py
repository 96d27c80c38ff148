"""Benchmark data: generated once per scale with the real `data-stack generate` (clean, seed 42), kept under
bench/.data/ and reused. One window of 91 days is generated; its last day is set apart as the day the incremental
run adds, so that day is an ordinary daily drop (the day's orders, items, shipments, events, sign-ups and profile
changes), as bench/history.py's extra day is. A run works on a hard-linked copy of the landing files, so the cache
is never changed by a run."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / ".data"
CLI = str(Path(sys.executable).parent / "data-stack")
START, DAYS, NEXT_DAY = "2026-01-01", 90, "2026-04-01"


@dataclass(frozen=True)
class Dataset:
    scale: float
    base: Path  # 90 days of landing files
    next_day: Path  # the files one more day adds
    rows: dict[str, int]  # stream -> rows in base

    @property
    def order_lines(self) -> int:
        return self.rows.get("orders__order_items", 0)

    @property
    def next_day_rows(self) -> int:
        return json.loads((self.next_day.parent / "next-day.json").read_text())["total"]


def dataset(scale: float) -> Dataset:
    folder = CACHE / f"scale-{scale:g}"
    base, next_day, report = folder / "base", folder / "next-day", folder / "rows.json"
    if not report.exists():
        shutil.rmtree(folder, ignore_errors=True)
        window = folder / "window"
        rows = _generate(window, scale, START, DAYS + 1)
        for path in sorted(window.rglob("*")):
            if path.is_file():
                relative = path.relative_to(window)
                into = next_day if NEXT_DAY in str(relative) else base
                (into / relative).parent.mkdir(parents=True, exist_ok=True)
                path.rename(into / relative)
        shutil.rmtree(window)
        extra = {stream: sum(days.values()) for stream, days in count_rows(next_day).items()}
        counted = {"rows": extra, "total": sum(extra.values())}
        (folder / "next-day.json").write_text(json.dumps(counted, indent=2) + "\n")
        base_rows = {stream: count - extra.get(stream, 0) for stream, count in rows.items()}
        report.write_text(json.dumps(base_rows, indent=2) + "\n")  # written last: a cache without it is incomplete
    return Dataset(scale=scale, base=base, next_day=next_day, rows=json.loads(report.read_text()))


def _generate(out: Path, scale: float, start: str, days: int) -> dict[str, int]:
    command = [CLI, "generate", "--scale", f"{scale:g}", "--defect-rate", "0", "--start-date", start]
    command += ["--days", str(days), "--out", str(out), "--json"]
    result = subprocess.run(command, check=True, capture_output=True, text=True, env=dict(os.environ))
    return json.loads(result.stdout)["rows"]


DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# a landing file's name is its entity then its date (`order_items_2026-03-01.csv`) or hour (`events_07.jsonl`)
ENTITY = re.compile(r"^(.+?)_(?:\d{4}-\d{2}-\d{2}|\d{2})$")


def count_rows(landing: Path) -> dict[str, dict[str, int]]:
    """stream -> file date -> rows, for every landing file (header lines aside)."""
    rows: dict[str, dict[str, int]] = {}
    with duckdb.connect() as conn:
        for path in sorted(landing.rglob("*")):
            if not path.is_file():
                continue
            stream = f"{path.relative_to(landing).parts[0]}__{ENTITY.match(path.stem).group(1)}"
            if path.suffix == ".jsonl":
                count = path.read_bytes().count(b"\n")
            elif path.suffix == ".json":
                count = len(json.loads(path.read_bytes()))
            else:
                count = conn.execute("select count(*) from read_csv(?, all_varchar = true)", [str(path)]).fetchone()[0]
            day = DATE.search(str(path.relative_to(landing))).group(0)
            per_day = rows.setdefault(stream, {})
            per_day[day] = per_day.get(day, 0) + count
    return {stream: dict(sorted(per_day.items())) for stream, per_day in sorted(rows.items())}


def link_copy(source: Path, target: Path) -> None:
    """`target` gets every file of `source` as a hard link (a copy where links are impossible)."""
    for path in sorted(source.rglob("*")):
        if path.is_file():
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.unlink(missing_ok=True)  # a re-delivered name: replace the link, never write through it
            try:
                os.link(path, destination)
            except OSError:
                shutil.copy2(path, destination)

"""Benchmark data: generated once per scale with the real `data-stack generate` (clean, seed 42, 90 daily drops)
and one more day for the incremental run, kept under bench/.data/ and reused. A run works on a hard-linked copy
of the landing files, so the cache is never changed by a run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

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
    base, next_day, report = folder / "base", folder / "next-day", folder / "base.json"
    if not report.exists():
        shutil.rmtree(folder, ignore_errors=True)
        rows = _generate(base, scale, START, DAYS)
        _generate(next_day, scale, NEXT_DAY, 1, report=folder / "next-day.json")
        report.write_text(json.dumps(rows, indent=2) + "\n")  # written last: a cache without it is incomplete
    return Dataset(scale=scale, base=base, next_day=next_day, rows=json.loads(report.read_text()))


def _generate(out: Path, scale: float, start: str, days: int, report: Path | None = None) -> dict[str, int]:
    command = [CLI, "generate", "--scale", f"{scale:g}", "--defect-rate", "0", "--start-date", start]
    command += ["--days", str(days), "--out", str(out), "--json"]
    result = subprocess.run(command, check=True, capture_output=True, text=True, env=dict(os.environ))
    rows = json.loads(result.stdout)["rows"]
    if report is not None:
        report.write_text(json.dumps({"rows": rows, "total": sum(rows.values())}, indent=2) + "\n")
    return rows


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

"""`generate()`: every Northwind source for a window of days, byte-identical for the same arguments."""

from __future__ import annotations

import logging
import os
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb

from data_stack.generate import files
from data_stack.generate.build import build_all
from data_stack.generate.landing import run_tasks
from data_stack.generate.plan import Plan
from data_stack.generate.randomness import install_macros
from data_stack.generate.report import GenerateReport
from data_stack.generate.sizes import Sizes
from data_stack.generate.timeline import Window

log = logging.getLogger(__name__)


def generate(
    landing_dir: Path,
    *,
    scale: float = 1.0,
    seed: int = 42,
    defect_rate: float = 0.01,
    start_date: date = date(2026, 1, 1),
    days: int = 90,
) -> GenerateReport:
    """Write every source of docs/sources.md into `landing_dir` for `days` days from `start_date`.

    Files with the same name are overwritten, other files are left alone. `defect_rate` 0 gives clean data.
    Raises ValueError for a scale <= 0, days < 1, a defect rate outside 0..1 or a start date before 2020.
    """
    started = time.perf_counter()
    plan = Plan(Path(landing_dir), Window(start_date, days), Sizes.for_scale(scale), seed, defect_rate)
    report = GenerateReport(landing_dir=plan.landing_dir)
    workers = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="data-stack-generate-") as spill, duckdb.connect() as conn:
        conn.execute(f"set temp_directory = '{spill}'")
        conn.execute("set enable_progress_bar = false")
        install_macros(conn, seed)
        build_all(conn, plan)
        for (stream, kind), count in files.count_defects(conn, plan).items():
            report.add_defects(stream, kind, count)
        log.info("built %s days of sources in %.1fs; writing files", days, time.perf_counter() - started)
        for written in run_tasks(conn, files.tasks(plan), workers):
            for stream, path, rows in written.files:
                report.add_file(stream, path, rows)
            for (stream, kind), count in written.defects.items():
                report.add_defects(stream, kind, count)
    report.files.sort()
    report.seconds = time.perf_counter() - started
    log.info(
        "generated %s rows in %d files under %s (%.1fs)",
        f"{sum(report.rows.values()):,}",
        len(report.files),
        plan.landing_dir,
        report.seconds,
    )
    return report

"""The gate: dbt tests and GX suites on the build database, and the run's quarantine rate per stream. Any
error-severity failure, or a stream above QUARANTINE_RATE_MAX, blocks publishing."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from data_stack.ledger import StreamCounts
from data_stack.log import get_logger
from data_stack.quality.dbt_tests import DbtTestResult, run_dbt_tests
from data_stack.quality.gx_suites import GxResult, preload_gx, run_gx_suites
from data_stack.quality.quarantine_rate import quarantine_breaches
from data_stack.settings import Settings

log = get_logger(__name__)


@dataclass
class GateResult:
    dbt: DbtTestResult
    gx: GxResult
    quarantine: list[str] = field(default_factory=list)  # streams above the quarantine-rate limit

    @property
    def passed(self) -> bool:
        return self.dbt.failed == 0 and self.gx.failed == 0 and not self.quarantine

    @property
    def data_docs(self) -> Path | None:
        return self.gx.data_docs

    def failures(self) -> list[str]:
        return self.quarantine + self.dbt.failures + self.gx.failures

    def warnings(self) -> list[str]:
        return self.dbt.warnings + self.gx.warnings


def run_gate(settings: Settings, run_id: str, streams: dict[str, StreamCounts] | None = None) -> GateResult:
    """`streams`: the run's rows per stream from its ingest (none when the run did not ingest)."""
    build_db = settings.build_db(run_id)
    # GX takes seconds to import: it loads while `dbt test` (a subprocess) runs, not after it
    preload = threading.Thread(target=preload_gx, name="import-great-expectations", daemon=True)
    preload.start()
    started = time.perf_counter()
    dbt = run_dbt_tests(settings, run_id)
    dbt_seconds = time.perf_counter() - started
    preload.join()
    log.info("dbt tests: %d passed, %d failed, %d warned (%.1f s)", dbt.passed, dbt.failed, dbt.warned, dbt_seconds)
    started = time.perf_counter()
    gx = run_gx_suites(build_db, settings.data_docs_dir / run_id, settings.published_db)
    log.info(
        "GX expectations: %d passed, %d failed, %d warned (%.1f s, of which %.1f s reading tables)",
        gx.passed,
        gx.failed,
        gx.warned,
        time.perf_counter() - started,
        gx.read_seconds,
    )
    result = GateResult(dbt=dbt, gx=gx, quarantine=quarantine_breaches(streams or {}, settings.quarantine_rate_max))
    for warning in result.warnings():
        log.warning("quality warning: %s", warning)
    for failure in result.failures():
        log.error("quality failure: %s", failure)
    return result

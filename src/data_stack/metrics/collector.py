"""The exporter's collector: every source read at scrape time, each on its own so one broken source (Postgres down,
the lake unreachable) shows as `data_stack_source_up{source}=0` and does not hide the others."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import Metric
from prometheus_client.registry import Collector

from data_stack.ledger import RunRecord
from data_stack.log import get_logger
from data_stack.metrics.families import gauge
from data_stack.metrics.lake import lake_metrics, vendor_api_metrics
from data_stack.metrics.ledger import ledger_metrics, read_runs
from data_stack.metrics.serving import serving_metrics
from data_stack.metrics.warehouse import warehouse_metrics
from data_stack.settings import Settings

log = get_logger(__name__)


class StackCollector(Collector):
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def collect(self) -> Iterator[Metric]:
        started = time.perf_counter()
        up = gauge("source_up", "1 if the source could be read at this scrape.", ["source"])
        for source, read in self._sources(runs=[]):
            try:
                metrics = list(_drain(read))
                ok = True
            except Exception as exc:  # a scrape must answer; the failure is a metric and a log line
                metrics, ok = list(getattr(exc, "partial", [])), False
                log.warning("metrics: cannot read the %s: %s", source, str(exc).splitlines()[0] if str(exc) else exc)
            up.add_metric([source], float(ok))
            yield from metrics
        yield up
        duration = gauge("exporter_scrape_duration_seconds", "Seconds this scrape took to read every source.")
        duration.add_metric([], time.perf_counter() - started)
        yield duration

    def _sources(self, runs: list[RunRecord]) -> Iterable[tuple[str, Callable[[], Iterable[Metric]]]]:
        """In order: the ledger source fills `runs`, which the serving source reads after it."""
        settings = self.settings

        def ledger() -> Iterable[Metric]:
            runs.extend(read_runs(settings))
            return ledger_metrics(runs)

        yield "ledger", ledger
        yield "warehouse", lambda: warehouse_metrics(settings)
        yield "lake", lambda: lake_metrics(settings)
        yield "vendor_api", lambda: vendor_api_metrics(settings)
        if settings.serving_db_url:
            yield "serving", lambda: serving_metrics(settings, runs)


class _Partial(Exception):
    def __init__(self, cause: Exception, partial: list[Metric]) -> None:
        super().__init__(str(cause))
        self.partial = partial


def _drain(read: Callable[[], Iterable[Metric]]) -> Iterator[Metric]:
    """All metrics of a source, or an error carrying those it yielded before failing (e.g. serving_up=0)."""
    done: list[Metric] = []
    try:
        for metric in read():
            done.append(metric)
    except Exception as exc:
        raise _Partial(exc, done) from exc
    yield from done


def exposition(settings: Settings) -> bytes:
    """The metrics as Prometheus' text format, as a scrape would see them."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(StackCollector(settings))
    return generate_latest(registry)

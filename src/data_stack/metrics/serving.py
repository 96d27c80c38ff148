"""Metrics from the Postgres serving layer: is it up, which run does it serve, is that the published run."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import Metric

from data_stack.ledger import RunRecord
from data_stack.metrics.families import epoch, gauge
from data_stack.serving.reader import connect_readonly, served_run
from data_stack.settings import Settings


def serving_metrics(settings: Settings, runs: list[RunRecord]) -> Iterator[Metric]:
    """Only with SERVING_DB_URL; raises when Postgres cannot be read (the collector reports the source down)."""
    up = gauge("serving_up", "1 if the Postgres serving database answered this scrape.")
    try:
        with connect_readonly(settings.serving_db_url or "", application_name="data-stack metrics") as conn:
            run_id = served_run(conn)
    except Exception:
        up.add_metric([], 0)
        yield up
        raise
    up.add_metric([], 1)
    yield up
    if run_id is None:
        return
    served = next((run for run in runs if run.run_id == run_id), None)
    if served is not None:
        started = gauge("served_run_started_timestamp_seconds", "When the run Postgres serves started.")
        started.add_metric([], epoch(served.started_at) or 0)
        yield started
    matches = gauge("serving_matches_published", "1 if Postgres serves the run published in current.duckdb.")
    published = next((run for run in runs if run.published), None)
    matches.add_metric([], float(published is not None and run_id == published.run_id))
    yield matches

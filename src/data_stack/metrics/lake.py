"""Metrics from the lake: files and bytes per zone, and the vendor API's audit logs (requests, circuit breaker).

One code path for a folder and for s3://: DuckDB lists the files (`read_blob` reads only names and sizes when the
content is not selected) and reads the audit JSON lines.
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
from prometheus_client.core import Metric

from data_stack.lake import connect
from data_stack.metrics.families import counter, gauge
from data_stack.settings import Settings

ZONES = {"bronze": "bronze", "quarantine": "quarantine", "cache": "cache", "audit": "audit", "state": "_state"}
OUTCOMES = ("ok", "no_valuation", "rate_limited", "server_error", "transport_error", "key_rejected")


def lake_metrics(settings: Settings) -> Iterator[Metric]:
    files = gauge("lake_files", "Files in each zone of the lake.", ["zone"])
    size = gauge("lake_bytes", "Bytes in each zone of the lake.", ["zone"])
    with connect(settings.lake) as conn:
        for zone, folder in ZONES.items():
            count, total = _usage(conn, f"{settings.lake}/{folder}/**")
            files.add_metric([zone], count)
            size.add_metric([zone], total)
    yield from (files, size)


def vendor_api_metrics(settings: Settings) -> Iterator[Metric]:
    requests = counter("vendor_api_requests", "Vehicle valuation API requests by outcome (audit log).", ["outcome"])
    trips = counter("vendor_api_circuit_breaker_trips", "Times the circuit breaker stopped a vendor API run.")
    is_open = gauge("vendor_api_circuit_open", "1 if the newest vendor API run ended with the circuit breaker open.")
    with connect(settings.lake) as conn:
        outcomes, tripped, newest_open = _audit(conn, f"{settings.lake}/audit/vehicle_api/*.jsonl")
    for outcome in sorted(set(OUTCOMES) | set(outcomes)):
        requests.add_metric([outcome], outcomes.get(outcome, 0))
    trips.add_metric([], tripped)
    is_open.add_metric([], float(newest_open))
    yield from (requests, trips, is_open)


def _usage(conn: duckdb.DuckDBPyConnection, pattern: str) -> tuple[int, int]:
    if not conn.execute("select count(*) from glob(?)", [pattern]).fetchone()[0]:
        return 0, 0
    count, total = conn.execute("select count(*), coalesce(sum(size), 0) from read_blob(?)", [pattern]).fetchone()
    return int(count), int(total)


def _audit(conn: duckdb.DuckDBPyConnection, pattern: str) -> tuple[dict[str, int], int, bool]:
    if not conn.execute("select count(*) from glob(?)", [pattern]).fetchone()[0]:
        return {}, 0, False
    # Audit logs written before `circuit_opened` existed lack the key: it reads as null, i.e. false.
    conn.execute(
        'create temp table audit as select filename, outcome, "at", coalesce(circuit_opened, false) as circuit_opened '
        "from read_json(?, format = 'newline_delimited', filename = true, "
        "columns = {'at': 'varchar', 'outcome': 'varchar', 'circuit_opened': 'boolean'})",
        [pattern],
    )
    outcomes = dict(conn.execute("select outcome, count(*) from audit group by outcome").fetchall())
    tripped = conn.execute("select count(*) from audit where circuit_opened").fetchone()[0]
    newest = conn.execute(
        "select bool_or(circuit_opened) from audit "
        'where filename = (select filename from audit order by "at" desc limit 1)'
    ).fetchone()[0]
    return outcomes, int(tripped), bool(newest)

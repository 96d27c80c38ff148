"""tap-vehicle-values against the mock vendor: retries that honour Retry-After, the circuit breaker, the cache,
the audit log, quarantined answers, and an API key that never reaches a file or a log."""

from __future__ import annotations

from datetime import datetime

import duckdb

from data_stack.mock_api import valuation

from .conftest import FLEET, audit_lines, files_containing, run_tap, tap_config, write_fleet

KNOWN = [(plate, state) for _, plate, state in FLEET if state != "ZZ"]


def test_valuations_reach_bronze_with_an_audit_log_and_no_key_anywhere(mock_vendor, api_key, lake, tmp_path):
    server = mock_vendor(error_rate=0.2, seed=3)
    run = run_tap(tap_config(server.url, api_key, lake, "run-1"), tmp_path, into_target=True)
    assert run.returncode == 0, run.stderr[-3000:]

    with duckdb.connect() as conn:
        bronze = conn.execute(
            "select license_plate, state_code, valuation_usd, valued_at, _run_id "
            f"from read_parquet('{lake}/bronze/vehicles/valuations/*/*.parquet') order by 1"
        ).fetchall()
        quarantined = conn.execute(
            f"select _reason, _raw from read_parquet('{lake}/quarantine/vehicles/valuations/*/*.parquet')"
        ).fetchall()
    assert [(plate, state) for plate, state, *_ in bronze] == sorted(KNOWN)
    for plate, state, value, valued_at, run_id in bronze:
        expected = valuation(plate, state)
        assert float(value) == expected["valuation_usd"] and run_id == "run-1"
        assert valued_at.strftime("%Y-%m-%dT%H:%M:%SZ") == expected["valued_at"]
    assert len(quarantined) == 1 and "HTTP 404" in quarantined[0][0] and "BAD-0006" in quarantined[0][1]

    audit = audit_lines(lake, "run-1")
    assert {"at", "vehicle_key", "attempt", "status", "latency_ms", "outcome"} <= set(audit[0])
    assert sum(line["outcome"] == "ok" for line in audit) == len(KNOWN)
    assert sum(line["outcome"] == "no_valuation" for line in audit) == 1
    assert any(line["outcome"] == "server_error" for line in audit)  # error_rate 0.2: some attempts retried
    assert all(line["latency_ms"] is not None for line in audit if line["status"] is not None)
    assert server.stats.get(500, 0) + server.stats.get(502, 0) + server.stats.get(503, 0) == sum(
        line["outcome"] == "server_error" for line in audit
    )
    assert not any("ROR-0001" in str(line) for line in audit)  # plates are hashed in the audit log

    assert not files_containing(lake, api_key)
    # under tmp_path: the lake, the tap's and target's logs, and the config file Meltano would write
    assert files_containing(tmp_path, api_key) == [tmp_path / "tap-config-run-1.json"]
    assert api_key not in run.stderr and api_key not in run.target_stderr
    assert not any(api_key in str(message) for message in run.messages)


def test_backoff_honours_retry_after(mock_vendor, api_key, tmp_path):
    server = mock_vendor(rate_limit=1)  # one token: the second request within a second gets 429, Retry-After: 1
    lake = tmp_path / "small-lake"
    write_fleet(lake, FLEET[:3])
    run = run_tap(tap_config(server.url, api_key, lake, "run-1"), tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    assert server.stats.get(429, 0) >= 2

    audit = audit_lines(lake, "run-1")
    limited = [i for i, line in enumerate(audit) if line["outcome"] == "rate_limited"]
    assert limited
    for i in limited:
        assert audit[i]["retry_in_s"] >= 1.0
        gap = _seconds(audit[i + 1]["at"]) - _seconds(audit[i]["at"])
        assert gap >= 1.0, f"retried {gap:.2f}s after a 429 with Retry-After: 1"
    assert len(run.records()) == 3  # every vehicle valued in the end


def test_circuit_breaker_stops_with_one_line_and_non_zero_exit(mock_vendor, api_key, lake, tmp_path):
    server = mock_vendor(error_rate=1.0)
    run = run_tap(tap_config(server.url, api_key, lake, "run-1", max_retries=3), tmp_path)
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    (line,) = run.error_lines()
    assert "circuit breaker open after 5 consecutive failed requests" in line and "HTTP 5" in line
    audit = audit_lines(lake, "run-1")  # written even though the run stopped
    assert [line["outcome"] for line in audit] == ["server_error"] * 5
    assert [line["circuit_opened"] for line in audit] == [False] * 4 + [True]
    assert sum(server.stats.values()) == 5  # stopped at the threshold: no further requests
    assert not run.records()


def test_unreachable_api_trips_the_breaker(api_key, lake, tmp_path):
    run = run_tap(tap_config("http://127.0.0.1:9", api_key, lake, "run-1", max_consecutive_failures=3), tmp_path)
    assert run.returncode != 0 and "Traceback" not in run.stderr
    (line,) = run.error_lines()
    assert "circuit breaker open after 3 consecutive failed requests" in line and "ConnectionError" in line
    audit = audit_lines(lake, "run-1")
    assert [line["outcome"] for line in audit] == ["transport_error"] * 3
    assert [line["circuit_opened"] for line in audit] == [False, False, True]


def test_rejected_key_stops_at_once_without_echoing_it(mock_vendor, api_key, lake, tmp_path):
    server = mock_vendor()
    run = run_tap(tap_config(server.url, "wrong-key-123", lake, "run-1"), tmp_path)
    assert run.returncode != 0 and "Traceback" not in run.stderr
    (line,) = run.error_lines()
    assert "rejected the key (HTTP 401)" in line and "VEHICLE_API_KEY" in line
    assert "wrong-key-123" not in run.stderr
    assert sum(server.stats.values()) == 1


def test_cache_prevents_refetch_within_ttl(mock_vendor, api_key, lake, tmp_path):
    server = mock_vendor()
    answers = len(FLEET)  # the 404 is a final answer and is cached too

    # The tap alone: its answers never reached the lake, so they do not count as cached.
    orphan = run_tap(tap_config(server.url, api_key, lake, "run-0"), tmp_path)
    assert orphan.returncode == 0 and sum(server.stats.values()) == answers

    landed = run_tap(tap_config(server.url, api_key, lake, "run-1"), tmp_path, into_target=True)
    assert landed.returncode == 0 and len(landed.records()) == len(KNOWN)
    assert sum(server.stats.values()) == 2 * answers
    assert list((lake / "cache" / "vehicle_values").glob("run-1-*.parquet"))

    cached = run_tap(tap_config(server.url, api_key, lake, "run-2"), tmp_path)
    assert cached.returncode == 0 and not cached.records()
    assert sum(server.stats.values()) == 2 * answers  # nothing requested
    assert f"{len(FLEET)} valued within the last 168h (cached), 0 to request" in cached.stderr

    expired = run_tap(tap_config(server.url, api_key, lake, "run-3", cache_ttl_hours=0), tmp_path)
    assert expired.returncode == 0 and len(expired.records()) == len(KNOWN)
    assert sum(server.stats.values()) == 3 * answers


def _seconds(stamp: str) -> float:
    return datetime.fromisoformat(stamp).timestamp()

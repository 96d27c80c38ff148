"""The mock vendor acts like the vendor: key, parameters, rate limit with Retry-After, injected 5xx, stable values."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from data_stack.mock_api import parse_rate, valuation


def _get(server, api_key: str | None, **params: str) -> requests.Response:
    headers = {"x-rapidapi-key": api_key} if api_key is not None else {}
    return requests.get(f"{server.url}/vmv", params=params, headers=headers, timeout=5)


def test_valuations_are_deterministic_per_plate_and_state(mock_vendor, api_key):
    server = mock_vendor()
    first = _get(server, api_key, license_plate="ror-0001", state_code="ma")
    second = _get(server, api_key, license_plate="ROR-0001 ", state_code="MA")
    other = _get(server, api_key, license_plate="ROR-0001", state_code="VA")
    assert first.status_code == second.status_code == other.status_code == 200
    body = first.json()
    assert body == second.json() == valuation("ROR-0001", "MA")
    assert body["license_plate"] == "ROR-0001" and body["state_code"] == "MA" and body["currency"] == "USD"
    assert 8_000 <= body["valuation_usd"] < 85_000
    assert other.json()["valuation_usd"] != body["valuation_usd"]


def test_missing_or_wrong_key_is_401(mock_vendor, api_key):
    server = mock_vendor()
    assert _get(server, None, license_plate="ROR-0001", state_code="MA").status_code == 401
    wrong = _get(server, "not-the-key", license_plate="ROR-0001", state_code="MA")
    assert wrong.status_code == 401
    assert "not-the-key" not in wrong.text


def test_missing_parameters_are_400_and_unknown_states_404(mock_vendor, api_key):
    server = mock_vendor()
    assert _get(server, api_key, license_plate="ROR-0001").status_code == 400
    assert _get(server, api_key, state_code="MA").status_code == 400
    assert _get(server, api_key, license_plate="ROR-0001", state_code="ZZ").status_code == 404
    assert requests.get(f"{server.url}/health", timeout=5).json() == {"status": "ok"}


def test_rate_limit_answers_429_with_retry_after(mock_vendor, api_key):
    server = mock_vendor(rate_limit=2)
    statuses = [_get(server, api_key, license_plate="ROR-0001", state_code="MA") for _ in range(6)]
    limited = [r for r in statuses if r.status_code == 429]
    assert [r.status_code for r in statuses[:2]] == [200, 200]  # the bucket holds 2 tokens
    assert limited, [r.status_code for r in statuses]
    assert all(int(r.headers["Retry-After"]) >= 1 for r in limited)
    time.sleep(float(limited[-1].headers["Retry-After"]))
    assert _get(server, api_key, license_plate="ROR-0001", state_code="MA").status_code == 200


def test_injected_errors_follow_the_seed_and_request_count(mock_vendor, api_key):
    def statuses(seed: int) -> list[int]:
        server = mock_vendor(error_rate=0.3, seed=seed)
        return [_get(server, api_key, license_plate="ROR-0001", state_code="MA").status_code for _ in range(40)]

    first, again, other = statuses(7), statuses(7), statuses(8)
    assert first == again
    assert first != other
    errors = [status for status in first if status != 200]
    assert 3 <= len(errors) <= 25 and set(errors) <= {500, 502, 503}


def test_parse_rate():
    assert parse_rate("10/s") == 10 and parse_rate("5") == 5 and parse_rate("120/m") == 2
    with pytest.raises(ValueError):
        parse_rate("fast")


def test_mock_api_command_serves_until_stopped(api_key):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cli = str(Path(sys.executable).parent / "data-stack")
    proc = subprocess.Popen(
        [cli, "mock-api", "--port", str(port), "--rate-limit", "50/s"],
        env=dict(os.environ, MOCK_API_KEY=api_key),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"{url}/health", timeout=1)
                break
            except requests.ConnectionError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read() if proc.stdout else ""
                time.sleep(0.2)
        response = requests.get(
            f"{url}/vmv",
            params={"license_plate": "ROR-0001", "state_code": "MA"},
            headers={"x-rapidapi-key": api_key},
            timeout=5,
        )
        assert response.json() == valuation("ROR-0001", "MA")
    finally:
        proc.terminate()
        proc.wait(timeout=10)

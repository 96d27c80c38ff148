"""The mock vendor in a thread on a free 127.0.0.1 port, a lake with a fleet in bronze, and the tap run as Meltano
runs it (a subprocess, optionally piped into target-lake)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from data_stack.mock_api import MockVendorConfig, make_server
from data_stack.mock_api.server import MockVendorServer

ROOT = Path(__file__).resolve().parents[2]
TAP_DIR = ROOT / "meltano" / "plugins" / "tap-vehicle-values"
TARGET_DIR = ROOT / "meltano" / "plugins" / "target-lake"
sys.path.insert(0, str(TAP_DIR))

# (vehicle_id, license_plate, state_code); ZZ is not a state the vendor knows (404 → quarantine).
FLEET = [
    (1, "ROR-0001", "MA"),
    (2, "RPY-0002", "VA"),
    (3, "XTU-0003", "OH"),
    (4, "CWR-0004", "AZ"),
    (5, "FHO-0005", "CO"),
    (6, "BAD-0006", "ZZ"),
]


@pytest.fixture
def api_key() -> str:
    """A distinctive key, so a leak is found by a plain text search."""
    return f"test-key-{secrets.token_hex(8)}"


@pytest.fixture
def mock_vendor(api_key: str) -> Iterator[Callable[..., MockVendorServer]]:
    """Start mock vendors: `mock_vendor(rate_limit=2, error_rate=0.5)`; each is stopped after the test."""
    servers: list[MockVendorServer] = []

    def start(**options: float) -> MockVendorServer:
        server = make_server("127.0.0.1", 0, MockVendorConfig(api_key=api_key, **options))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def write_fleet(lake: Path, fleet: list[tuple[int, str, str]] = FLEET) -> Path:
    """The fleet register as target-lake would have loaded it; returns the Parquet file."""
    folder = lake / "bronze" / "fleet" / "vehicles" / "load_date=2026-01-01"
    folder.mkdir(parents=True, exist_ok=True)
    values = ", ".join(f"({vid}, '{plate}', '{state}')" for vid, plate, state in fleet)
    with duckdb.connect() as conn:
        conn.execute(
            f"copy (select vehicle_id, license_plate, state_code, timestamp '2026-01-01 00:00:00' as _loaded_at, "
            f"'r0' as _run_id from (values {values}) as fleet(vehicle_id, license_plate, state_code)) "
            f"to '{folder / 'r0-1.parquet'}' (format parquet)"
        )
    return folder / "r0-1.parquet"


@pytest.fixture
def lake(tmp_path: Path) -> Path:
    path = tmp_path / "lake"
    write_fleet(path)
    return path


@dataclass
class TapRun:
    returncode: int
    stderr: str
    messages: list[dict]
    seconds: float
    target_stderr: str = ""

    def records(self, stream: str = "vehicles__valuations") -> list[dict]:
        return [m["record"] for m in self.messages if m["type"] == "RECORD" and m["stream"] == stream]

    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if "tap-vehicle-values: error:" in line]


def tap_config(server_url: str, api_key: str, lake: Path, run_id: str, **overrides: object) -> dict:
    config = {
        "api_url": server_url,
        "api_key": api_key,
        "lake_uri": str(lake),
        "run_id": run_id,
        "requests_per_second": 0,
        "backoff_base_seconds": 0.05,
    }
    config.update(overrides)
    return config


def run_tap(
    config: dict, tmp: Path, *, into_target: bool = False, env: dict[str, str] | None = None, timeout: int = 120
) -> TapRun:
    """`python -m tap_vehicle_values --config ...`, alone or piped into target-lake like `meltano run`."""
    env = {**os.environ, **(env or {})}
    run_id = config["run_id"]
    config_file = tmp / f"tap-config-{run_id}.json"
    config_file.write_text(json.dumps(config))
    tap_log, target_log = tmp / f"tap-{run_id}.log", tmp / f"target-{run_id}.log"
    started = time.perf_counter()
    with tap_log.open("w") as tap_err, target_log.open("w") as target_err:
        tap = subprocess.Popen(
            [sys.executable, "-m", "tap_vehicle_values", "--config", str(config_file)],
            cwd=TAP_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=tap_err,
            text=True,
        )
        target = None
        if into_target:
            target_config = tmp / f"target-config-{run_id}.json"
            target_config.write_text(json.dumps({"lake_uri": config["lake_uri"], "run_id": run_id}))
            target = subprocess.Popen(
                [sys.executable, "-m", "target_lake.target", "--config", str(target_config)],
                cwd=TARGET_DIR,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=target_err,
                text=True,
            )
        assert tap.stdout is not None
        messages = []
        for line in tap.stdout:
            if target is not None and target.stdin is not None:
                target.stdin.write(line)
            if line.startswith("{"):
                messages.append(json.loads(line))
        tap.wait(timeout=timeout)
        if target is not None and target.stdin is not None:
            target.stdin.close()
            target.wait(timeout=timeout)
            assert target.returncode == 0, target_log.read_text()[-3000:]
    return TapRun(tap.returncode, tap_log.read_text(), messages, time.perf_counter() - started, target_log.read_text())


def audit_lines(lake: Path, run_id: str) -> list[dict]:
    path = lake / "audit" / "vehicle_api" / f"{run_id}.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def files_containing(root: Path, text: str) -> list[Path]:
    needle = text.encode()
    return [path for path in root.rglob("*") if path.is_file() and needle in path.read_bytes()]

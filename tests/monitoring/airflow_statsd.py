"""The statsd lines a real Airflow sends: its scheduler and DAG processor running for a while, and `airflow dags test`
of a two-task DAG (one task fails), with [metrics] statsd_on pointing at a UDP socket on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

from tests.tools import require_file

from ..stack.tools import AIRFLOW_BIN

PROBE_DAG = """
from airflow.sdk import dag, task


@dag(schedule=None, catchup=False, tags=["probe"])
def statsd_probe():
    @task
    def works():
        return 1

    @task
    def breaks(value):
        raise RuntimeError("fails on purpose")

    breaks(works())


statsd_probe()
"""
# Seen within seconds of the scheduler and DAG processor starting.
SERVICE_LINES = (
    "airflow.scheduler_heartbeat",
    "airflow.dag_processor_heartbeat",
    "airflow.pool.open_slots.default_pool",
)


def _drain(sock: socket.socket, lines: set[str]) -> None:
    while True:
        try:
            data = sock.recv(65535)
        except BlockingIOError:
            return
        lines.update(line for line in data.decode().splitlines() if line)


def collect(home: Path, timeout: float = 90) -> set[str]:
    """Every distinct statsd line (name:value|type) Airflow sent."""
    airflow = require_file(AIRFLOW_BIN, "create Airflow's environment with `make airflow-env`")
    (home / "dags").mkdir(parents=True)
    (home / "dags" / "statsd_probe.py").write_text(PROBE_DAG)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.setblocking(False)
        env = {
            "PATH": f"{Path(airflow).parent}:/usr/bin:/bin",
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__DAGS_FOLDER": str(home / "dags"),
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__METRICS__STATSD_ON": "True",
            "AIRFLOW__METRICS__STATSD_HOST": "127.0.0.1",
            "AIRFLOW__METRICS__STATSD_PORT": str(sock.getsockname()[1]),
            "AIRFLOW__METRICS__STATSD_PREFIX": "airflow",
        }
        run = {"env": env, "capture_output": True, "text": True, "timeout": 300}
        migrated = subprocess.run([airflow, "db", "migrate"], **run)
        assert migrated.returncode == 0, migrated.stderr[-2000:]
        tested = subprocess.run([airflow, "dags", "test", "statsd_probe"], **run)
        assert tested.returncode != 0, "the probe DAG has a failing task"
        lines: set[str] = set()
        _drain(sock, lines)
        logs = [(home / f"{name}.log").open("w") for name in ("scheduler", "dag-processor")]
        processes = [
            subprocess.Popen([airflow, name], env=env, stdout=log, stderr=subprocess.STDOUT)
            for name, log in zip(("scheduler", "dag-processor"), logs, strict=True)
        ]
        try:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and not all(
                any(line.startswith(name + ":") for line in lines) for name in SERVICE_LINES
            ):
                time.sleep(0.5)
                _drain(sock, lines)
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            for log in logs:
                log.close()
        _drain(sock, lines)
    return lines

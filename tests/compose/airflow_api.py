"""Airflow's REST API as the stack test uses it: a token for `admin`, trigger a DAG run, follow it, its tasks."""

from __future__ import annotations

import time
from dataclasses import dataclass

import requests

DAG = "northwind_pipeline"
FINISHED = {"success", "failed"}


@dataclass
class Airflow:
    base: str
    password: str

    def _headers(self) -> dict[str, str]:
        token = requests.post(
            f"{self.base}/auth/token", json={"username": "admin", "password": self.password}, timeout=15
        )
        token.raise_for_status()
        return {"Authorization": f"Bearer {token.json()['access_token']}"}

    def get(self, path: str, **params) -> dict:
        response = requests.get(f"{self.base}/api/v2{path}", headers=self._headers(), params=params, timeout=15)
        response.raise_for_status()
        return response.json()

    def runs(self, dag: str = DAG) -> list[dict]:
        return self.get(f"/dags/{dag}/dagRuns", order_by="run_after", limit=100)["dag_runs"]

    def trigger(self, dag: str = DAG) -> str:
        response = requests.post(
            f"{self.base}/api/v2/dags/{dag}/dagRuns", headers=self._headers(), json={"logical_date": None}, timeout=15
        )
        response.raise_for_status()
        return response.json()["dag_run_id"]

    def run(self, run_id: str, dag: str = DAG) -> dict:
        return self.get(f"/dags/{dag}/dagRuns/{run_id}")

    def tasks(self, run_id: str, dag: str = DAG) -> dict[str, dict]:
        items = self.get(f"/dags/{dag}/dagRuns/{run_id}/taskInstances")["task_instances"]
        return {item["task_id"]: item for item in items}

    def wait_finished(self, run_id: str, timeout: float, on_poll=None) -> dict:
        """The run once it succeeded or failed; `on_poll(tasks)` is called at every poll (a fault test acts there)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                run = self.run(run_id)
                if on_poll is not None:
                    on_poll(self.tasks(run_id))
            except requests.RequestException:
                run = {"state": "unknown (API not answering)"}  # e.g. while its database restarts
            if run["state"] in FINISHED:
                return run
            if time.monotonic() > deadline:
                raise AssertionError(f"DAG run {run_id} not finished after {timeout:.0f}s: {run['state']}")
            time.sleep(2)

    def first_run_id(self, timeout: float) -> str:
        """The first run the scheduler started by itself (the DAG is unpaused at creation)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                runs = self.runs()
                if runs:
                    return runs[0]["dag_run_id"]
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"no {DAG} run started within {timeout:.0f}s of the stack being ready")
            time.sleep(3)


def task_summary(tasks: dict[str, dict]) -> dict[str, dict]:
    """Per task: state, tries, seconds (Airflow's duration)."""
    return {
        name: {"state": item["state"], "tries": item["try_number"], "seconds": round(item.get("duration") or 0, 1)}
        for name, item in tasks.items()
    }

"""Run `dbt test` against the build database and count the results."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from data_stack.settings import Settings
from data_stack.transform.dbt_cli import dbt_failed, dbt_paths, run_dbt, start_ahead

# The gate judges the data. dbt's unit tests judge model logic on fixed fixture rows, so they change only when the
# models do: `make test` runs them (tests/dbt: `dbt build`), a pipeline run does not (dbt's advice for production).
TEST_ARGS = ["test", "--exclude-resource-type", "unit_test"]


@dataclass
class DbtTestResult:
    passed: int = 0
    failed: int = 0
    warned: int = 0
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"passed": self.passed, "failed": self.failed, "warned": self.warned}


def start_tests_ahead(settings: Settings, run_id: str) -> None:
    """`dbt test` for this run, imported while the models build. It parses when its stage starts: until then
    `dbt run` writes dbt's target folder."""
    start_ahead(settings, run_id, TEST_ARGS, parse=False)


def run_dbt_tests(settings: Settings, run_id: str) -> DbtTestResult:
    paths = dbt_paths(settings)
    results_file = Path(paths["DBT_TARGET_PATH"]) / "run_results.json"
    results_file.unlink(missing_ok=True)
    proc = run_dbt(
        settings,
        run_id,
        TEST_ARGS,
        label="check: dbt test",
        log_file=settings.warehouse / "logs" / run_id / "dbt-test.log",
    )
    if not results_file.exists():
        raise dbt_failed(settings, proc, "dbt test did not run", "")
    return count_results(json.loads(results_file.read_text()))


def count_results(run_results: dict) -> DbtTestResult:
    result = DbtTestResult()
    for item in run_results.get("results", []):
        name = item["unique_id"].split(".", 2)[-1]
        status = item["status"]
        if status == "pass":
            result.passed += 1
        elif status == "warn":
            result.warned += 1
            result.warnings.append(name)
        elif status in ("fail", "error"):
            result.failed += 1
            result.failures.append(f"{name}: {(item.get('message') or status)[:200]}")
    return result

"""The data tests of the run's build: counted from its `dbt build`, or run with `dbt test` when it has none."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from data_stack.settings import Settings
from data_stack.transform.dbt_cli import dbt_failed, dbt_paths, run_dbt

# A pipeline run's data tests run inside its `dbt build` (transform stage), interleaved with the models; the gate
# judges their results. A build without them, or changed since they were kept, has its tests run here. dbt's unit
# tests judge model logic on fixture rows: `make test` runs them, a pipeline run does not.
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


def run_dbt_tests(settings: Settings, run_id: str) -> DbtTestResult:
    built = settings.dbt_build_results(run_id)
    if _judge_the_build(built, settings.build_db(run_id)):
        return count_results(json.loads(built.read_text()))
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


def _judge_the_build(results: Path, build_db: Path) -> bool:
    """The kept results of `dbt build` still describe the build: written after its last change."""
    if not results.exists() or not build_db.exists():
        return False
    changed = max(
        path.stat().st_mtime for path in (build_db, build_db.with_name(build_db.name + ".wal")) if path.exists()
    )
    return results.stat().st_mtime >= changed


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

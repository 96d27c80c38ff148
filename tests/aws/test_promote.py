"""`data-stack promote --env dev` without AWS credentials: every check, then the rehearsal on moto's server — the
resources the Terraform declares, the local lake copied, its partitions registered — and the plan of the real run."""

from __future__ import annotations

import json
import os
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

from tests.e2e.conftest import CLI, Stack

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def promoted(tmp_path_factory):
    stack = Stack(tmp_path_factory.mktemp("promote"))
    stack.generate()
    stack.cli("run")
    env = {key: value for key, value in stack.env.items() if not key.startswith("AWS_")}
    env["HOME"] = str(stack.root)  # no ~/.aws: nothing to find but the rehearsal
    result = subprocess.run(
        [CLI, "promote", "--env", "dev", "--json"], env=env, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return stack, json.loads(result.stdout)


def _step(outcome: dict, fragment: str) -> int:
    (step,) = [s for s in outcome["steps"] if fragment in s["action"]]
    return step["count"]


def test_without_credentials_it_rehearses_after_every_check(promoted):
    _, outcome = promoted
    assert outcome["mode"] == "rehearsal"
    assert outcome["checks"] == {
        "terraform fmt": "passed",
        "checkov": "passed",
        "Terraform property checks": "passed",
    }


def test_the_declared_resources_are_created(promoted):
    _, outcome = promoted
    names = outcome["names"]
    assert names["buckets"] == {
        "landing": "northwind-data-stack-dev-landing",
        "lake": "northwind-data-stack-dev-lake",
        "athena_results": "northwind-data-stack-dev-athena-results",
        "access_logs": "northwind-data-stack-dev-access-logs",
    }
    assert _step(outcome, "S3 buckets") == 4
    assert _step(outcome, "Glue databases") == 3
    tables = json.loads((ROOT / "aws/terraform/modules/catalog/bronze_tables.json").read_text())["tables"]
    assert _step(outcome, "Glue tables") == len(tables) == names["bronze_tables"]
    assert _step(outcome, "Athena workgroup") == 1


def test_the_lake_is_copied_and_every_partition_registered(promoted):
    stack, outcome = promoted
    lake = stack.root / "lake"
    files = [p for prefix in ("bronze", "quarantine", "_state", "cache", "audit") for p in (lake / prefix).rglob("*")]
    files = [p for p in files if p.is_file()]
    assert _step(outcome, "copied the lake") == len(files) == _step(outcome, "objects now in")
    dates: dict[str, set[str]] = defaultdict(set)
    for path in (lake / "bronze").rglob("*.parquet"):
        source, stream, partition = path.relative_to(lake / "bronze").parts[:3]
        dates[f"{source}__{stream}"].add(partition)
    expected = sum(len(days) for days in dates.values())
    assert expected > 0
    assert _step(outcome, "registered bronze partitions") == expected == _step(outcome, "partitions Glue now lists")


def test_the_plan_of_the_real_promotion_is_printed(promoted):
    _, outcome = promoted
    plan = " | ".join(outcome["planned"])
    for fragment in ("terraform", "init", "apply", "dbt build --target athena", "RDS"):
        assert fragment in plan


def test_a_missing_tool_or_half_a_credential_is_one_line(tmp_path):
    env = dict(os.environ, PATH=str(Path(CLI).parent), HOME=str(tmp_path))  # no terraform on PATH
    env.pop("AWS_ACCESS_KEY_ID", None)
    result = subprocess.run([CLI, "promote", "--env", "dev"], env=env, capture_output=True, text=True)
    assert result.returncode == 1 and "terraform is not on PATH" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    half = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDEXAMPLE", HOME=str(tmp_path))
    half.pop("AWS_SECRET_ACCESS_KEY", None)
    result = subprocess.run([CLI, "promote", "--env", "dev"], env=half, capture_output=True, text=True)
    assert result.returncode == 1 and "AWS_SECRET_ACCESS_KEY is not" in result.stderr
    unknown = subprocess.run([CLI, "promote", "--env", "qa"], capture_output=True, text=True)
    assert unknown.returncode == 1 and "No Terraform environment 'qa'" in unknown.stderr

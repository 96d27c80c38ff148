"""The alert rules: valid (promtool check rules), their unit tests pass (promtool test rules), every alert has a test
where it fires and one where it does not, a severity, a summary, a description and a runbook section."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from .monitoring_files import PROMETHEUS_DIR, RUNBOOK, alert_rules, rule_files, rule_test_files
from .promtool import promtool

SEVERITIES = {"critical", "warning"}


def test_promtool_accepts_the_rule_files():
    result = promtool("check", "rules", *map(str, rule_files()))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_rule_unit_tests_pass():
    result = promtool("test", "rules", *map(str, rule_test_files()), cwd=PROMETHEUS_DIR)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_unit_tests_catch_a_changed_threshold(tmp_path):
    copy = tmp_path / "prometheus"
    shutil.copytree(PROMETHEUS_DIR, copy)
    rules = copy / "rules" / "pipeline.yml"
    rules.write_text(rules.read_text().replace("> 0.05", "> 0.10"))
    result = promtool("test", "rules", *(str(path.relative_to(PROMETHEUS_DIR)) for path in rule_test_files()), cwd=copy)
    assert result.returncode != 0
    assert "QuarantineRateHigh" in result.stdout + result.stderr


def outcomes_in_rule_tests() -> dict[str, set[str]]:
    """alert name -> {"fires", "silent"}: what the promtool test files show it doing."""
    outcomes: dict[str, set[str]] = {}
    for path in rule_test_files():
        for test in yaml.safe_load(path.read_text())["tests"]:
            for case in test.get("alert_rule_test", []):
                outcomes.setdefault(case["alertname"], set()).add("fires" if case.get("exp_alerts") else "silent")
    return outcomes


def test_every_rule_file_is_loaded_by_a_test_file():
    loaded = set()
    for path in rule_test_files():
        for name in yaml.safe_load(path.read_text())["rule_files"]:
            loaded.add((path.parent / name).resolve())
    assert {path.resolve() for path in rule_files()} <= loaded


def test_every_alert_is_tested_firing_and_not_firing():
    outcomes = outcomes_in_rule_tests()
    missing = {name: sorted({"fires", "silent"} - outcomes.get(name, set())) for name in alert_rules()}
    assert {name: gaps for name, gaps in missing.items() if gaps} == {}
    assert set(outcomes) <= set(alert_rules()), "tests for alerts that do not exist"


def test_the_alerts_the_issue_asks_for_are_there():
    assert set(alert_rules()) >= {
        "PipelineRunFailed",
        "DataProductStale",
        "NoSuccessfulRun",
        "QualityGateFailed",
        "QuarantineRateHigh",
        "ExporterDown",
        "ServingLagging",
        "VendorApiCircuitOpen",
        "AirflowSchedulerHeartbeatMissing",
    }


@pytest.mark.parametrize("name", sorted(alert_rules()))
def test_every_alert_has_a_severity_and_its_annotations(name):
    rule = alert_rules()[name]
    assert rule["labels"]["severity"] in SEVERITIES
    assert {"summary", "description", "runbook_url"} <= set(rule["annotations"])


def github_anchor(heading: str) -> str:
    """The id GitHub gives a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def runbook_anchors() -> set[str]:
    return {github_anchor(line.lstrip("#")) for line in RUNBOOK.read_text().splitlines() if line.startswith("## ")}


def test_the_anchor_function_matches_github():
    assert github_anchor("PipelineRunFailed") == "pipelinerunfailed"
    assert github_anchor("Stale data: what now?") == "stale-data-what-now"


@pytest.mark.parametrize("name", sorted(alert_rules()))
def test_every_runbook_url_points_at_a_section_of_the_alert_runbook(name):
    url = alert_rules()[name]["annotations"]["runbook_url"]
    path, _, anchor = url.partition("#")
    assert path == "docs/runbooks/alerts.md"
    assert anchor == github_anchor(name), "the section is named after the alert"
    assert anchor in runbook_anchors(), f"no '## {name}' in {RUNBOOK.name}"

"""docs/monitoring.md lists every alert as the rules define it (expression, for, severity) and every airflow_* metric
the mapping makes; the links of the alert runbook lead to files and sections that exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .monitoring_files import MONITORING_DOC, RUNBOOK, STATSD_MAPPING, alert_rules
from .statsd_mapper import Mapper
from .test_alert_rules import github_anchor

ALERT_ROW = re.compile(r"^\| \[(\w+)\]\([^)]*\) \| `(.+?)` \| .+? \| ([^|]+) \| (\w+) \|$")


def documented_alerts() -> dict[str, tuple[str, str, str]]:
    """alert -> (expression, for, severity) from the doc's alert table."""
    rows = {}
    for line in MONITORING_DOC.read_text().splitlines():
        if match := ALERT_ROW.match(line):
            name, expr, duration, severity = match.groups()
            rows[name] = (expr.replace("\\|", "|"), duration.strip(), severity)
    return rows


def squash(text: str) -> str:
    return " ".join(text.split())


def test_the_doc_lists_every_alert_as_the_rules_define_it():
    documented = documented_alerts()
    assert set(documented) == set(alert_rules())
    for name, rule in alert_rules().items():
        expr, duration, severity = documented[name]
        assert squash(expr) == squash(rule["expr"]), name
        assert duration == rule.get("for", "—"), name
        assert severity == rule["labels"]["severity"], name


def test_the_doc_lists_every_airflow_metric_of_the_mapping():
    doc = MONITORING_DOC.read_text()
    names = {rule.name for rule in Mapper.load(STATSD_MAPPING).rules if rule.action != "drop"}
    assert sorted(name for name in names if f"`{name}`" not in doc) == []


def links(path: Path) -> list[tuple[str, str]]:
    """(file, anchor) of every relative Markdown link."""
    found = []
    for target in re.findall(r"\]\(([^)\s]+)\)", path.read_text()):
        if target.startswith(("http://", "https://")):
            continue
        file, _, anchor = target.partition("#")
        found.append((file, anchor))
    return found


def anchors(path: Path) -> set[str]:
    return {github_anchor(line.lstrip("#")) for line in path.read_text().splitlines() if line.startswith("#")}


@pytest.mark.parametrize("doc", [RUNBOOK, MONITORING_DOC], ids=lambda path: path.name)
def test_every_link_leads_to_a_file_and_section_that_exist(doc):
    broken = []
    for file, anchor in links(doc):
        target = (doc.parent / file).resolve() if file else doc
        if not target.exists():
            broken.append(f"{file}: no such file")
        elif anchor and target.suffix == ".md" and anchor not in anchors(target):
            broken.append(f"{file}#{anchor}: no such section")
    assert broken == []

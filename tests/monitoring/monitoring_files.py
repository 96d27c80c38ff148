"""Where the monitoring configuration lives, and how to read it: rule files, promtool test files, dashboards."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
MONITORING = ROOT / "monitoring"
PROMETHEUS_DIR = MONITORING / "prometheus"
PROMETHEUS_CONFIG = PROMETHEUS_DIR / "prometheus.yml"
RULES_DIR = PROMETHEUS_DIR / "rules"
RULE_TESTS_DIR = PROMETHEUS_DIR / "tests"
ALERTMANAGER_DIR = MONITORING / "alertmanager"
ALERTMANAGER_CONFIG = ALERTMANAGER_DIR / "alertmanager.yml"
ALERTMANAGER_START = ALERTMANAGER_DIR / "start.sh"
STATSD_MAPPING = MONITORING / "statsd" / "mapping.yml"
GRAFANA_DIR = MONITORING / "grafana"
DATASOURCES = GRAFANA_DIR / "provisioning" / "datasources"
DASHBOARD_PROVIDERS = GRAFANA_DIR / "provisioning" / "dashboards"
DASHBOARDS_DIR = GRAFANA_DIR / "dashboards"
RUNBOOK = ROOT / "docs" / "runbooks" / "alerts.md"
MONITORING_DOC = ROOT / "docs" / "monitoring.md"

PROMTOOL_HINT = "run scripts/install-prometheus.sh (make test does)"


def rule_files() -> list[Path]:
    return sorted(RULES_DIR.glob("*.yml"))


def rule_test_files() -> list[Path]:
    return sorted(RULE_TESTS_DIR.glob("*.yml"))


def alert_rules() -> dict[str, dict[str, Any]]:
    """alert name -> its rule, over every rule file."""
    alerts = {}
    for path in rule_files():
        for group in yaml.safe_load(path.read_text())["groups"]:
            for rule in group["rules"]:
                if "alert" in rule:
                    assert rule["alert"] not in alerts, f"alert {rule['alert']} defined twice"
                    alerts[rule["alert"]] = rule
    return alerts


def dashboards() -> dict[str, dict[str, Any]]:
    return {path.name: json.loads(path.read_text()) for path in sorted(DASHBOARDS_DIR.glob("*.json"))}


def panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    """Every panel, rows' collapsed panels included."""
    found = []
    for panel in dashboard.get("panels", []):
        found.append(panel)
        found.extend(panel.get("panels", []))
    return found

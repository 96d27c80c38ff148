"""monitoring/alertmanager: amtool accepts the config, start.sh puts the team's webhook URL in (literally, whatever
characters it holds) or refuses a bad one, and the commented mail example is valid once uncommented."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import yaml

from tests.tools import require_command

from .monitoring_files import ALERTMANAGER_CONFIG, ALERTMANAGER_START, PROMTOOL_HINT, alert_rules
from .promtool import amtool

PLACEHOLDER = "http://alert-webhook.invalid/set-ALERT_WEBHOOK_URL-in-.env"


def check(path: Path) -> subprocess.CompletedProcess:
    return amtool("check-config", str(path))


def start(tmp_path: Path, url: str | None, command: list[str]) -> tuple[subprocess.CompletedProcess, Path]:
    """start.sh as compose runs it (POSIX sh), with `command` in place of /bin/alertmanager."""
    config = tmp_path / "alertmanager.yml"
    env = {
        "PATH": os.environ["PATH"],
        "ALERTMANAGER_TEMPLATE": str(ALERTMANAGER_CONFIG),
        "ALERTMANAGER_CONFIG": str(config),
    }
    if url is not None:
        env["ALERT_WEBHOOK_URL"] = url
    result = subprocess.run(["sh", str(ALERTMANAGER_START), *command], env=env, capture_output=True, text=True)
    return result, config


def webhook_urls(path: Path) -> list[str]:
    receivers = yaml.safe_load(path.read_text())["receivers"]
    return [hook["url"] for receiver in receivers for hook in receiver.get("webhook_configs", [])]


def test_amtool_accepts_the_config():
    result = check(ALERTMANAGER_CONFIG)
    assert result.returncode == 0, result.stdout + result.stderr


def test_amtool_rejects_a_route_to_an_unknown_receiver(tmp_path):
    broken = tmp_path / "alertmanager.yml"
    broken.write_text(ALERTMANAGER_CONFIG.read_text().replace("receiver: data-team", "receiver: nobody", 1))
    assert check(broken).returncode != 0


def test_the_committed_config_holds_the_placeholder_only():
    assert webhook_urls(ALERTMANAGER_CONFIG) == [PLACEHOLDER]


def test_start_writes_the_webhook_url_literally_and_runs_the_command(tmp_path):
    url = "https://chat.example.com/hooks/T0/B1?token=a&b=c|d\\e%20f"
    amtool_bin = require_command("amtool", PROMTOOL_HINT)
    result, config = start(tmp_path, url, [amtool_bin, "check-config", str(tmp_path / "alertmanager.yml")])
    assert result.returncode == 0, result.stdout + result.stderr  # the command it ran: amtool on the written file
    assert webhook_urls(config) == [url]
    assert config.stat().st_mode & 0o077 == 0, "the URL may carry a token: the file is private"


def test_start_without_a_url_keeps_the_placeholder(tmp_path):
    result, config = start(tmp_path, "", ["true"])
    assert result.returncode == 0, result.stderr
    assert webhook_urls(config) == [PLACEHOLDER]


def test_start_refuses_a_url_it_cannot_write_safely(tmp_path):
    for url in ("chat.example.com/hook", "https://example.com/a'b", "https://example.com/a b"):
        result, _ = start(tmp_path, url, ["true"])
        assert result.returncode == 1, url
        assert "ALERT_WEBHOOK_URL" in result.stderr


def test_the_mail_example_is_valid_once_uncommented(tmp_path):
    text = ALERTMANAGER_CONFIG.read_text()
    text = re.sub(r"(?m)^  # (smtp_\w+:)", r"  \1", text)
    text = re.sub(r"(?m)^    # (email_configs:)", r"    \1", text)
    text = re.sub(r"(?m)^    #   (- to:)", r"      \1", text)
    text = re.sub(r"(?m)^    #     (send_resolved:)", r"        \1", text)
    mail = tmp_path / "alertmanager.yml"
    mail.write_text(text)
    config = yaml.safe_load(text)
    assert config["global"]["smtp_smarthost"] and config["receivers"][0]["email_configs"][0]["to"]
    result = check(mail)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_inhibition_names_alerts_that_exist():
    alerts = set(alert_rules())
    for rule in yaml.safe_load(ALERTMANAGER_CONFIG.read_text())["inhibit_rules"]:
        for matcher in rule["source_matchers"] + rule["target_matchers"]:
            name = re.fullmatch(r'alertname="(\w+)"', matcher)
            assert name and name.group(1) in alerts, matcher

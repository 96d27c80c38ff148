"""monitoring/prometheus/prometheus.yml is a valid config (promtool, which also loads the rule files it names), and
it scrapes what compose runs: each target is a compose service on the port that service listens on."""

from __future__ import annotations

import shutil

import yaml

from ..stack.stack_files import ENV_EXAMPLE, command_words, load_compose, read_env_file, resolved_services
from .monitoring_files import PROMETHEUS_CONFIG, PROMETHEUS_DIR
from .promtool import promtool

# The port each scraped service listens on inside the network, from its compose definition.
LISTENS = {"metrics-exporter": "--port", "prometheus": "--web.listen-address", "alertmanager": "--web.listen-address"}


def config() -> dict:
    return yaml.safe_load(PROMETHEUS_CONFIG.read_text())


def test_promtool_accepts_the_config_and_its_rule_files():
    result = promtool("check", "config", str(PROMETHEUS_CONFIG))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 rule files found" in result.stdout or "rule files found" in result.stdout


def test_promtool_rejects_a_config_whose_rule_file_is_broken(tmp_path):
    copy = tmp_path / "prometheus"
    shutil.copytree(PROMETHEUS_DIR, copy)
    rule = next((copy / "rules").glob("*.yml"))
    rule.write_text(rule.read_text().replace("expr: ", "expr: sum(", 1))
    result = promtool("check", "config", str(copy / "prometheus.yml"))
    assert result.returncode != 0


def listening_port(service: dict, name: str) -> int:
    words = command_words(service)
    flag = LISTENS[name]
    for index, word in enumerate(words):
        if word == flag:
            return int(words[index + 1])
        if word.startswith(flag + "="):
            return int(word.rsplit(":", 1)[-1])
    raise AssertionError(f"{name}: no {flag} in its command")


def test_every_target_is_a_compose_service_on_the_port_it_listens_on():
    services = resolved_services(load_compose(), read_env_file(ENV_EXAMPLE))
    targets = {
        job["job_name"]: target
        for job in config()["scrape_configs"]
        for static in job["static_configs"]
        for target in static["targets"]
    }
    assert set(targets) == {"data-stack", "airflow", "alertmanager", "prometheus"}
    assert targets["prometheus"] == "localhost:9090"
    assert listening_port(services["prometheus"], "prometheus") == 9090
    for job, name in (("data-stack", "metrics-exporter"), ("alertmanager", "alertmanager")):
        host, port = targets[job].split(":")
        assert host == name and host in services
        assert int(port) == listening_port(services[name], name), job
    # statsd-exporter's web port is its default (9102): the command does not change it.
    assert targets["airflow"] == "statsd-exporter:9102"
    assert not any("web.listen-address" in word for word in command_words(services["statsd-exporter"]))
    (alertmanager,) = config()["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"]
    assert alertmanager == targets["alertmanager"]


def test_compose_mounts_the_config_folder_where_the_command_reads_it():
    services = resolved_services(load_compose(), read_env_file(ENV_EXAMPLE))
    prometheus = services["prometheus"]
    mounts = {str(spec).split(":")[1]: str(spec).split(":")[0] for spec in prometheus["volumes"]}
    assert mounts["/etc/prometheus"] == "./monitoring/prometheus"
    assert "--config.file=/etc/prometheus/prometheus.yml" in command_words(prometheus)

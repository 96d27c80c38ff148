""".devcontainer/devcontainer.json: valid against the spec's base schema (a copy in schemas/, as CI has no ../shared),
pinned, sized for the stack, running only commands the repository has, forwarding exactly compose's ports."""

from __future__ import annotations

import json
import re
import shlex

import jsonschema

from .stack_files import DEVCONTAINER, DEVCONTAINER_SCHEMA, ROOT, is_pinned, parse_port
from .test_dockerfile import TELEMETRY_OFF

COMMANDS = ("initializeCommand", "onCreateCommand", "updateContentCommand", "postCreateCommand", "postStartCommand")


def config() -> dict:
    return json.loads(DEVCONTAINER.read_text())


def schema_errors(document: dict) -> list[str]:
    validator = jsonschema.Draft201909Validator(json.loads(DEVCONTAINER_SCHEMA.read_text()))
    return [error.message for error in validator.iter_errors(document)]


def make_targets() -> set[str]:
    return set(re.findall(r"^([A-Za-z0-9_-]+):", (ROOT / "Makefile").read_text(), re.MULTILINE))


def commands(document: dict) -> list[list[str]]:
    found = []
    for key in COMMANDS:
        value = document.get(key)
        values = value.values() if isinstance(value, dict) else [value] if value else []
        for item in values:
            words = item if isinstance(item, list) else shlex.split(item)
            found.append(words)
    return found


def test_valid_against_the_base_schema():
    assert schema_errors(config()) == []


def test_the_schema_check_rejects_a_bad_file():
    assert schema_errors({**config(), "hostRequirements": {"cpus": 4, "memory": "16 GB"}})
    assert schema_errors({**config(), "forwardPort": [8501]})


def test_pinned_image_and_features():
    document = config()
    assert is_pinned(document["image"]) and "python:" in document["image"] and "-3.11-" in document["image"]
    assert document["features"], "docker-in-docker runs the compose stack"
    assert all(is_pinned(feature) for feature in document["features"]), document["features"]
    assert any("docker-in-docker" in feature for feature in document["features"])


def test_sized_for_the_stack():
    requirements = config()["hostRequirements"]
    assert requirements["cpus"] >= 4
    assert int(requirements["memory"].removesuffix("gb")) >= 16


def test_runs_only_what_the_repository_has():
    found = commands(config())
    assert found, "the container bootstraps itself"
    for words in found:
        for index, word in enumerate(words):
            if word == "make":
                assert words[index + 1] in make_targets(), f"no Makefile target {words[index + 1]}"
            elif "/" in word and not word.startswith("-"):
                assert (ROOT / word).exists(), f"{word} is not in the repository"
    assert ["make", "bootstrap"] in found


def test_forwards_exactly_the_ports_compose_publishes(services):
    published = {
        parse_port(spec).host_port
        for service in services.values()
        if not service.get("profiles")
        for spec in service.get("ports") or []
    }
    document = config()
    assert set(document["forwardPorts"]) == published
    labels = document["portsAttributes"]
    assert {int(port) for port in labels} == published
    assert all(attributes.get("label") for attributes in labels.values())


def test_telemetry_off():
    env = config()["containerEnv"]
    assert {name: env.get(name) for name in TELEMETRY_OFF} == TELEMETRY_OFF

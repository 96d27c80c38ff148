"""Expectation suites as data: one YAML file per gold data product in `quality/suites/`."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

SUITES_PACKAGE = "data_stack.quality.suites"


@dataclass(frozen=True)
class SuiteSpec:
    model: str
    domain: str
    expectations: list[tuple[str, dict[str, Any]]]


def load_suites() -> list[SuiteSpec]:
    specs = []
    for entry in sorted(resources.files(SUITES_PACKAGE).iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".yml"):
            continue
        raw = yaml.safe_load(entry.read_text(encoding="utf-8"))
        expectations = []
        for item in raw["expectations"]:
            ((name, kwargs),) = item.items()
            expectations.append((name, dict(kwargs or {})))
        specs.append(SuiteSpec(model=raw["model"], domain=raw["domain"], expectations=expectations))
    return specs


def expectation_class_name(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))

"""Primary keys of the gold marts, read from their dbt contract (`_<domain>__models.yml`).

A model's key is its column tested `unique` and `not_null`, or else the columns of its model-level
`unique_combination` test when each of them is tested `not_null`. The gate has checked both on the data being
served, so the Postgres primary key cannot fail on a published run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def primary_keys(dbt_dir: Path) -> dict[str, tuple[str, ...]]:
    """Model name → key columns for every mart model that has one."""
    keys: dict[str, tuple[str, ...]] = {}
    for path in sorted((dbt_dir / "models" / "marts").rglob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for model in document.get("models") or []:
            key = _model_key(model)
            if key:
                keys[model["name"]] = key
    return keys


def _model_key(model: dict[str, Any]) -> tuple[str, ...]:
    not_null: set[str] = set()
    for column in model.get("columns") or []:
        tests = _test_names(column)
        if "not_null" in tests:
            not_null.add(column["name"])
        if {"unique", "not_null"} <= tests:
            return (column["name"],)
    for test in model.get("data_tests") or model.get("tests") or []:
        if not isinstance(test, dict):
            continue
        for name, spec in test.items():
            if not name.split(".")[-1].startswith("unique_combination"):
                continue
            spec = spec or {}
            columns = (spec.get("arguments") or spec).get("combination_of_columns") or []
            if columns and set(columns) <= not_null:
                return tuple(columns)
    return ()


def _test_names(column: dict[str, Any]) -> set[str]:
    names = set()
    for test in column.get("data_tests") or column.get("tests") or []:
        name = test if isinstance(test, str) else next(iter(test), "")
        names.add(name.split(".")[-1])
    return names

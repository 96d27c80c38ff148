"""The data products and their lineage, from the manifest dbt wrote for the newest build."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from data_stack.errors import UserError
from data_stack.settings import Settings


def manifest_path(settings: Settings) -> Path:
    return settings.warehouse / "dbt" / "target" / "manifest.json"  # DBT_TARGET_PATH of the transform stage


def load_manifest(settings: Settings) -> dict[str, Any]:
    path = manifest_path(settings)
    if not path.exists():
        raise UserError(f"No dbt manifest at {path}", "Run `data-stack run` (or `data-stack transform`) first")
    stat = path.stat()
    return _read(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=2)
def _read(path: str, mtime_ns: int, size: int) -> dict[str, Any]:
    return json.loads(Path(path).read_text())


def data_products(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """Gold data products: the models with an enforced contract, with owner, access, columns and tests."""
    groups = {group["name"]: group for group in manifest.get("groups", {}).values()}
    products = []
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or not (node["config"].get("contract") or {}).get("enforced"):
            continue
        group = groups.get(node.get("group") or "", {})
        products.append(
            {
                "name": f"{node['schema']}.{node['alias']}",
                "model": node["name"],
                "description": (node.get("description") or "").strip(),
                "group": node.get("group"),
                "owner": group.get("owner") or {},
                "access": node.get("access"),
                "materialized": node["config"].get("materialized"),
                "columns": [
                    {
                        "name": column["name"],
                        "data_type": column.get("data_type"),
                        "description": (column.get("description") or "").strip(),
                    }
                    for column in node["columns"].values()
                ],
                "tests": _tests(manifest, node["unique_id"]),
            }
        )
    return sorted(products, key=lambda product: product["name"])


def lineage(manifest: dict[str, Any], model: str) -> dict[str, Any]:
    """The model's direct parents (models, sources) and children (models), and everything upstream/downstream."""
    unique_id = _find(manifest, model)
    parents, children = manifest["parent_map"], manifest["child_map"]
    return {
        "model": _label(manifest, unique_id),
        "parents": sorted(_label(manifest, item) for item in parents.get(unique_id, []) if _is_data(item)),
        "children": sorted(_label(manifest, item) for item in children.get(unique_id, []) if _is_data(item)),
        "upstream": sorted(_label(manifest, item) for item in _closure(parents, unique_id)),
        "downstream": sorted(_label(manifest, item) for item in _closure(children, unique_id)),
    }


def _tests(manifest: dict[str, Any], unique_id: str) -> list[dict[str, Any]]:
    tests = []
    for child in manifest["child_map"].get(unique_id, []):
        node = manifest["nodes"].get(child) or manifest.get("unit_tests", {}).get(child)
        if node is None:
            continue
        if node["resource_type"] == "unit_test":
            tests.append({"name": node["name"], "kind": "unit", "column": None})
        elif node["resource_type"] == "test":
            metadata = node.get("test_metadata") or {}
            attached = node.get("attached_node") in (None, unique_id)
            if attached:
                kind = metadata.get("name") or "singular"
                tests.append({"name": node["name"], "kind": kind, "column": node.get("column_name")})
    return sorted(tests, key=lambda test: (test["column"] or "", test["kind"], test["name"]))


def _find(manifest: dict[str, Any], model: str) -> str:
    wanted = model.strip().lower()
    for unique_id, node in {**manifest["nodes"], **manifest.get("sources", {})}.items():
        if node["resource_type"] not in ("model", "source"):
            continue
        names = {unique_id.lower(), node["name"].lower(), _label(manifest, unique_id).lower()}
        if wanted in names:
            return unique_id
    raise UserError(f"No model or source named {model!r}", "Pass a model name such as `orders`, or `marketing.orders`")


def _label(manifest: dict[str, Any], unique_id: str) -> str:
    if unique_id.startswith("source."):
        source = manifest["sources"][unique_id]
        return f"source:{source['source_name']}.{source['name']}"
    node = manifest["nodes"][unique_id]
    return (
        f"{node['schema']}.{node['alias']}"
        if node.get("config", {}).get("contract", {}).get("enforced")
        else node["name"]
    )


def _is_data(unique_id: str) -> bool:
    return unique_id.startswith(("model.", "source.", "seed.", "snapshot."))


def _closure(edges: dict[str, list[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for item in edges.get(todo.pop(), []):
            if _is_data(item) and item not in seen:
                seen.add(item)
                todo.append(item)
    return seen

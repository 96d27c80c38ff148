"""Reading aws/ with python-hcl2 for the Terraform property tests: modules, env roots, blocks, expressions."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import hcl2
from hcl2.utils import SerializationOptions

ROOT = Path(__file__).resolve().parents[2]
AWS = ROOT / "aws"
MODULES = AWS / "terraform" / "modules"
ENVS = AWS / "envs"
ENV_NAMES = ("dev", "stage", "prod")
OPTIONS = SerializationOptions(with_comments=False, explicit_blocks=False, strip_string_quotes=True)


@cache
def load(path: Path) -> dict[str, Any]:
    return hcl2.loads(path.read_text(encoding="utf-8"), serialization_options=OPTIONS)


def module_dirs() -> list[Path]:
    return sorted(path for path in MODULES.iterdir() if path.is_dir())


def blocks(folder: Path, kind: str) -> dict[tuple[str, str], dict[str, Any]]:
    """(type, name) -> body of every `resource` or `data` block in the folder's .tf files."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for path in sorted(folder.glob("*.tf")):
        for entry in load(path).get(kind, []):
            for type_name, named in entry.items():
                for name, body in named.items():
                    found[(type_name, name)] = body
    return found


def of_type(folder: Path, kind: str, type_name: str) -> dict[str, dict[str, Any]]:
    return {name: body for (found, name), body in blocks(folder, kind).items() if found == type_name}


def variables(folder: Path) -> dict[str, dict[str, Any]]:
    return {
        name: body
        for path in sorted(folder.glob("*.tf"))
        for entry in load(path).get("variable", [])
        for name, body in entry.items()
    }


def outputs(folder: Path) -> dict[str, dict[str, Any]]:
    return {
        name: body
        for path in sorted(folder.glob("*.tf"))
        for entry in load(path).get("output", [])
        for name, body in entry.items()
    }


def locals_(folder: Path) -> dict[str, Any]:
    return {
        key: value
        for path in sorted(folder.glob("*.tf"))
        for entry in load(path).get("locals", [])
        for key, value in entry.items()
    }


def tfvars(env: str) -> dict[str, Any]:
    return load(ENVS / env / "terraform.tfvars")


def one(value: Any) -> dict[str, Any]:
    """A nested block python-hcl2 reads as a one-element list."""
    assert isinstance(value, list) and len(value) == 1, value
    return value[0]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The statements of an aws_iam_policy_document, `dynamic "statement"` contents included."""
    found = list(document.get("statement", []))
    for dynamic in document.get("dynamic", []):
        if "statement" in dynamic:
            found.extend(dynamic["statement"]["content"])
    return found


def default(folder: Path, expression: Any) -> Any:
    """The value of `${var.x}` from the variable's default in the folder; other values unchanged."""
    match = re.fullmatch(r"\$\{var\.(\w+)\}", str(expression))
    if not match:
        return expression
    return variables(folder)[match[1]]["default"]


def references(expression: Any, kind: str) -> set[str]:
    """Names of the `kind` (e.g. aws_s3_bucket) resources an expression refers to."""
    return set(re.findall(rf"\b{re.escape(kind)}\.(\w+)", str(expression)))

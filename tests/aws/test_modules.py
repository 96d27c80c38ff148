"""The module conventions after terraform-aws-modules: four files, typed and described variables, described outputs,
the main resource named `this`, a `create` toggle."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.aws.hcl import ENV_NAMES, ENVS, MODULES, blocks, load, module_dirs, of_type, outputs, variables

EXPECTED_MODULES = {"lake", "catalog", "analytics", "serving", "iam", "secrets", "mwaa", "run_log"}
FILES = ("main.tf", "variables.tf", "outputs.tf", "versions.tf")
ROOTS = [*module_dirs(), *(ENVS / env for env in ENV_NAMES), MODULES.parent / "examples" / "complete"]


def test_the_expected_modules_exist() -> None:
    assert {path.name for path in module_dirs()} == EXPECTED_MODULES


@pytest.mark.parametrize("folder", module_dirs(), ids=lambda path: path.name)
def test_module_has_the_four_files(folder: Path) -> None:
    missing = [name for name in FILES if not (folder / name).is_file()]
    assert not missing, f"{folder.name} lacks {missing}"


@pytest.mark.parametrize("folder", ROOTS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_every_variable_is_typed_and_described(folder: Path) -> None:
    found = variables(folder)
    untyped = sorted(name for name, body in found.items() if not body.get("type"))
    undescribed = sorted(name for name, body in found.items() if not str(body.get("description", "")).strip())
    assert not untyped, f"{folder.name}: variables without a type: {untyped}"
    assert not undescribed, f"{folder.name}: variables without a description: {undescribed}"


@pytest.mark.parametrize("folder", ROOTS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_every_output_is_described(folder: Path) -> None:
    found = outputs(folder)
    assert found, f"{folder.name} has no outputs"
    undescribed = sorted(name for name, body in found.items() if not str(body.get("description", "")).strip())
    assert not undescribed, f"{folder.name}: outputs without a description: {undescribed}"


@pytest.mark.parametrize("folder", module_dirs(), ids=lambda path: path.name)
def test_main_resource_is_named_this(folder: Path) -> None:
    named_this = [type_name for (type_name, name) in blocks(folder, "resource") if name == "this"]
    assert named_this, f"{folder.name}: no resource is named `this`"


@pytest.mark.parametrize("folder", module_dirs(), ids=lambda path: path.name)
def test_module_has_a_create_toggle(folder: Path) -> None:
    create = variables(folder).get("create")
    assert create is not None, f"{folder.name} has no `create` variable"
    assert create["type"] == "bool"
    optional = {"mwaa", "run_log"}
    assert create["default"] is (folder.name not in optional), f"{folder.name}: create defaults to {create['default']}"


@pytest.mark.parametrize("folder", module_dirs(), ids=lambda path: path.name)
def test_every_resource_honours_create(folder: Path) -> None:
    """`create = false` creates nothing: each resource is counted or iterated over something that create gates."""
    ungated = [
        f"{type_name}.{name}"
        for (type_name, name), body in blocks(folder, "resource").items()
        if "count" not in body and "for_each" not in body
    ]
    assert not ungated, f"{folder.name}: resources created regardless of `create`: {ungated}"


def test_resource_names_follow_the_convention() -> None:
    """data_stack.promote.declared derives these names from `<project>-<env>`; docs/aws.md shows them."""
    assert of_type(MODULES / "analytics", "resource", "aws_athena_workgroup")["this"]["name"] == "${var.name}"
    secret = of_type(MODULES / "secrets", "resource", "aws_secretsmanager_secret")["this"]
    assert secret["name"] == "${var.name}/vehicle-api-key"
    instance = of_type(MODULES / "serving", "resource", "aws_db_instance")["this"]
    assert instance["identifier"] == "${var.name}-serving"
    assert of_type(MODULES / "iam", "resource", "aws_iam_role")["this"]["name"] == "${var.name}-${each.key}"
    for env in ENV_NAMES:
        calls = {name: body for entry in load(ENVS / env / "main.tf")["module"] for name, body in entry.items()}
        assert set(calls) == EXPECTED_MODULES
        for name, body in calls.items():
            assert body["name"] == "${local.name}", f"{env}: module {name} is not named local.name"
            assert body["source"] == f"../../terraform/modules/{name}"

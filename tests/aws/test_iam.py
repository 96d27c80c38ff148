"""The roles' policies grant exactly the actions src/data_stack/promote/permissions.py lists, per resource kind, on
the resources of that kind; no wildcard actions in any Allow; no "*" resource where an ARN exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from data_stack.promote.permissions import ROLES
from tests.aws.hcl import MODULES, as_list, locals_, module_dirs, of_type, statements

IAM = MODULES / "iam"
# Resource kind -> the expressions its statements may name as resources.
RESOURCES = {
    "landing_bucket": {"${var.landing_bucket_arn}", "${var.landing_bucket_arn}/*"},
    "lake_bucket": {"${var.lake_bucket_arn}", "${local.pipeline_lake_objects}", "${local.bronze_objects}"},
    "curated_prefixes": {"${local.curated_objects}"},
    "athena_results_bucket": {"${var.athena_results_bucket_arn}", "${var.athena_results_bucket_arn}/*"},
    "lake_key": {"${var.kms_key_arn}"},
    "bronze_catalog": {"${local.bronze_catalog}"},
    "curated_catalog": {"${local.curated_catalog}"},
    "workgroup": {"${var.workgroup_arn}"},
    "vendor_secret": {"${var.vendor_secret_arn}"},
    "serving_secret": {"${statement.value}"},  # the dynamic statement over var.serving_secret_arn
}
BUCKET_ACTIONS = {"s3:ListBucket", "s3:GetBucketLocation"}  # act on the bucket ARN, not on objects
# Actions without resource-level permissions: "*" is the only resource AWS accepts for them (MWAA's role).
NO_RESOURCE_LEVEL = {"logs:DescribeLogGroups", "cloudwatch:PutMetricData", "s3:GetAccountPublicAccessBlock"}


def pascal(kind: str) -> str:
    return "".join(part.capitalize() for part in kind.split("_"))


def kind_of(sid: str) -> str:
    """The resource kind a statement id starts with (LakeBucketList -> lake_bucket)."""
    matches = [kind for kind in RESOURCES if sid.startswith(pascal(kind))]
    assert matches, f"statement {sid!r} names no resource kind of permissions.py"
    return max(matches, key=len)


def role_statements(role: str) -> list[dict]:
    return statements(of_type(IAM, "data", "aws_iam_policy_document")[role])


def test_the_module_has_one_role_per_permissions_role() -> None:
    assert locals_(IAM)["roles"] == '${var.create ? toset(["pipeline", "dbt", "dashboards"]) : toset([])}'
    assert set(ROLES) == {"pipeline", "dbt", "dashboards"}
    policies = locals_(IAM)["policies"]
    for role in ROLES:
        assert f"data.aws_iam_policy_document.{role}[0].json" in policies[role]


@pytest.mark.parametrize("role", sorted(ROLES))
def test_role_grants_exactly_the_actions_of_permissions_py(role: str) -> None:
    granted: dict[str, set[str]] = {}
    for statement in role_statements(role):
        assert statement["effect"] == "Allow"
        granted.setdefault(kind_of(statement["sid"]), set()).update(as_list(statement["actions"]))
    expected = {kind: set(actions) for kind, actions in ROLES[role].items()}
    for kind in sorted(set(expected) | set(granted)):
        missing = sorted(expected.get(kind, set()) - granted.get(kind, set()))
        extra = sorted(granted.get(kind, set()) - expected.get(kind, set()))
        assert not missing, f"{role} / {kind}: permissions.py lists {missing}, the policy does not grant them"
        assert not extra, f"{role} / {kind}: the policy grants {extra}, permissions.py does not list them"


@pytest.mark.parametrize("role", sorted(ROLES))
def test_role_statements_name_the_resources_of_their_kind(role: str) -> None:
    for statement in role_statements(role):
        kind = kind_of(statement["sid"])
        resources = as_list(statement["resources"])
        assert "*" not in resources, f'{role} / {statement["sid"]}: resource "*"'
        unexpected = set(resources) - RESOURCES[kind]
        assert not unexpected, f"{role} / {statement['sid']}: resources {unexpected} are not of kind {kind}"


@pytest.mark.parametrize("role", sorted(ROLES))
def test_bucket_and_object_actions_target_bucket_and_object_arns(role: str) -> None:
    for statement in role_statements(role):
        actions = set(as_list(statement["actions"]))
        if not any(action.startswith("s3:") for action in actions):
            continue
        resources = as_list(statement["resources"])
        if actions <= BUCKET_ACTIONS:
            assert all(re.fullmatch(r"\$\{var\.\w+_bucket_arn\}", item) for item in resources), statement["sid"]
        else:
            assert not actions & BUCKET_ACTIONS, f"{statement['sid']} mixes bucket and object actions"
            assert all(item.endswith("/*") or item.endswith("_objects}") for item in resources), statement["sid"]


def test_object_locals_cover_the_documented_prefixes() -> None:
    values = locals_(IAM)
    assert values["pipeline_prefixes"] == ["bronze", "quarantine", "_state", "cache", "audit"]
    assert values["curated_prefixes"] == ["silver", "gold"]
    assert values["bronze_objects"] == ["${var.lake_bucket_arn}/bronze/*"]
    for name in ("pipeline_lake_objects", "curated_objects"):
        assert "${var.lake_bucket_arn}/${prefix}/*" in values[name]


def test_glue_resources_are_the_catalog_the_database_and_its_tables() -> None:
    values = locals_(IAM)
    assert values["glue_catalog"].endswith(":catalog")
    bronze = values["bronze_catalog"]
    assert bronze[0] == "${local.glue_catalog}"
    assert bronze[1].endswith(":database/${var.bronze_database_name}")
    assert bronze[2].endswith(":table/${var.bronze_database_name}/*")
    curated = values["curated_catalog"]
    assert ":database/${database}" in curated and ":table/${database}/*" in curated


def test_roles_trust_named_principals_only() -> None:
    (statement,) = statements(of_type(IAM, "data", "aws_iam_policy_document")["assume"])
    assert as_list(statement["actions"]) == ["sts:AssumeRole"]
    principal = statement["principals"][0]
    assert principal["type"] == "AWS"
    assert "var.trusted_principal_arns" in principal["identifiers"] and ":root" in principal["identifiers"]


POLICY_DOCUMENTS = [
    pytest.param(folder, name, document, id=f"{folder.name}/{name}")
    for folder in module_dirs()
    for name, document in of_type(folder, "data", "aws_iam_policy_document").items()
]


@pytest.mark.parametrize(("folder", "name", "document"), POLICY_DOCUMENTS)
def test_no_allow_statement_uses_a_wildcard_action(folder: Path, name: str, document: dict) -> None:
    # A Deny may name s3:* (the TLS-only bucket policies): denying more is the safe side.
    for statement in statements(document):
        if statement.get("effect", "Allow") != "Allow":
            continue
        wildcards = [action for action in as_list(statement["actions"]) if "*" in action]
        assert not wildcards, f"{folder.name} / {name}: {wildcards}"


@pytest.mark.parametrize(("folder", "name", "document"), POLICY_DOCUMENTS)
def test_star_resources_only_where_no_arn_exists(folder: Path, name: str, document: dict) -> None:
    for statement in statements(document):
        if statement.get("effect", "Allow") != "Allow" or "*" not in as_list(statement.get("resources", [])):
            continue
        if (folder.name, name) == ("lake", "key"):
            continue  # a key policy's "*" is the key it is attached to
        actions = set(as_list(statement["actions"]))
        assert actions <= NO_RESOURCE_LEVEL, f'{folder.name} / {name}: {sorted(actions - NO_RESOURCE_LEVEL)} on "*"'

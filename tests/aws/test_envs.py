"""The env roots: the provider pinned exactly, the tagging convention, the S3 backend, per-environment settings that
match the cost model (aws/cost), the outputs the promote code reads."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.aws.hcl import AWS, ENV_NAMES, ENVS, load, locals_, module_dirs, one, outputs, tfvars

TAGS = {"project", "domain", "env", "owner", "data_classification", "cost_center"}
# What data_stack.promote reads from `terraform output -json` (declared.from_outputs), and more for dbt-athena.
PROMOTE_OUTPUTS = {
    "landing_bucket",
    "lake_bucket",
    "athena_results_bucket",
    "access_logs_bucket",
    "athena_workgroup",
    "bronze_database",
    "silver_database",
    "gold_database",
    "serving_endpoint",
    "pipeline_role_arn",
    "dbt_role_arn",
    "dashboards_role_arn",
}


def provider_pin(folder) -> str:
    required = one(one(load(folder / "versions.tf")["terraform"])["required_providers"])
    return required["aws"]["version"]


@pytest.mark.parametrize("env", ENV_NAMES)
def test_provider_pinned_to_one_exact_version(env: str) -> None:
    terraform = one(load(ENVS / env / "versions.tf")["terraform"])
    assert terraform["required_version"] == ">= 1.11"
    assert re.fullmatch(r"= \d+\.\d+\.\d+", provider_pin(ENVS / env)), provider_pin(ENVS / env)


def test_every_root_pins_the_same_version_within_the_modules_range() -> None:
    pins = {provider_pin(ENVS / env) for env in ENV_NAMES} | {provider_pin(AWS / "terraform" / "examples" / "complete")}
    assert len(pins) == 1, pins
    (version,) = [pin.removeprefix("= ") for pin in pins]
    major, minor = (int(part) for part in version.split(".")[:2])
    for folder in module_dirs():
        accepted = re.fullmatch(r">= (\d+)\.(\d+), < (\d+)\.0", provider_pin(folder))
        assert accepted, f"{folder.name}: modules take a range (>= x.y, < z.0), roots pin it"
        low_major, low_minor, high_major = (int(part) for part in accepted.groups())
        assert (low_major, low_minor) <= (major, minor) and major < high_major, f"{folder.name} excludes {version}"


@pytest.mark.parametrize("env", ENV_NAMES)
def test_default_tags_carry_the_tagging_convention(env: str) -> None:
    provider = one(load(ENVS / env / "main.tf")["provider"])["aws"]
    tags = one(provider["default_tags"])["tags"]
    assert set(tags) == TAGS
    assert tags["env"] == "${var.environment}"
    values = tfvars(env)
    for key in ("owner", "cost_center", "data_classification"):
        assert values.get(key), f"{env}/terraform.tfvars sets no {key}"


@pytest.mark.parametrize("env", ENV_NAMES)
def test_name_is_project_and_environment(env: str) -> None:
    assert locals_(ENVS / env)["name"] == "${var.project}-${var.environment}"
    assert tfvars(env)["environment"] == env


@pytest.mark.parametrize("env", ENV_NAMES)
def test_state_lives_in_an_encrypted_locked_s3_backend(env: str) -> None:
    backend = one(one(load(ENVS / env / "backend.tf")["terraform"])["backend"])
    assert backend == {"s3": {}}, "partial configuration: the values come from backend.hcl"
    config = load(ENVS / env / "backend.hcl")
    assert {"bucket", "key", "region"} <= set(config)
    assert config["encrypt"] is True
    assert config.get("use_lockfile") is True or config.get("dynamodb_table")
    assert env in config["key"]


def test_roots_are_the_same_code_with_different_values() -> None:
    for name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "backend.tf"):
        texts = {(ENVS / env / name).read_text() for env in ENV_NAMES}
        assert len(texts) == 1, f"aws/envs/*/{name} differ: put the difference in terraform.tfvars"


def test_only_dev_can_be_deleted() -> None:
    dev, stage, prod = (tfvars(env) for env in ENV_NAMES)
    assert dev["serving_deletion_protection"] is False and dev["serving_skip_final_snapshot"] is True
    for env, values in (("stage", stage), ("prod", prod)):
        assert values["serving_deletion_protection"] is True, env
        assert values.get("serving_skip_final_snapshot", False) is False, env
    assert dev["serving_instance_class"] == "db.t4g.micro" and dev["serving_allocated_storage"] == 20


@pytest.mark.parametrize("env", ENV_NAMES)
def test_optional_parts_are_off(env: str) -> None:
    values = tfvars(env)
    assert values.get("create_mwaa", False) is False
    assert values.get("create_run_log", False) is False


@pytest.mark.parametrize("env", ENV_NAMES)
def test_the_cost_model_prices_what_terraform_deploys(env: str) -> None:
    usage = yaml.safe_load((AWS / "cost" / f"usage-{env}.yml").read_text())
    prices = {item["price"]: item["quantity"] for item in usage["items"]}
    instances = [key.removeprefix("rds_").replace("_", ".") for key in prices if key.startswith("rds_db_")]
    values = tfvars(env)
    assert instances == [values["serving_instance_class"]], f"aws/cost/usage-{env}.yml prices {instances}"
    assert prices["rds_gp3_storage"] == values["serving_allocated_storage"]
    assert values.get("serving_multi_az", False) is False or "Multi-AZ" in str(usage)


@pytest.mark.parametrize("env", ENV_NAMES)
def test_outputs_name_what_the_promotion_reads(env: str) -> None:
    missing = PROMOTE_OUTPUTS - set(outputs(ENVS / env))
    assert not missing, f"aws/envs/{env}/outputs.tf lacks {sorted(missing)}"

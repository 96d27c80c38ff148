"""The names the promotion derives for an environment are the ones its Terraform declares (aws/terraform)."""

from __future__ import annotations

from pathlib import Path

import pytest

from data_stack.promote.declared import BUCKET_ROLES, LAYERS, from_outputs, from_terraform

ROOT = Path(__file__).resolve().parents[2]
AWS = ROOT / "aws"
MODULES = AWS / "terraform" / "modules"


def _text(module: str) -> str:
    return "\n".join(path.read_text() for path in sorted((MODULES / module).glob("*.tf")))


def test_the_modules_spell_the_names_the_promotion_uses():
    lake = _text("lake")
    for suffix in BUCKET_ROLES.values():
        assert f'"${{var.name}}-{suffix}"' in lake, suffix
    catalog = _text("catalog")
    assert 'replace(var.name, "-", "_")' in catalog and '"${local.db_prefix}_${each.key}"' in catalog
    assert "toset([" + ", ".join(f'"{layer}"' for layer in LAYERS) + "])" in catalog
    assert "name          = var.name" in _text("analytics")
    assert '"${var.name}/vehicle-api-key"' in _text("secrets")


@pytest.mark.parametrize("env", ["dev", "stage", "prod"])
def test_each_env_root_names_itself_project_dash_env(env):
    assert 'name         = "${var.project}-${var.environment}"' in (AWS / "envs" / env / "main.tf").read_text()
    declared = from_terraform(AWS, env)
    assert declared.name == f"northwind-data-stack-{env}"
    assert declared.buckets["lake"] == f"northwind-data-stack-{env}-lake"
    assert declared.databases == [f"northwind_data_stack_{env}_{layer}" for layer in LAYERS]
    assert declared.workgroup["bytes_scanned_cutoff"] > 0


def test_after_apply_the_outputs_are_the_authority():
    outputs = {
        key: {"value": value}
        for key, value in {
            "landing_bucket": "a-landing",
            "lake_bucket": "a-lake",
            "athena_results_bucket": "a-results",
            "access_logs_bucket": "a-logs",
            "athena_workgroup": "wg",
            "bronze_database": "b",
            "silver_database": "s",
            "gold_database": "g",
        }.items()
    }
    declared = from_outputs(AWS, "dev", outputs)
    assert declared.lake_bucket == "a-lake" and declared.workgroup["name"] == "wg"
    assert declared.databases == ["b", "s", "g"]
    output_names = (AWS / "envs" / "dev" / "outputs.tf").read_text()
    for key in outputs:
        assert f'output "{key}"' in output_names, key

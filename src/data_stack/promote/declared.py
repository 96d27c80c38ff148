"""What an environment's Terraform declares, as far as the promotion needs it: resource names and settings.

Names follow the modules' convention from the env root's `local.name` (`<project>-<environment>`): buckets
`<name>-landing|lake|athena-results|access-logs`, Glue databases `<name with _>_bronze|silver|gold`, the Athena
workgroup `<name>`, the secret `<name>/vehicle-api-key`. Values come from the env root's `terraform.tfvars` and
variable defaults (parsed with python-hcl2); tests/aws checks that the modules still spell the names this way. After a
real `terraform apply`, `terraform output -json` is the authority (`from_outputs`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from data_stack.errors import UserError

BUCKET_ROLES = {"landing": "landing", "lake": "lake", "athena_results": "athena-results", "access_logs": "access-logs"}
LAYERS = ("bronze", "silver", "gold")
DEFAULT_CUTOFF = 10 * 2**30


@dataclass
class Declared:
    env: str
    name: str
    region: str
    buckets: dict[str, str]
    databases: list[str]
    tables: list[dict[str, Any]]
    workgroup: dict[str, Any]
    secrets: list[str] = field(default_factory=list)

    @property
    def lake_bucket(self) -> str:
        return self.buckets["lake"]

    @property
    def bronze_database(self) -> str:
        return self.databases[0]


def env_root(aws_dir: Path, env: str) -> Path:
    root = aws_dir / "envs" / env
    if not (root / "main.tf").exists():
        known = sorted(path.name for path in (aws_dir / "envs").iterdir() if (path / "main.tf").exists())
        raise UserError(f"No Terraform environment {env!r} in {aws_dir / 'envs'}", f"Use one of {', '.join(known)}")
    return root


def from_terraform(aws_dir: Path, env: str) -> Declared:
    values = tf_values(env_root(aws_dir, env))
    project, environment = values.get("project"), values.get("environment", env)
    if not project:
        raise UserError(f"aws/envs/{env} sets no `project`", "Add it to terraform.tfvars or as a variable default")
    name = f"{project}-{environment}"
    cutoff = int(values.get("athena_bytes_scanned_cutoff_per_query") or DEFAULT_CUTOFF)
    return _declared(env, name, str(values.get("region") or values.get("aws_region") or "us-east-1"), aws_dir, cutoff)


def from_outputs(aws_dir: Path, env: str, outputs: dict[str, Any]) -> Declared:
    """After `terraform apply`: the names as Terraform reports them (`terraform output -json`)."""

    def value(key: str) -> Any:
        if key not in outputs:
            raise UserError(f"terraform output has no {key!r}", f"Check aws/envs/{env}/outputs.tf")
        return outputs[key]["value"]

    declared = from_terraform(aws_dir, env)
    declared.buckets = {
        "landing": value("landing_bucket"),
        "lake": value("lake_bucket"),
        "athena_results": value("athena_results_bucket"),
        "access_logs": value("access_logs_bucket"),
    }
    declared.workgroup["name"] = value("athena_workgroup")
    declared.databases = [value("bronze_database"), value("silver_database"), value("gold_database")]
    return declared


def _declared(env: str, name: str, region: str, aws_dir: Path, cutoff: int) -> Declared:
    prefix = name.replace("-", "_")
    return Declared(
        env=env,
        name=name,
        region=region,
        buckets={role: f"{name}-{suffix}" for role, suffix in BUCKET_ROLES.items()},
        databases=[f"{prefix}_{layer}" for layer in LAYERS],
        tables=bronze_tables(aws_dir),
        workgroup={"name": name, "enforce": True, "bytes_scanned_cutoff": cutoff},
        secrets=[f"{name}/vehicle-api-key"],
    )


def bronze_tables(aws_dir: Path) -> list[dict[str, Any]]:
    path = aws_dir / "terraform" / "modules" / "catalog" / "bronze_tables.json"
    return json.loads(path.read_text(encoding="utf-8"))["tables"]


def tf_values(root: Path) -> dict[str, Any]:
    """Variable defaults of the env root, overridden by its terraform.tfvars."""
    hcl2 = _hcl2()
    values: dict[str, Any] = {}
    for path in sorted(root.glob("*.tf")):
        with open(path, encoding="utf-8") as handle:
            document = hcl2.load(handle)
        for block in document.get("variable", []):
            for variable, body in block.items():
                if isinstance(body, dict) and "default" in body:
                    values[_plain(variable)] = body["default"]
    tfvars = root / "terraform.tfvars"
    if tfvars.exists():
        with open(tfvars, encoding="utf-8") as handle:
            values.update({_plain(key): value for key, value in hcl2.load(handle).items() if key != "__comments__"})
    return {key: _plain(value) for key, value in values.items()}


def _plain(value: Any) -> Any:
    """python-hcl2 keeps the quotes of string literals in some versions: strip them."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def _hcl2():
    try:
        import hcl2
    except ImportError:
        raise UserError("Reading the Terraform needs python-hcl2", "Run make bootstrap") from None
    return hcl2

"""`data-stack promote --env <env> [--dry-run] [--yes]`: the local stack, unchanged, on AWS.

1. Checks: `terraform fmt -check`, checkov (0 failed), the property checks over the parsed Terraform (tests/aws).
2. With AWS credentials and without `--dry-run`: `terraform init` (the env's backend.hcl) and `plan`, `apply` after
   confirmation (or `--yes`); then, named by `terraform output`, copy the lake to S3, register the new bronze
   partitions in Glue, build the models on Athena (`dbt build --target athena`) and load gold into RDS through the
   serving layer.
3. Otherwise a rehearsal against moto's server on loopback: the buckets, KMS key, Glue databases and bronze tables,
   Athena workgroup and secret the Terraform declares are created, the lake is copied and the partitions registered,
   and the plan of the real promotion is printed. moto runs no SQL: the Athena build and the RDS load are planned,
   not rehearsed (docs/aws.md).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from data_stack.errors import StageFailed, UserError
from data_stack.log import get_logger
from data_stack.promote import rehearsal
from data_stack.promote.declared import Declared, env_root, from_outputs, from_terraform
from data_stack.settings import Settings

log = get_logger(__name__)

CHECKOV = Path("aws") / "checkov" / ".venv" / "bin" / "checkov"


@dataclass
class Outcome:
    env: str
    mode: str  # rehearsal | aws
    checks: dict[str, str] = field(default_factory=dict)  # check -> "passed" or what failed
    steps: list[dict[str, object]] = field(default_factory=list)  # done: action, count
    planned: list[str] = field(default_factory=list)  # what the real promotion does beyond the rehearsal
    names: dict[str, object] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def promote(
    settings: Settings, env: str, *, dry_run: bool, yes: bool, skip_checks: bool = False, confirm=None
) -> Outcome:
    aws_dir = settings.project_root / "aws"
    root = env_root(aws_dir, env)
    if (
        os.environ.get("AWS_ACCESS_KEY_ID")
        and not os.environ.get("AWS_SECRET_ACCESS_KEY")
        and not os.environ.get("S3_ENDPOINT_URL")
    ):
        raise UserError("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not", "Set both, or neither to rehearse")
    real = not dry_run and rehearsal.has_credentials()
    outcome = Outcome(env, "aws" if real else "rehearsal")
    if not skip_checks:
        outcome.checks = run_checks(settings.project_root)
    declared = from_terraform(aws_dir, env)
    if real:
        _terraform_apply(root, yes, confirm)
        declared = from_outputs(aws_dir, env, _terraform_outputs(root))
        _move_data(settings, declared, outcome, endpoint=None)
        _athena_build(settings, declared, outcome)
        _serving_load(settings, outcome)
    else:
        with rehearsal.moto_endpoint() as endpoint:
            aws = rehearsal.clients(declared.region, endpoint)
            report = rehearsal.Report()
            rehearsal.create_declared(aws, declared, report)
            outcome.steps += [asdict(step) for step in report.steps]
            _move_data(settings, declared, outcome, endpoint=endpoint, aws=aws)
        outcome.planned = _plan(root, declared)
    outcome.names = {
        "buckets": declared.buckets,
        "databases": declared.databases,
        "workgroup": declared.workgroup["name"],
        "region": declared.region,
        "bronze_tables": len(declared.tables),
    }
    return outcome


def run_checks(project_root: Path) -> dict[str, str]:
    """Part 2 of the Terraform checks, in the order a reviewer would read them; the first failure stops."""
    results: dict[str, str] = {}
    terraform = _tool("terraform", "Terraform 1.11+ (the binary: /usr/local/bin/terraform on this image)")
    _check(results, "terraform fmt", [terraform, "fmt", "-check", "-recursive", "aws"], project_root)
    if not (project_root / CHECKOV).exists():
        raise UserError("checkov is not installed", "Run scripts/install-checkov.sh (make test installs it too)")
    # the script runs checkov offline with aws/.checkov.yaml (its skip list says why each check is skipped)
    _check(results, "checkov", ["scripts/checkov.sh", "--quiet", "--compact"], project_root)
    tests = project_root / "tests" / "aws"
    if tests.is_dir():
        _check(
            results,
            "Terraform property checks",
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tests), "-k", "not promote"],
            project_root,
        )
    return results


def _check(results: dict[str, str], name: str, command: list[str], cwd: Path, env: dict | None = None) -> None:
    log.info("promote: check %s", name)
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=os.environ | (env or {}))
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-12:]
        results[name] = "failed"
        raise StageFailed(f"Check failed before promotion: {name}", "Fix it and run again:\n" + "\n".join(tail))
    results[name] = "passed"


def _tool(name: str, what: str) -> str:
    found = shutil.which(name)
    if not found:
        raise UserError(f"{name} is not on PATH", f"Install {what}")
    return found


def _move_data(settings: Settings, declared: Declared, outcome: Outcome, *, endpoint, aws=None) -> None:
    aws = aws or rehearsal.clients(declared.region, endpoint)
    report = rehearsal.Report()
    lake = Path(settings.lake)
    if "://" in settings.lake:
        raise UserError(
            f"LAKE_URI is {settings.lake}: promote copies a local lake",
            "Unset LAKE_URI (or point it at the local lake folder) and run again",
        )
    if not (lake / "bronze").is_dir():
        report.add(f"the local lake {lake} holds no bronze yet: nothing to copy (run make pipeline first)")
    rehearsal.copy_lake(aws, lake, declared.lake_bucket, report)
    rehearsal.register_partitions(aws, declared, report)
    outcome.steps += [asdict(step) for step in report.steps]


def _plan(root: Path, declared: Declared) -> list[str]:
    modules = sorted(path.name for path in (root.parent.parent / "terraform" / "modules").iterdir() if path.is_dir())
    return [
        f"terraform -chdir=aws/envs/{declared.env} init -backend-config=backend.hcl, then plan and apply "
        f"(modules: {', '.join(modules)}; MWAA and the run log only when enabled)",
        f"copy the lake to s3://{declared.lake_bucket}/ and register the bronze partitions in "
        f"{declared.bronze_database}",
        f"dbt build --target athena in workgroup {declared.workgroup['name']} "
        f"(silver and gold in {declared.databases[1]}, {declared.databases[2]})",
        "load gold into the RDS serving database (data-stack serve, SERVING_DB_URL from its Secrets Manager secret)",
    ]


def _terraform_apply(root: Path, yes: bool, confirm) -> None:
    terraform = _tool("terraform", "Terraform 1.11+")
    for args in (["init", "-input=false", "-backend-config=backend.hcl"], ["plan", "-input=false", "-out=tfplan"]):
        done = subprocess.run([terraform, f"-chdir={root}", *args])
        if done.returncode != 0:
            raise StageFailed(f"terraform {args[0]} failed for {root.name}", "Read the output above and fix it")
    if not yes and not (confirm or _ask)(f"Apply this plan to {root.name}?"):
        raise UserError("Promotion cancelled before terraform apply", "Nothing was changed")
    if subprocess.run([terraform, f"-chdir={root}", "apply", "-input=false", "tfplan"]).returncode != 0:
        raise StageFailed(f"terraform apply failed for {root.name}", "Read the output above; docs/runbooks/promote.md")


def _terraform_outputs(root: Path) -> dict:
    done = subprocess.run(
        [_tool("terraform", "Terraform 1.11+"), f"-chdir={root}", "output", "-json"], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise StageFailed("terraform output failed", done.stderr.strip().splitlines()[-1] if done.stderr else "")
    return json.loads(done.stdout)


def _athena_build(settings: Settings, declared: Declared, outcome: Outcome) -> None:
    from data_stack.proc import run_tool

    dbt = settings.project_root / "athena" / ".venv" / "bin" / "dbt"  # dbt-athena's own environment
    if not dbt.exists():
        raise UserError("dbt-athena is not installed", "Run make athena-env (make promote does)")
    if "athena:" not in (settings.dbt_dir / "profiles.yml").read_text(encoding="utf-8"):
        raise UserError("dbt/profiles.yml has no athena target", "Add it (docs/engines.md) before promoting")

    env = settings.stage_env("promote") | {
        "ATHENA_WORKGROUP": declared.workgroup["name"],
        "ATHENA_S3_STAGING_DIR": f"s3://{declared.buckets['athena_results']}/dbt/",
        "ATHENA_S3_DATA_DIR": f"s3://{declared.lake_bucket}/",
        "ATHENA_REGION": declared.region,
        "ATHENA_SCHEMA": declared.databases[1],
        "LAKE_URI": f"s3://{declared.lake_bucket}",
    }
    result = run_tool(
        [
            str(dbt),
            "build",
            "--target",
            "athena",
            "--project-dir",
            str(settings.dbt_dir),
            "--profiles-dir",
            str(settings.dbt_dir),
        ],
        cwd=settings.dbt_dir,
        env=env,
        label="promote: dbt build --target athena",
        log_file=settings.warehouse / "logs" / "promote" / "dbt-athena.log",
    )
    if result.returncode != 0:
        raise StageFailed("dbt build on Athena failed", f"See {result.log_file}")
    outcome.steps.append({"action": "dbt build --target athena", "count": 0})


def _serving_load(settings: Settings, outcome: Outcome) -> None:
    """Gold into RDS through the serving layer, from the published warehouse (the marts Athena built are the same
    models over the same bronze; docs/engines.md)."""
    from data_stack.ledger import Ledger
    from data_stack.serving.stage import serve_published

    if not settings.serving_db_url:
        outcome.steps.append(
            {
                "action": "RDS load skipped: set SERVING_DB_URL (from the serving secret) and run data-stack serve",
                "count": 0,
            }
        )
        return
    published = next((run for run in Ledger(settings.ledger_db).runs(files=False) if run.published), None)
    if published is None:
        raise UserError("Nothing is published yet to load into RDS", "Run make pipeline first")
    load = serve_published(settings, published.run_id)
    outcome.steps.append(
        {"action": f"loaded gold of run {published.run_id} into the RDS serving database", "count": load.rows}
    )


def _ask(question: str) -> bool:
    import typer

    return typer.confirm(question, default=False)

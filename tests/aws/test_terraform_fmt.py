"""`terraform fmt -check`: every .tf and .tfvars file in aws/ is in Terraform's canonical format (works offline)."""

from __future__ import annotations

import os
import subprocess

from tests.aws.hcl import AWS
from tests.tools import require_command

# No checkpoint call to HashiCorp (version and security bulletins), no user CLI config.
TERRAFORM_ENV = {"CHECKPOINT_DISABLE": "1", "TF_CLI_CONFIG_FILE": os.devnull, "TF_IN_AUTOMATION": "1"}


def test_terraform_files_are_formatted() -> None:
    terraform = require_command(
        "terraform", "install Terraform 1.11+ (the CI image has it at /usr/local/bin/terraform)"
    )
    done = subprocess.run(
        [terraform, "fmt", "-check", "-recursive", "-diff", str(AWS)],
        capture_output=True,
        text=True,
        env=os.environ | TERRAFORM_ENV,
        timeout=120,
    )
    assert done.returncode == 0, f"run `terraform fmt -recursive aws`:\n{done.stdout}{done.stderr}"

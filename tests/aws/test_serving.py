"""The serving database: private, encrypted, TLS only, logged, its master password kept by RDS in Secrets Manager."""

from __future__ import annotations

from tests.aws.hcl import MODULES, as_list, default, of_type, one, variables

SERVING = MODULES / "serving"
INSTANCE = of_type(SERVING, "resource", "aws_db_instance")["this"]


def test_instance_is_postgres_15_and_private() -> None:
    assert INSTANCE["engine"] == "postgres"
    assert default(SERVING, INSTANCE["engine_version"]) == "15"
    assert INSTANCE["publicly_accessible"] is False
    assert "aws_db_subnet_group.serving[0].name" in INSTANCE["db_subnet_group_name"]


def test_storage_is_encrypted_with_the_given_key() -> None:
    assert INSTANCE["storage_encrypted"] is True
    assert INSTANCE["kms_key_id"] == "${var.kms_key_arn}"


def test_master_password_is_managed_by_rds_and_never_in_terraform() -> None:
    assert INSTANCE["manage_master_user_password"] is True
    assert INSTANCE["master_user_secret_kms_key_id"] == "${var.kms_key_arn}"
    assert "password" not in INSTANCE
    assert not [name for name in variables(SERVING) if "password" in name]


def test_backups_deletion_protection_and_upgrades() -> None:
    assert default(SERVING, INSTANCE["backup_retention_period"]) == 7
    assert default(SERVING, INSTANCE["deletion_protection"]) is True
    assert INSTANCE["copy_tags_to_snapshot"] is True
    assert INSTANCE["auto_minor_version_upgrade"] is True
    assert INSTANCE["iam_database_authentication_enabled"] is True
    assert set(INSTANCE["enabled_cloudwatch_logs_exports"]) == {"postgresql", "upgrade"}


def test_parameter_group_forces_tls_and_logs() -> None:
    group = of_type(SERVING, "resource", "aws_db_parameter_group")["serving"]
    assert group["family"] == "postgres15"
    parameters = {item["name"]: item["value"] for item in group["parameter"]}
    assert parameters["rds.force_ssl"] == "1"
    assert {"log_min_duration_statement", "log_statement", "log_connections"} <= set(parameters)
    assert "aws_db_parameter_group.serving[0].name" in INSTANCE["parameter_group_name"]


def test_only_postgres_port_from_named_sources() -> None:
    rules = of_type(SERVING, "resource", "aws_vpc_security_group_ingress_rule")
    assert rules, "no ingress rules"
    for name, rule in rules.items():
        assert (rule["from_port"], rule["to_port"], rule["ip_protocol"]) == (5432, 5432, "tcp"), name
    assert not of_type(SERVING, "resource", "aws_vpc_security_group_egress_rule"), "the database opens no connections"
    cidrs = variables(SERVING)["allowed_cidr_blocks"]
    assert "0.0.0.0/0" in one(cidrs["validation"])["condition"]
    assert as_list(INSTANCE["vpc_security_group_ids"]) == ["${aws_security_group.serving[0].id}"]

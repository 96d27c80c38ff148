# The serving database: RDS PostgreSQL 15 in private subnets, reachable on 5432 only from the given security groups
# and CIDRs, TLS enforced, encrypted with the lake key. RDS keeps the master password in Secrets Manager
# (manage_master_user_password): it never appears in variables or in the Terraform state.

resource "aws_db_subnet_group" "serving" {
  count = var.create ? 1 : 0

  name        = "${var.name}-serving"
  description = "${var.name}: private subnets of the serving database"
  subnet_ids  = var.subnet_ids

  tags = var.tags
}

resource "aws_security_group" "serving" {
  count = var.create ? 1 : 0

  name        = "${var.name}-serving"
  description = "${var.name}: PostgreSQL 5432 from the allowed security groups and CIDRs only"
  vpc_id      = var.vpc_id

  tags = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "from_security_groups" {
  for_each = var.create ? toset(var.allowed_security_group_ids) : toset([])

  security_group_id            = aws_security_group.serving[0].id
  description                  = "PostgreSQL from ${each.value}"
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}

resource "aws_vpc_security_group_ingress_rule" "from_cidrs" {
  for_each = var.create ? toset(var.allowed_cidr_blocks) : toset([])

  security_group_id = aws_security_group.serving[0].id
  description       = "PostgreSQL from ${each.value}"
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432
}

resource "aws_db_parameter_group" "serving" {
  count = var.create ? 1 : 0

  name        = "${var.name}-serving-postgres15"
  family      = "postgres15"
  description = "${var.name}: TLS only; slow statements, DDL and connections logged"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = tostring(var.log_min_duration_statement_ms)
  }

  parameter {
    name  = "log_statement"
    value = "ddl"
  }

  parameter {
    name  = "log_connections"
    value = "1"
  }

  parameter {
    name  = "log_disconnections"
    value = "1"
  }

  tags = var.tags
}

resource "aws_db_instance" "this" {
  count = var.create ? 1 : 0

  identifier     = "${var.name}-serving"
  engine         = "postgres"
  engine_version = var.engine_version
  instance_class = var.instance_class

  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.max_allocated_storage
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = var.kms_key_arn

  db_name                       = var.database_name
  username                      = var.master_username
  manage_master_user_password   = true
  master_user_secret_kms_key_id = var.kms_key_arn
  # Readers can connect with IAM tokens instead of passwords (rds-db:connect).
  iam_database_authentication_enabled = true

  db_subnet_group_name   = aws_db_subnet_group.serving[0].name
  vpc_security_group_ids = [aws_security_group.serving[0].id]
  publicly_accessible    = false
  multi_az               = var.multi_az
  parameter_group_name   = aws_db_parameter_group.serving[0].name

  backup_retention_period   = var.backup_retention_period
  backup_window             = var.backup_window
  maintenance_window        = var.maintenance_window
  copy_tags_to_snapshot     = true
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = var.skip_final_snapshot
  final_snapshot_identifier = var.skip_final_snapshot ? null : "${var.name}-serving-final"

  auto_minor_version_upgrade      = true
  enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"]

  performance_insights_enabled    = var.performance_insights_enabled
  performance_insights_kms_key_id = var.performance_insights_enabled ? var.kms_key_arn : null
  monitoring_interval             = var.monitoring_interval
  monitoring_role_arn             = var.monitoring_interval > 0 ? var.monitoring_role_arn : null

  tags = var.tags
}

# Optional managed Airflow (MWAA) running the repository's DAGs (airflow/dags). Off by default: an mw1.small
# environment costs about $0.49 an hour, around $360 a month, always on (aws/README.md). The DAG tasks assume the
# pipeline and dbt roles (the env root adds this execution role to their trust); this role only runs Airflow.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
}

resource "aws_security_group" "mwaa" {
  count = var.create ? 1 : 0

  name        = "${var.name}-mwaa"
  description = "${var.name}: MWAA workers, scheduler and web server"
  vpc_id      = var.vpc_id

  tags = var.tags
}

# MWAA's components talk to each other (and to the endpoints MWAA puts in these subnets) within the group.
resource "aws_vpc_security_group_ingress_rule" "mwaa_self" {
  count = var.create ? 1 : 0

  security_group_id            = aws_security_group.mwaa[0].id
  description                  = "MWAA components within the group"
  referenced_security_group_id = aws_security_group.mwaa[0].id
  ip_protocol                  = "-1"
}

resource "aws_vpc_security_group_egress_rule" "mwaa_self" {
  count = var.create ? 1 : 0

  security_group_id            = aws_security_group.mwaa[0].id
  description                  = "MWAA components within the group"
  referenced_security_group_id = aws_security_group.mwaa[0].id
  ip_protocol                  = "-1"
}

resource "aws_vpc_security_group_egress_rule" "mwaa_https" {
  count = var.create ? 1 : 0

  security_group_id = aws_security_group.mwaa[0].id
  description       = "HTTPS to AWS APIs (S3, SQS, CloudWatch, KMS) through the subnets' NAT or VPC endpoints"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

data "aws_iam_policy_document" "assume" {
  count = var.create ? 1 : 0

  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["airflow.amazonaws.com", "airflow-env.amazonaws.com"]
    }
  }
}

# The MWAA execution role's documented permissions, with every action listed.
data "aws_iam_policy_document" "execution" {
  count = var.create ? 1 : 0

  statement {
    sid       = "PublishMetrics"
    effect    = "Allow"
    actions   = ["airflow:PublishMetrics"]
    resources = ["arn:${local.partition}:airflow:${local.region}:${local.account_id}:environment/${var.name}"]
  }

  statement {
    sid       = "SourceBucket"
    effect    = "Allow"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketVersioning", "s3:GetBucketPublicAccessBlock"]
    resources = [var.source_bucket_arn]
  }

  statement {
    sid       = "SourceObjects"
    effect    = "Allow"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["${var.source_bucket_arn}/*"]
  }

  statement {
    sid    = "Logs"
    effect = "Allow"
    actions = [
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:GetLogEvents",
      "logs:GetLogRecord",
      "logs:GetLogGroupFields",
      "logs:GetQueryResults",
    ]
    resources = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:airflow-${var.name}-*"]
  }

  # These three actions have no resource-level permissions: "*" is the only resource they accept.
  statement {
    sid       = "AccountLevelReads"
    effect    = "Allow"
    actions   = ["logs:DescribeLogGroups", "cloudwatch:PutMetricData", "s3:GetAccountPublicAccessBlock"]
    resources = ["*"]
  }

  # Celery's queue lives in an account MWAA owns.
  statement {
    sid    = "CeleryQueue"
    effect = "Allow"
    actions = [
      "sqs:ChangeMessageVisibility",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:GetQueueUrl",
      "sqs:ReceiveMessage",
      "sqs:SendMessage",
    ]
    resources = ["arn:${local.partition}:sqs:${local.region}:*:airflow-celery-*"]
  }

  statement {
    sid       = "EnvironmentKey"
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
    condition {
      test     = "StringLike"
      variable = "kms:ViaService"
      values   = ["sqs.${local.region}.amazonaws.com", "s3.${local.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "mwaa" {
  count = var.create ? 1 : 0

  name               = "${var.name}-mwaa"
  description        = "${var.name}: MWAA execution role"
  assume_role_policy = data.aws_iam_policy_document.assume[0].json

  tags = var.tags
}

resource "aws_iam_role_policy" "mwaa" {
  count = var.create ? 1 : 0

  name   = "${var.name}-mwaa"
  role   = aws_iam_role.mwaa[0].id
  policy = data.aws_iam_policy_document.execution[0].json
}

resource "aws_mwaa_environment" "this" {
  count = var.create ? 1 : 0

  name                  = var.name
  airflow_version       = var.airflow_version
  environment_class     = var.environment_class
  min_workers           = 1
  max_workers           = var.max_workers
  execution_role_arn    = aws_iam_role.mwaa[0].arn
  source_bucket_arn     = var.source_bucket_arn
  dag_s3_path           = "dags/"
  kms_key               = var.kms_key_arn
  webserver_access_mode = "PRIVATE_ONLY"

  network_configuration {
    security_group_ids = [aws_security_group.mwaa[0].id]
    subnet_ids         = var.subnet_ids
  }

  logging_configuration {
    dag_processing_logs {
      enabled   = true
      log_level = "INFO"
    }
    scheduler_logs {
      enabled   = true
      log_level = "INFO"
    }
    task_logs {
      enabled   = true
      log_level = "INFO"
    }
    webserver_logs {
      enabled   = true
      log_level = "WARNING"
    }
    worker_logs {
      enabled   = true
      log_level = "INFO"
    }
  }

  tags = var.tags

  depends_on = [aws_iam_role_policy.mwaa]
}

# Three roles, one per workload, each allowed exactly the AWS actions its code calls
# (src/data_stack/promote/permissions.py; tests/aws checks the two agree), on the exact resources it touches.
# Statement ids name the resource kind of permissions.py (LakeBucket..., CuratedCatalog, ...).

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  roles = var.create ? toset(["pipeline", "dbt", "dashboards"]) : toset([])

  # The lake prefixes the pipeline writes (docs/sources.md); dbt writes silver/ and gold/.
  pipeline_prefixes = ["bronze", "quarantine", "_state", "cache", "audit"]
  curated_prefixes  = ["silver", "gold"]

  pipeline_lake_objects = [for prefix in local.pipeline_prefixes : "${var.lake_bucket_arn}/${prefix}/*"]
  bronze_objects        = ["${var.lake_bucket_arn}/bronze/*"]
  curated_objects       = [for prefix in local.curated_prefixes : "${var.lake_bucket_arn}/${prefix}/*"]

  glue_catalog = "arn:${local.partition}:glue:${local.region}:${local.account_id}:catalog"
  bronze_catalog = [
    local.glue_catalog,
    "arn:${local.partition}:glue:${local.region}:${local.account_id}:database/${var.bronze_database_name}",
    "arn:${local.partition}:glue:${local.region}:${local.account_id}:table/${var.bronze_database_name}/*",
  ]
  curated_catalog = concat(
    [local.glue_catalog],
    [for database in var.curated_database_names : "arn:${local.partition}:glue:${local.region}:${local.account_id}:database/${database}"],
    [for database in var.curated_database_names : "arn:${local.partition}:glue:${local.region}:${local.account_id}:table/${database}/*"],
  )

  policies = {
    pipeline   = try(data.aws_iam_policy_document.pipeline[0].json, null)
    dbt        = try(data.aws_iam_policy_document.dbt[0].json, null)
    dashboards = try(data.aws_iam_policy_document.dashboards[0].json, null)
  }
}

################################################################################
# Roles
################################################################################

data "aws_iam_policy_document" "assume" {
  for_each = local.roles

  statement {
    sid     = "AssumeRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type = "AWS"
      # Without an entry the account's root: then IAM policies in this account decide who may assume the role.
      identifiers = lookup(var.trusted_principal_arns, each.key, ["arn:${local.partition}:iam::${local.account_id}:root"])
    }
  }
}

resource "aws_iam_role" "this" {
  for_each = local.roles

  name                 = "${var.name}-${each.key}"
  description          = "${var.name}: the ${each.key} workload (src/data_stack/promote/permissions.py)"
  assume_role_policy   = data.aws_iam_policy_document.assume[each.key].json
  max_session_duration = var.max_session_duration
  permissions_boundary = var.permissions_boundary_arn

  tags = var.tags
}

resource "aws_iam_role_policy" "this" {
  for_each = local.roles

  name   = "${var.name}-${each.key}"
  role   = aws_iam_role.this[each.key].id
  policy = local.policies[each.key]
}

################################################################################
# pipeline: Meltano ingest (tap-landing, target-lake, tap-vehicle-values) and the promote copy
################################################################################

data "aws_iam_policy_document" "pipeline" {
  count = var.create ? 1 : 0

  statement {
    sid       = "LandingBucketList"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = [var.landing_bucket_arn]
  }

  statement {
    sid       = "LandingBucketObjects"
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = ["${var.landing_bucket_arn}/*"]
  }

  statement {
    sid       = "LakeBucketList"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = [var.lake_bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = flatten([for prefix in local.pipeline_prefixes : [prefix, "${prefix}/*"]])
    }
  }

  statement {
    sid       = "LakeBucketObjects"
    effect    = "Allow"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = local.pipeline_lake_objects
  }

  statement {
    sid       = "LakeKey"
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }

  statement {
    sid       = "BronzeCatalog"
    effect    = "Allow"
    actions   = ["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions", "glue:BatchCreatePartition"]
    resources = local.bronze_catalog
  }

  statement {
    sid       = "VendorSecret"
    effect    = "Allow"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.vendor_secret_arn]
  }
}

################################################################################
# dbt: dbt-athena reads bronze, writes silver and gold tables and their data, loads the serving database
################################################################################

data "aws_iam_policy_document" "dbt" {
  count = var.create ? 1 : 0

  statement {
    sid    = "Workgroup"
    effect = "Allow"
    actions = [
      "athena:StartQueryExecution",
      "athena:GetQueryExecution",
      "athena:GetQueryResults",
      "athena:StopQueryExecution",
      "athena:GetWorkGroup",
    ]
    resources = [var.workgroup_arn]
  }

  statement {
    sid       = "BronzeCatalog"
    effect    = "Allow"
    actions   = ["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartitions"]
    resources = local.bronze_catalog
  }

  statement {
    sid    = "CuratedCatalog"
    effect = "Allow"
    actions = [
      "glue:GetDatabase",
      "glue:GetDatabases",
      "glue:GetTable",
      "glue:GetTables",
      "glue:CreateTable",
      "glue:UpdateTable",
      "glue:DeleteTable",
      "glue:GetPartitions",
      "glue:BatchCreatePartition",
      "glue:BatchDeletePartition",
    ]
    resources = local.curated_catalog
  }

  statement {
    sid       = "LakeBucketLocation"
    effect    = "Allow"
    actions   = ["s3:GetBucketLocation"] # Athena asks where the data bucket is before it reads
    resources = [var.lake_bucket_arn]
  }

  statement {
    sid       = "LakeBucketList"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = [var.lake_bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = flatten([for prefix in concat(["bronze"], local.curated_prefixes) : [prefix, "${prefix}/*"]])
    }
  }

  statement {
    sid       = "LakeBucketObjects"
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = local.bronze_objects
  }

  statement {
    sid       = "CuratedPrefixes"
    effect    = "Allow"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = local.curated_objects
  }

  statement {
    sid       = "AthenaResultsBucketList"
    effect    = "Allow"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [var.athena_results_bucket_arn]
  }

  statement {
    sid       = "AthenaResultsBucketObjects"
    effect    = "Allow"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${var.athena_results_bucket_arn}/*"]
  }

  statement {
    sid       = "LakeKey"
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }

  dynamic "statement" {
    for_each = var.serving_secret_arn == null ? [] : [var.serving_secret_arn]
    content {
      sid       = "ServingSecret"
      effect    = "Allow"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [statement.value]
    }
  }
}

################################################################################
# dashboards: read only, gold through Athena or the serving database
################################################################################

data "aws_iam_policy_document" "dashboards" {
  count = var.create ? 1 : 0

  statement {
    sid       = "Workgroup"
    effect    = "Allow"
    actions   = ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults"]
    resources = [var.workgroup_arn]
  }

  statement {
    sid       = "CuratedCatalog"
    effect    = "Allow"
    actions   = ["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartitions"]
    resources = local.curated_catalog
  }

  statement {
    sid       = "CuratedPrefixes"
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = local.curated_objects
  }

  statement {
    sid       = "LakeBucketLocation"
    effect    = "Allow"
    actions   = ["s3:GetBucketLocation"] # Athena asks where the data bucket is before it reads
    resources = [var.lake_bucket_arn]
  }

  statement {
    sid       = "LakeBucketList"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = [var.lake_bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = flatten([for prefix in local.curated_prefixes : [prefix, "${prefix}/*"]])
    }
  }

  statement {
    sid       = "AthenaResultsBucketList"
    effect    = "Allow"
    actions   = ["s3:GetBucketLocation"]
    resources = [var.athena_results_bucket_arn]
  }

  statement {
    sid       = "AthenaResultsBucketObjects"
    effect    = "Allow"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${var.athena_results_bucket_arn}/*"]
  }

  # Athena writes the (encrypted) results of the dashboard's query.
  statement {
    sid       = "LakeKey"
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }

  dynamic "statement" {
    for_each = var.serving_secret_arn == null ? [] : [var.serving_secret_arn]
    content {
      sid       = "ServingSecret"
      effect    = "Allow"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [statement.value]
    }
  }
}

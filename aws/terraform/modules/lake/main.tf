# The lake's S3 buckets (landing, lake, Athena results; optionally the MWAA source bucket) and the key that encrypts
# them, plus the bucket that receives their server access logs.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  kms_key_arn = var.create_kms_key ? try(aws_kms_key.lake[0].arn, null) : var.kms_key_arn

  # Bucket key -> bucket name. Every one of these is SSE-KMS with the lake key and logged into the access-log bucket.
  data_buckets = {
    for key, bucket in {
      landing        = "${var.name}-landing"
      lake           = "${var.name}-lake"
      athena_results = "${var.name}-athena-results"
      airflow        = "${var.name}-airflow"
    } : key => bucket
    if var.create && (key != "airflow" || var.create_airflow_bucket)
  }
}

################################################################################
# KMS key
################################################################################

data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_109:a key policy's resource "*" is the key it is attached to, nothing else
  #checkov:skip=CKV_AWS_111:a key policy's resource "*" is the key it is attached to, nothing else
  #checkov:skip=CKV_AWS_356:a key policy's resource "*" is the key it is attached to, nothing else
  count = var.create && var.create_kms_key ? 1 : 0

  # The account administers and uses the key through IAM: the roles in modules/iam get kms:Decrypt and
  # kms:GenerateDataKey on this key only. Actions are listed (no kms:*) so nothing beyond them can be delegated.
  statement {
    sid    = "AccountAdministersAndUsesKeyThroughIam"
    effect = "Allow"
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
    actions = [
      "kms:CancelKeyDeletion",
      "kms:CreateAlias",
      "kms:CreateGrant",
      "kms:Decrypt",
      "kms:DeleteAlias",
      "kms:DescribeKey",
      "kms:DisableKey",
      "kms:DisableKeyRotation",
      "kms:EnableKey",
      "kms:EnableKeyRotation",
      "kms:Encrypt",
      "kms:GenerateDataKey",
      "kms:GenerateDataKeyWithoutPlaintext",
      "kms:GetKeyPolicy",
      "kms:GetKeyRotationStatus",
      "kms:ListGrants",
      "kms:ListKeyRotations",
      "kms:ListResourceTags",
      "kms:PutKeyPolicy",
      "kms:ReEncryptFrom",
      "kms:ReEncryptTo",
      "kms:RetireGrant",
      "kms:RevokeGrant",
      "kms:RotateKeyOnDemand",
      "kms:ScheduleKeyDeletion",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:UpdateAlias",
      "kms:UpdateKeyDescription",
    ]
    # In a key policy "*" is the key the policy is attached to.
    resources = ["*"]
  }

  # MWAA writes its CloudWatch logs encrypted with the environment's key (only when the MWAA bucket is created).
  dynamic "statement" {
    for_each = var.create_airflow_bucket ? [1] : []
    content {
      sid    = "CloudWatchLogsEncryptMwaaLogs"
      effect = "Allow"
      principals {
        type        = "Service"
        identifiers = ["logs.${local.region}.amazonaws.com"]
      }
      actions = [
        "kms:Decrypt",
        "kms:DescribeKey",
        "kms:Encrypt",
        "kms:GenerateDataKey",
        "kms:ReEncryptFrom",
        "kms:ReEncryptTo",
      ]
      resources = ["*"]
      condition {
        test     = "ArnLike"
        variable = "kms:EncryptionContext:aws:logs:arn"
        values   = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:airflow-${var.name}-*"]
      }
    }
  }
}

resource "aws_kms_key" "lake" {
  count = var.create && var.create_kms_key ? 1 : 0

  description             = "${var.name}: lake buckets, Athena results, Glue Data Catalog, secrets, serving database"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.key[0].json

  tags = var.tags
}

resource "aws_kms_alias" "lake" {
  count = var.create && var.create_kms_key ? 1 : 0

  name          = "alias/${var.name}-lake"
  target_key_id = aws_kms_key.lake[0].key_id
}

################################################################################
# Data buckets
################################################################################

resource "aws_s3_bucket" "this" {
  for_each = local.data_buckets

  bucket = each.value

  tags = var.tags
}

resource "aws_s3_bucket_ownership_controls" "this" {
  for_each = local.data_buckets

  bucket = aws_s3_bucket.this[each.key].id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each = local.data_buckets

  bucket                  = aws_s3_bucket.this[each.key].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  for_each = local.data_buckets

  bucket = aws_s3_bucket.this[each.key].id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = local.data_buckets

  bucket = aws_s3_bucket.this[each.key].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = local.kms_key_arn
    }
    bucket_key_enabled = true # one KMS request per bucket key instead of per object: lower KMS cost
  }
}

resource "aws_s3_bucket_logging" "this" {
  for_each = local.data_buckets

  bucket        = aws_s3_bucket.this[each.key].id
  target_bucket = aws_s3_bucket.access_logs[0].id
  target_prefix = "${each.value}/"
}

data "aws_iam_policy_document" "this" {
  for_each = local.data_buckets

  # A Deny lists every action: a deny that names only some would let the others through over plain HTTP.
  statement {
    sid    = "DenyInsecureTransport"
    effect = "Deny"
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this[each.key].arn, "${aws_s3_bucket.this[each.key].arn}/*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  for_each = local.data_buckets

  bucket = aws_s3_bucket.this[each.key].id
  policy = data.aws_iam_policy_document.this[each.key].json

  depends_on = [aws_s3_bucket_public_access_block.this]
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  for_each = local.data_buckets

  bucket = aws_s3_bucket.this[each.key].id

  rule {
    id     = "housekeeping"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = var.abort_incomplete_multipart_upload_days
    }
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }
  }

  # Bronze is append-only and read mostly when new: cheaper storage classes as it ages. Glacier Instant Retrieval
  # keeps millisecond reads, so Athena and a --full-refresh still read it (at a higher per-GB retrieval price).
  dynamic "rule" {
    for_each = each.key == "lake" ? [1] : []
    content {
      id     = "bronze-tiering"
      status = "Enabled"
      filter {
        prefix = "bronze/"
      }
      transition {
        days          = var.bronze_standard_ia_after_days
        storage_class = "STANDARD_IA"
      }
      transition {
        days          = var.bronze_glacier_ir_after_days
        storage_class = "GLACIER_IR"
      }
    }
  }

  # Quarantined rows are kept long enough to release a file (docs/runbooks/quarantined-file.md), then dropped.
  dynamic "rule" {
    for_each = each.key == "lake" ? [1] : []
    content {
      id     = "quarantine-expiry"
      status = "Enabled"
      filter {
        prefix = "quarantine/"
      }
      expiration {
        days = var.quarantine_expiration_days
      }
    }
  }

  # Query results are re-created by running the query again.
  dynamic "rule" {
    for_each = each.key == "athena_results" ? [1] : []
    content {
      id     = "results-expiry"
      status = "Enabled"
      filter {}
      expiration {
        days = var.athena_results_expiration_days
      }
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

################################################################################
# Access-log bucket
################################################################################

# S3 server access logs can only be delivered to a bucket encrypted with SSE-S3 (AES256), not SSE-KMS: this bucket
# uses SSE-S3. It is not logged itself (logging a log bucket into itself would log every delivery, forever).
resource "aws_s3_bucket" "access_logs" {
  count = var.create ? 1 : 0

  #checkov:skip=CKV_AWS_145:S3 server access logging cannot deliver to an SSE-KMS bucket; SSE-S3 is used instead
  #checkov:skip=CKV_AWS_18:this is the access-log target; logging it into itself would loop
  bucket = "${var.name}-access-logs"

  tags = var.tags
}

resource "aws_s3_bucket_ownership_controls" "access_logs" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.access_logs[0].id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "access_logs" {
  count = var.create ? 1 : 0

  bucket                  = aws_s3_bucket.access_logs[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "access_logs" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.access_logs[0].id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "access_logs" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.access_logs[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

data "aws_iam_policy_document" "access_logs" {
  count = var.create ? 1 : 0

  statement {
    sid    = "DenyInsecureTransport"
    effect = "Deny"
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.access_logs[0].arn, "${aws_s3_bucket.access_logs[0].arn}/*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  # With BucketOwnerEnforced, log delivery is granted by this policy (ACL grants are disabled).
  statement {
    sid    = "S3ServerAccessLogDelivery"
    effect = "Allow"
    principals {
      type        = "Service"
      identifiers = ["logging.s3.amazonaws.com"]
    }
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.access_logs[0].arn}/*"]
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [for bucket in aws_s3_bucket.this : bucket.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_s3_bucket_policy" "access_logs" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.access_logs[0].id
  policy = data.aws_iam_policy_document.access_logs[0].json

  depends_on = [aws_s3_bucket_public_access_block.access_logs]
}

resource "aws_s3_bucket_lifecycle_configuration" "access_logs" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.access_logs[0].id

  rule {
    id     = "access-log-expiry"
    status = "Enabled"
    filter {}
    expiration {
      days = var.access_log_expiration_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = var.abort_incomplete_multipart_upload_days
    }
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }
  }

  depends_on = [aws_s3_bucket_versioning.access_logs]
}

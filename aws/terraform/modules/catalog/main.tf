# The Glue Data Catalog over the lake: the bronze, silver and gold databases, and one external table per bronze stream.
# Bronze partitions (load_date=YYYY-MM-DD) are registered by the pipeline with glue:BatchCreatePartition when a load
# writes a new date: no partition projection, no crawlers (docs/adr/0014-bronze-partitions-registered-in-glue.md).

data "aws_caller_identity" "current" {}

locals {
  db_prefix = replace(var.name, "-", "_")
  layers    = var.create ? toset(["bronze", "silver", "gold"]) : toset([])

  # Generated from the ingestion contract by `python -m data_stack.promote.bronze_tables` (tests/aws checks it).
  bronze_tables = {
    for table in jsondecode(file("${path.module}/bronze_tables.json")).tables : table.name => table if var.create
  }
}

resource "aws_glue_catalog_database" "this" {
  for_each = local.layers

  name        = "${local.db_prefix}_${each.key}"
  description = "${var.name}: ${each.key} layer of the lake"
}

resource "aws_glue_catalog_table" "bronze" {
  for_each = local.bronze_tables

  name          = each.key
  database_name = aws_glue_catalog_database.this["bronze"].name
  description   = "Bronze ${each.value.source}/${each.value.stream}: append-only Parquet written by target-lake"
  table_type    = "EXTERNAL_TABLE"

  parameters = {
    EXTERNAL       = "TRUE"
    classification = "parquet"
  }

  dynamic "partition_keys" {
    for_each = each.value.partition_keys
    content {
      name = partition_keys.value.name
      type = partition_keys.value.type
    }
  }

  storage_descriptor {
    location      = "s3://${var.lake_bucket_name}/bronze/${each.value.source}/${each.value.stream}/"
    input_format  = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"

    ser_de_info {
      name                  = "parquet"
      serialization_library = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
      parameters = {
        "serialization.format" = "1"
      }
    }

    dynamic "columns" {
      for_each = each.value.columns
      content {
        name = columns.value.name
        type = columns.value.type
      }
    }
  }
}

# Encrypts the account's Data Catalog (table definitions, connection passwords) with the lake key. One setting per
# account and region: with several environments in one account, enable it in one of them only.
resource "aws_glue_data_catalog_encryption_settings" "this" {
  count = var.create && var.create_catalog_encryption ? 1 : 0

  catalog_id = data.aws_caller_identity.current.account_id

  data_catalog_encryption_settings {
    connection_password_encryption {
      aws_kms_key_id                       = var.kms_key_arn
      return_connection_password_encrypted = true
    }

    encryption_at_rest {
      catalog_encryption_mode = "SSE-KMS"
      sse_aws_kms_key_id      = var.kms_key_arn
    }
  }
}

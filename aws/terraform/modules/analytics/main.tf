# The Athena workgroup dbt-athena and the dashboards query through. Its settings override the client's: results
# always land in the results bucket encrypted with the lake key, and a query stops at the bytes-scanned cutoff.

resource "aws_athena_workgroup" "this" {
  count = var.create ? 1 : 0

  name          = var.name
  description   = "${var.name}: dbt-athena builds and dashboard queries"
  state         = "ENABLED"
  force_destroy = var.force_destroy

  configuration {
    enforce_workgroup_configuration    = true
    publish_cloudwatch_metrics_enabled = true
    bytes_scanned_cutoff_per_query     = var.bytes_scanned_cutoff_per_query

    engine_version {
      selected_engine_version = var.engine_version
    }

    result_configuration {
      output_location = "s3://${var.athena_results_bucket_name}/${var.results_prefix}"

      encryption_configuration {
        encryption_option = "SSE_KMS"
        kms_key_arn       = var.kms_key_arn
      }
    }
  }

  tags = var.tags
}

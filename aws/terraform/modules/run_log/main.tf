# Optional run log in DynamoDB: the run ledger's runs and stages for deployments without a shared disk for
# ledger.sqlite. Off by default; on-demand billing costs cents a month at one run a day.

resource "aws_dynamodb_table" "this" {
  count = var.create ? 1 : 0

  name         = "${var.name}-run-log"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "run_id"
  range_key    = "stage"

  attribute {
    name = "run_id"
    type = "S"
  }

  attribute {
    name = "stage"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  deletion_protection_enabled = var.deletion_protection

  tags = var.tags
}

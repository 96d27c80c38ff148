# The vehicle valuation vendor's API key (header x-rapidapi-key). Terraform creates the secret, never its value:
# the value is put out of band (aws/README.md, "The vendor API key"), so it is in no variable, plan or state.

resource "aws_secretsmanager_secret" "this" {
  count = var.create ? 1 : 0

  #checkov:skip=CKV2_AWS_57:the vendor issues the key; it is rotated by hand in the vendor's portal (aws/README.md), there is nothing for a rotation Lambda to call
  name                    = "${var.name}/vehicle-api-key"
  description             = "${var.name}: vehicle valuation vendor API key (x-rapidapi-key); value set out of band"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.recovery_window_in_days

  tags = var.tags
}

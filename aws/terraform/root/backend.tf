# Partial configuration: `terraform init -backend-config=backend.hcl` supplies the state bucket (aws/README.md).
terraform {
  backend "s3" {}
}

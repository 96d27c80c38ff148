# terraform init -backend-config=backend.hcl. The state bucket is created once per account, before the first init
# (aws/README.md, "State"); S3-native locking (use_lockfile) needs no DynamoDB table.
bucket       = "northwind-data-stack-tfstate-stage"
key          = "data-stack/stage/terraform.tfstate"
region       = "us-east-1"
encrypt      = true
use_lockfile = true

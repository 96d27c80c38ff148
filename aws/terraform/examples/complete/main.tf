# Every optional part switched on (the MWAA source bucket, MWAA, the DynamoDB run log), so that checkov and
# tests/aws see them as they would be created; the env roots keep them off. Not meant to be applied as is.

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      project             = "northwind-data-stack"
      domain              = "platform"
      env                 = "example"
      owner               = "data-platform@northwind.example"
      data_classification = "confidential"
      cost_center         = "cc-1001-data-platform"
    }
  }
}

locals {
  name = "northwind-data-stack-example"
}

module "lake" {
  source = "../../modules/lake"

  name                  = local.name
  create_airflow_bucket = true
}

module "mwaa" {
  source = "../../modules/mwaa"

  create            = true
  name              = local.name
  airflow_version   = var.airflow_version
  source_bucket_arn = module.lake.airflow_bucket_arn
  kms_key_arn       = module.lake.kms_key_arn
  vpc_id            = var.vpc_id
  subnet_ids        = var.private_subnet_ids
}

module "run_log" {
  source = "../../modules/run_log"

  create      = true
  name        = local.name
  kms_key_arn = module.lake.kms_key_arn
}

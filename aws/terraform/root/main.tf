# The root module every environment runs: aws/envs/<env>/ links to these files and adds only its own
# terraform.tfvars and backend.hcl, so dev, stage and prod differ in values, never in code.

provider "aws" {
  region              = var.region
  allowed_account_ids = var.allowed_account_ids

  # The tagging convention (aws/README.md): every resource carries these six tags.
  default_tags {
    tags = {
      project             = var.project
      domain              = var.domain
      env                 = var.environment
      owner               = var.owner
      data_classification = var.data_classification
      cost_center         = var.cost_center
    }
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  name         = "${var.project}-${var.environment}"
  account_root = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"

  # With MWAA, its execution role may also assume the pipeline and dbt roles (the DAG tasks run as them).
  trusted_principal_arns = var.create_mwaa ? merge(var.trusted_principal_arns, {
    for role in ["pipeline", "dbt"] :
    role => concat(lookup(var.trusted_principal_arns, role, [local.account_root]), [module.mwaa.execution_role_arn])
  }) : var.trusted_principal_arns
}

module "lake" {
  source = "../../terraform/modules/lake"

  name                  = local.name
  create_airflow_bucket = var.create_mwaa
}

module "catalog" {
  source = "../../terraform/modules/catalog"

  name                      = local.name
  lake_bucket_name          = module.lake.lake_bucket_name
  kms_key_arn               = module.lake.kms_key_arn
  create_catalog_encryption = var.create_catalog_encryption
}

module "analytics" {
  source = "../../terraform/modules/analytics"

  name                           = local.name
  athena_results_bucket_name     = module.lake.athena_results_bucket_name
  kms_key_arn                    = module.lake.kms_key_arn
  bytes_scanned_cutoff_per_query = var.athena_bytes_scanned_cutoff_per_query
}

module "secrets" {
  source = "../../terraform/modules/secrets"

  name        = local.name
  kms_key_arn = module.lake.kms_key_arn
}

module "serving" {
  source = "../../terraform/modules/serving"

  name                       = local.name
  vpc_id                     = var.vpc_id
  subnet_ids                 = var.private_subnet_ids
  allowed_security_group_ids = var.serving_allowed_security_group_ids
  allowed_cidr_blocks        = var.serving_allowed_cidr_blocks
  kms_key_arn                = module.lake.kms_key_arn
  instance_class             = var.serving_instance_class
  allocated_storage          = var.serving_allocated_storage
  max_allocated_storage      = var.serving_max_allocated_storage
  multi_az                   = var.serving_multi_az
  backup_retention_period    = var.serving_backup_retention_period
  deletion_protection        = var.serving_deletion_protection
  skip_final_snapshot        = var.serving_skip_final_snapshot
}

module "iam" {
  source = "../../terraform/modules/iam"

  name                      = local.name
  trusted_principal_arns    = local.trusted_principal_arns
  landing_bucket_arn        = module.lake.landing_bucket_arn
  lake_bucket_arn           = module.lake.lake_bucket_arn
  athena_results_bucket_arn = module.lake.athena_results_bucket_arn
  kms_key_arn               = module.lake.kms_key_arn
  bronze_database_name      = module.catalog.bronze_database_name
  curated_database_names    = [module.catalog.silver_database_name, module.catalog.gold_database_name]
  workgroup_arn             = module.analytics.workgroup_arn
  vendor_secret_arn         = module.secrets.secret_arn
  serving_secret_arn        = module.serving.master_user_secret_arn
}

module "mwaa" {
  source = "../../terraform/modules/mwaa"

  create            = var.create_mwaa
  name              = local.name
  source_bucket_arn = module.lake.airflow_bucket_arn
  kms_key_arn       = module.lake.kms_key_arn
  vpc_id            = var.vpc_id
  subnet_ids        = slice(var.private_subnet_ids, 0, min(2, length(var.private_subnet_ids)))
}

module "run_log" {
  source = "../../terraform/modules/run_log"

  create              = var.create_run_log
  name                = local.name
  kms_key_arn         = module.lake.kms_key_arn
  deletion_protection = var.serving_deletion_protection
}

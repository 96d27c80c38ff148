# What the promote code and dbt-athena read (`terraform output -json`); aws/README.md lists them.

output "region" {
  description = "AWS region of the environment"
  value       = var.region
}

output "name" {
  description = "Environment name: the prefix of every resource name"
  value       = local.name
}

output "landing_bucket" {
  description = "Name of the landing bucket"
  value       = module.lake.landing_bucket_name
}

output "lake_bucket" {
  description = "Name of the lake bucket (bronze/, quarantine/, _state/, cache/, audit/, silver/, gold/)"
  value       = module.lake.lake_bucket_name
}

output "athena_results_bucket" {
  description = "Name of the Athena results bucket"
  value       = module.lake.athena_results_bucket_name
}

output "access_logs_bucket" {
  description = "Name of the server access log bucket"
  value       = module.lake.access_logs_bucket_name
}

output "kms_key_arn" {
  description = "ARN of the lake KMS key"
  value       = module.lake.kms_key_arn
}

output "bronze_database" {
  description = "Name of the bronze Glue database"
  value       = module.catalog.bronze_database_name
}

output "silver_database" {
  description = "Name of the silver Glue database"
  value       = module.catalog.silver_database_name
}

output "gold_database" {
  description = "Name of the gold Glue database"
  value       = module.catalog.gold_database_name
}

output "bronze_tables" {
  description = "Names of the bronze Glue tables"
  value       = module.catalog.bronze_table_names
}

output "athena_workgroup" {
  description = "Name of the Athena workgroup"
  value       = module.analytics.workgroup_name
}

output "athena_results_location" {
  description = "S3 location of Athena query results (dbt-athena's s3_staging_dir)"
  value       = module.analytics.results_location
}

output "serving_endpoint" {
  description = "host:port of the serving database"
  value       = module.serving.endpoint
}

output "serving_address" {
  description = "Host name of the serving database"
  value       = module.serving.address
}

output "serving_port" {
  description = "Port of the serving database"
  value       = module.serving.port
}

output "serving_database" {
  description = "Name of the serving database"
  value       = module.serving.database_name
}

output "serving_secret_arn" {
  description = "ARN of the secret holding the serving database's master credentials (kept by RDS)"
  value       = module.serving.master_user_secret_arn
}

output "vendor_secret_name" {
  description = "Name of the vendor API key secret"
  value       = module.secrets.secret_name
}

output "vendor_secret_arn" {
  description = "ARN of the vendor API key secret"
  value       = module.secrets.secret_arn
}

output "pipeline_role_arn" {
  description = "ARN of the pipeline role"
  value       = module.iam.pipeline_role_arn
}

output "dbt_role_arn" {
  description = "ARN of the dbt role"
  value       = module.iam.dbt_role_arn
}

output "dashboards_role_arn" {
  description = "ARN of the dashboards role"
  value       = module.iam.dashboards_role_arn
}

output "mwaa_webserver_url" {
  description = "URL of the MWAA Airflow UI (null unless create_mwaa)"
  value       = module.mwaa.webserver_url
}

output "run_log_table" {
  description = "Name of the DynamoDB run log (null unless create_run_log)"
  value       = module.run_log.table_name
}

output "landing_bucket_name" {
  description = "Name of the landing bucket (sources drop files under <source>/)"
  value       = try(aws_s3_bucket.this["landing"].id, null)
}

output "landing_bucket_arn" {
  description = "ARN of the landing bucket"
  value       = try(aws_s3_bucket.this["landing"].arn, null)
}

output "lake_bucket_name" {
  description = "Name of the lake bucket (bronze/, quarantine/, _state/, cache/, audit/, silver/, gold/)"
  value       = try(aws_s3_bucket.this["lake"].id, null)
}

output "lake_bucket_arn" {
  description = "ARN of the lake bucket"
  value       = try(aws_s3_bucket.this["lake"].arn, null)
}

output "athena_results_bucket_name" {
  description = "Name of the Athena query results bucket"
  value       = try(aws_s3_bucket.this["athena_results"].id, null)
}

output "athena_results_bucket_arn" {
  description = "ARN of the Athena query results bucket"
  value       = try(aws_s3_bucket.this["athena_results"].arn, null)
}

output "airflow_bucket_name" {
  description = "Name of the MWAA source bucket (null unless create_airflow_bucket)"
  value       = try(aws_s3_bucket.this["airflow"].id, null)
}

output "airflow_bucket_arn" {
  description = "ARN of the MWAA source bucket (null unless create_airflow_bucket)"
  value       = try(aws_s3_bucket.this["airflow"].arn, null)
}

output "access_logs_bucket_name" {
  description = "Name of the bucket receiving the server access logs of the other buckets"
  value       = try(aws_s3_bucket.access_logs[0].id, null)
}

output "kms_key_arn" {
  description = "ARN of the KMS key encrypting the data buckets"
  value       = var.create ? local.kms_key_arn : null
}

output "kms_key_alias" {
  description = "Alias of the KMS key created here (null when an existing key is used)"
  value       = try(aws_kms_alias.lake[0].name, null)
}

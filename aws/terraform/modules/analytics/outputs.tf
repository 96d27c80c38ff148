output "workgroup_name" {
  description = "Name of the Athena workgroup (dbt-athena's work_group)"
  value       = try(aws_athena_workgroup.this[0].name, null)
}

output "workgroup_arn" {
  description = "ARN of the Athena workgroup"
  value       = try(aws_athena_workgroup.this[0].arn, null)
}

output "results_location" {
  description = "S3 location of the query results (dbt-athena's s3_staging_dir)"
  value       = var.create ? "s3://${var.athena_results_bucket_name}/${var.results_prefix}" : null
}

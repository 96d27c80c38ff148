output "environment_arn" {
  description = "ARN of the MWAA environment (null unless created)"
  value       = try(aws_mwaa_environment.this[0].arn, null)
}

output "webserver_url" {
  description = "URL of the Airflow UI, reachable from inside the VPC (null unless created)"
  value       = try(aws_mwaa_environment.this[0].webserver_url, null)
}

output "execution_role_arn" {
  description = "ARN of the execution role; the pipeline and dbt roles trust it when MWAA is created"
  value       = try(aws_iam_role.mwaa[0].arn, null)
}

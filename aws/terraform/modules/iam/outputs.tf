output "pipeline_role_arn" {
  description = "ARN of the pipeline role (Meltano ingest, the promote copy, partition registration)"
  value       = try(aws_iam_role.this["pipeline"].arn, null)
}

output "dbt_role_arn" {
  description = "ARN of the dbt role (dbt-athena builds, the serving load)"
  value       = try(aws_iam_role.this["dbt"].arn, null)
}

output "dashboards_role_arn" {
  description = "ARN of the dashboards role (read-only: gold through Athena, the serving database)"
  value       = try(aws_iam_role.this["dashboards"].arn, null)
}

output "role_names" {
  description = "Map of workload (pipeline, dbt, dashboards) to role name"
  value       = { for key, role in aws_iam_role.this : key => role.name }
}

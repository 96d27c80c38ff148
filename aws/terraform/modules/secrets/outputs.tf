output "secret_arn" {
  description = "ARN of the vendor API key secret"
  value       = try(aws_secretsmanager_secret.this[0].arn, null)
}

output "secret_name" {
  description = "Name of the vendor API key secret (put its value with aws secretsmanager put-secret-value)"
  value       = try(aws_secretsmanager_secret.this[0].name, null)
}

output "endpoint" {
  description = "Connection endpoint, host:port"
  value       = try(aws_db_instance.this[0].endpoint, null)
}

output "address" {
  description = "Host name of the instance"
  value       = try(aws_db_instance.this[0].address, null)
}

output "port" {
  description = "Port of the instance"
  value       = try(aws_db_instance.this[0].port, null)
}

output "database_name" {
  description = "Name of the serving database"
  value       = try(aws_db_instance.this[0].db_name, null)
}

output "master_username" {
  description = "Master user name"
  value       = try(aws_db_instance.this[0].username, null)
}

output "master_user_secret_arn" {
  description = "ARN of the Secrets Manager secret RDS keeps the master credentials in"
  value       = try(aws_db_instance.this[0].master_user_secret[0].secret_arn, null)
}

output "instance_arn" {
  description = "ARN of the instance"
  value       = try(aws_db_instance.this[0].arn, null)
}

output "security_group_id" {
  description = "ID of the security group guarding the instance"
  value       = try(aws_security_group.serving[0].id, null)
}

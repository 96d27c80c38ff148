variable "create" {
  description = "Whether to create the serving database"
  type        = bool
  default     = true
}

variable "name" {
  description = "Environment name, e.g. northwind-data-stack-dev: the instance, its subnet group and security group are <name>-serving"
  type        = string
}

variable "vpc_id" {
  description = "ID of the VPC holding the subnets"
  type        = string
}

variable "subnet_ids" {
  description = "IDs of the private subnets (at least two availability zones) of the DB subnet group"
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "RDS needs subnets in at least two availability zones."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups allowed to connect on 5432 (the pipeline, dbt and dashboard workloads)"
  type        = list(string)
  default     = []
}

variable "allowed_cidr_blocks" {
  description = "IPv4 CIDRs allowed to connect on 5432 (private ranges, e.g. a VPN); never 0.0.0.0/0"
  type        = list(string)
  default     = []

  validation {
    condition     = !contains(var.allowed_cidr_blocks, "0.0.0.0/0")
    error_message = "The serving database is private: 0.0.0.0/0 is not allowed."
  }
}

variable "kms_key_arn" {
  description = "ARN of the KMS key encrypting storage, the master user secret and Performance Insights"
  type        = string
}

variable "engine_version" {
  description = "PostgreSQL version; a major version lets RDS pick and upgrade the minor (auto_minor_version_upgrade)"
  type        = string
  default     = "15"
}

variable "instance_class" {
  description = "Instance class, e.g. db.t4g.micro"
  type        = string
  default     = "db.t4g.micro"
}

variable "allocated_storage" {
  description = "Initial storage in GB (gp3)"
  type        = number
  default     = 20
}

variable "max_allocated_storage" {
  description = "Upper limit in GB for storage autoscaling (0 disables it)"
  type        = number
  default     = 100
}

variable "database_name" {
  description = "Name of the database created on the instance (the serving schemas live in it)"
  type        = string
  default     = "serving"
}

variable "master_username" {
  description = "Master user name; its password is generated and kept in Secrets Manager by RDS"
  type        = string
  default     = "serving_admin"
}

variable "multi_az" {
  description = "Whether to run a standby in a second availability zone (doubles the instance cost)"
  type        = bool
  default     = false
}

variable "backup_retention_period" {
  description = "Days of automated backups (point-in-time recovery window)"
  type        = number
  default     = 7

  validation {
    condition     = var.backup_retention_period >= 1
    error_message = "Keep automated backups for at least one day."
  }
}

variable "backup_window" {
  description = "Daily UTC window for automated backups (hh24:mi-hh24:mi)"
  type        = string
  default     = "03:00-04:00"
}

variable "maintenance_window" {
  description = "Weekly UTC maintenance window (ddd:hh24:mi-ddd:hh24:mi)"
  type        = string
  default     = "sun:04:30-sun:05:30"
}

variable "deletion_protection" {
  description = "Whether the instance refuses deletion (true outside dev)"
  type        = bool
  default     = true
}

variable "skip_final_snapshot" {
  description = "Whether deleting the instance skips the final snapshot (dev only)"
  type        = bool
  default     = false
}

variable "log_min_duration_statement_ms" {
  description = "Statements running longer than this many milliseconds are logged (-1 disables)"
  type        = number
  default     = 1000
}

variable "performance_insights_enabled" {
  description = "Whether to enable Performance Insights (encrypted with kms_key_arn)"
  type        = bool
  default     = false
}

variable "monitoring_interval" {
  description = "Enhanced Monitoring interval in seconds (0 disables it; then monitoring_role_arn is not needed)"
  type        = number
  default     = 0
}

variable "monitoring_role_arn" {
  description = "ARN of the role RDS uses to publish Enhanced Monitoring metrics (when monitoring_interval > 0)"
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to the serving resources, on top of the provider's default_tags"
  type        = map(string)
  default     = {}
}

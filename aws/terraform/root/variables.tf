variable "project" {
  description = "Project name: the first part of every resource name and the project tag"
  type        = string
  default     = "northwind-data-stack"
}

variable "environment" {
  description = "Environment: dev, stage or prod (the env tag, and the second part of every resource name)"
  type        = string

  validation {
    condition     = contains(["dev", "stage", "prod"], var.environment)
    error_message = "environment must be dev, stage or prod."
  }
}

variable "region" {
  description = "AWS region of the environment"
  type        = string
  default     = "us-east-1"
}

variable "allowed_account_ids" {
  description = "AWS account IDs this root may run against (null: any); set it so a wrong profile fails before any change"
  type        = list(string)
  default     = null
}

variable "domain" {
  description = "domain tag: the data domain owning the resources (platform for the shared stack)"
  type        = string
  default     = "platform"
}

variable "owner" {
  description = "owner tag: the team answering for the resources (an e-mail or team handle)"
  type        = string
}

variable "data_classification" {
  description = "data_classification tag: public, internal, confidential or restricted (bronze holds customer PII)"
  type        = string
  default     = "confidential"

  validation {
    condition     = contains(["public", "internal", "confidential", "restricted"], var.data_classification)
    error_message = "data_classification must be public, internal, confidential or restricted."
  }
}

variable "cost_center" {
  description = "cost_center tag: where the bill goes"
  type        = string
}

variable "vpc_id" {
  description = "ID of the VPC holding the serving database (and MWAA)"
  type        = string
}

variable "private_subnet_ids" {
  description = "IDs of private subnets in at least two availability zones"
  type        = list(string)
}

variable "serving_allowed_security_group_ids" {
  description = "Security groups allowed to reach the serving database on 5432"
  type        = list(string)
  default     = []
}

variable "serving_allowed_cidr_blocks" {
  description = "Private IPv4 CIDRs allowed to reach the serving database on 5432"
  type        = list(string)
  default     = []
}

variable "serving_instance_class" {
  description = "Instance class of the serving database"
  type        = string
}

variable "serving_allocated_storage" {
  description = "Initial storage of the serving database in GB"
  type        = number
}

variable "serving_max_allocated_storage" {
  description = "Storage autoscaling limit of the serving database in GB"
  type        = number
}

variable "serving_multi_az" {
  description = "Whether the serving database has a standby in a second availability zone"
  type        = bool
  default     = false
}

variable "serving_backup_retention_period" {
  description = "Days of automated backups of the serving database"
  type        = number
  default     = 7
}

variable "serving_deletion_protection" {
  description = "Whether the serving database (and the run log) refuse deletion: false only in dev"
  type        = bool
}

variable "serving_skip_final_snapshot" {
  description = "Whether deleting the serving database skips its final snapshot: true only in dev"
  type        = bool
  default     = false
}

variable "athena_bytes_scanned_cutoff_per_query" {
  description = "Bytes one Athena query may scan before it is cancelled"
  type        = number
  default     = 10737418240
}

variable "trusted_principal_arns" {
  description = "Role (pipeline, dbt, dashboards) -> principal ARNs allowed to assume it; missing roles trust the account root"
  type        = map(list(string))
  default     = {}
}

variable "create_catalog_encryption" {
  description = "Whether to encrypt the account's Glue Data Catalog with the lake key (one setting per account and region)"
  type        = bool
  default     = true
}

variable "create_mwaa" {
  description = "Whether to create MWAA and its source bucket (about $360 a month)"
  type        = bool
  default     = false
}

variable "create_run_log" {
  description = "Whether to create the DynamoDB run log (cents a month)"
  type        = bool
  default     = false
}

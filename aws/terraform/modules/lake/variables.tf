variable "create" {
  description = "Whether to create the buckets and the key (false creates nothing)"
  type        = bool
  default     = true
}

variable "name" {
  description = "Name prefix of every bucket, e.g. northwind-data-stack-dev (buckets: <name>-landing, <name>-lake, <name>-athena-results, <name>-access-logs)"
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}[a-z0-9]$", var.name))
    error_message = "name must be 3-42 lower-case letters, digits or hyphens (S3 bucket names are at most 63 characters)."
  }
}

variable "create_kms_key" {
  description = "Whether to create the customer-managed KMS key that encrypts the data buckets; false uses kms_key_arn"
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "ARN of an existing KMS key for the data buckets, used when create_kms_key is false"
  type        = string
  default     = null

  validation {
    condition     = var.create_kms_key || var.kms_key_arn != null
    error_message = "Set kms_key_arn when create_kms_key is false."
  }
}

variable "kms_key_deletion_window_in_days" {
  description = "Days a deleted key can still be recovered (7-30)"
  type        = number
  default     = 30
}

variable "create_airflow_bucket" {
  description = "Whether to create <name>-airflow, the MWAA source bucket (DAGs, requirements), and let CloudWatch Logs use the key for MWAA's logs"
  type        = bool
  default     = false
}

variable "bronze_standard_ia_after_days" {
  description = "Days after which bronze/ objects move to STANDARD_IA"
  type        = number
  default     = 30
}

variable "bronze_glacier_ir_after_days" {
  description = "Days after which bronze/ objects move to GLACIER_IR"
  type        = number
  default     = 180
}

variable "quarantine_expiration_days" {
  description = "Days after which quarantine/ objects expire"
  type        = number
  default     = 90
}

variable "athena_results_expiration_days" {
  description = "Days after which Athena query results expire"
  type        = number
  default     = 7
}

variable "access_log_expiration_days" {
  description = "Days after which server access logs expire"
  type        = number
  default     = 365
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which an overwritten or deleted object version is removed, in every bucket"
  type        = number
  default     = 30
}

variable "abort_incomplete_multipart_upload_days" {
  description = "Days after which incomplete multipart uploads are aborted, in every bucket"
  type        = number
  default     = 7
}

variable "tags" {
  description = "Tags added to the buckets and the key, on top of the provider's default_tags"
  type        = map(string)
  default     = {}
}

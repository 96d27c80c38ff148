variable "create" {
  description = "Whether to create the workgroup"
  type        = bool
  default     = true
}

variable "name" {
  description = "Name of the workgroup, e.g. northwind-data-stack-dev"
  type        = string
}

variable "athena_results_bucket_name" {
  description = "Name of the bucket receiving query results"
  type        = string
}

variable "results_prefix" {
  description = "Prefix of the query results in the results bucket (ends with /)"
  type        = string
  default     = "results/"
}

variable "kms_key_arn" {
  description = "ARN of the KMS key encrypting query results (SSE_KMS)"
  type        = string
}

variable "bytes_scanned_cutoff_per_query" {
  description = "Bytes one query may scan before Athena cancels it (at least 10485760); default 10 GiB, about $0.05 per query"
  type        = number
  default     = 10737418240

  validation {
    condition     = var.bytes_scanned_cutoff_per_query >= 10485760
    error_message = "Athena's smallest cutoff is 10485760 bytes (10 MiB)."
  }
}

variable "engine_version" {
  description = "Athena engine version of the workgroup"
  type        = string
  default     = "Athena engine version 3"
}

variable "force_destroy" {
  description = "Whether destroying the workgroup also deletes its named queries"
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to the workgroup, on top of the provider's default_tags"
  type        = map(string)
  default     = {}
}

variable "create" {
  description = "Whether to create the databases and tables (false creates nothing)"
  type        = bool
  default     = true
}

variable "name" {
  description = "Environment name, e.g. northwind-data-stack-dev; databases are <name with - as _>_bronze, _silver, _gold"
  type        = string
}

variable "lake_bucket_name" {
  description = "Name of the lake bucket whose bronze/<source>/<stream>/ prefixes the tables cover"
  type        = string
}

variable "kms_key_arn" {
  description = "ARN of the KMS key encrypting the Data Catalog (used when create_catalog_encryption is true)"
  type        = string
  default     = null

  validation {
    condition     = !var.create_catalog_encryption || var.kms_key_arn != null
    error_message = "Set kms_key_arn when create_catalog_encryption is true."
  }
}

variable "create_catalog_encryption" {
  description = "Whether to encrypt the account's Glue Data Catalog and connection passwords with kms_key_arn (one setting per account and region)"
  type        = bool
  default     = true
}

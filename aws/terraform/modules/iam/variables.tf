variable "create" {
  description = "Whether to create the roles"
  type        = bool
  default     = true
}

variable "name" {
  description = "Environment name; the roles are <name>-pipeline, <name>-dbt, <name>-dashboards"
  type        = string
}

variable "trusted_principal_arns" {
  description = "Role (pipeline, dbt, dashboards) -> ARNs allowed to assume it (an account root, CI's OIDC role, the MWAA execution role); a role without an entry trusts this account's root"
  type        = map(list(string))
  default     = {}

  validation {
    condition     = alltrue([for role in keys(var.trusted_principal_arns) : contains(["pipeline", "dbt", "dashboards"], role)])
    error_message = "trusted_principal_arns keys must be pipeline, dbt or dashboards."
  }

  validation {
    condition     = alltrue([for arns in values(var.trusted_principal_arns) : !contains(arns, "*")])
    error_message = "A role cannot trust every principal (\"*\")."
  }
}

variable "permissions_boundary_arn" {
  description = "ARN of a permissions boundary policy for the roles (null: none)"
  type        = string
  default     = null
}

variable "max_session_duration" {
  description = "Maximum session length in seconds when a role is assumed"
  type        = number
  default     = 3600
}

variable "landing_bucket_arn" {
  description = "ARN of the landing bucket"
  type        = string
}

variable "lake_bucket_arn" {
  description = "ARN of the lake bucket"
  type        = string
}

variable "athena_results_bucket_arn" {
  description = "ARN of the Athena results bucket"
  type        = string
}

variable "kms_key_arn" {
  description = "ARN of the lake KMS key (buckets, Athena results, Data Catalog, secrets)"
  type        = string
}

variable "bronze_database_name" {
  description = "Name of the bronze Glue database"
  type        = string
}

variable "curated_database_names" {
  description = "Names of the Glue databases dbt writes (silver and gold)"
  type        = list(string)
}

variable "workgroup_arn" {
  description = "ARN of the Athena workgroup"
  type        = string
}

variable "vendor_secret_arn" {
  description = "ARN of the vendor API key secret"
  type        = string
}

variable "serving_secret_arn" {
  description = "ARN of the serving database credentials secret (null: no serving database, no access)"
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to the roles, on top of the provider's default_tags"
  type        = map(string)
  default     = {}
}

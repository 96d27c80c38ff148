variable "create" {
  description = "Whether to create the run log table"
  type        = bool
  default     = false
}

variable "name" {
  description = "Environment name; the table is <name>-run-log"
  type        = string
}

variable "kms_key_arn" {
  description = "ARN of the KMS key encrypting the table"
  type        = string
  default     = null
}

variable "deletion_protection" {
  description = "Whether the table refuses deletion"
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to the table, on top of the provider's default_tags"
  type        = map(string)
  default     = {}
}

variable "create" {
  description = "Whether to create the secret"
  type        = bool
  default     = true
}

variable "name" {
  description = "Environment name; the secret is <name>/vehicle-api-key"
  type        = string
}

variable "kms_key_arn" {
  description = "ARN of the KMS key encrypting the secret"
  type        = string
}

variable "recovery_window_in_days" {
  description = "Days a deleted secret can be restored (0 deletes at once; 7-30 otherwise)"
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags added to the secret, on top of the provider's default_tags"
  type        = map(string)
  default     = {}
}

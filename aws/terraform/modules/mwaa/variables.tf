variable "create" {
  description = "Whether to create the MWAA environment (about $360 a month for mw1.small: off unless needed)"
  type        = bool
  default     = false
}

variable "name" {
  description = "Name of the environment; also prefixes its role and security group"
  type        = string
}

variable "airflow_version" {
  description = "Airflow version MWAA runs; null takes the latest MWAA offers at creation (the DAGs in airflow/ target Airflow 3)"
  type        = string
  default     = null
}

variable "environment_class" {
  description = "MWAA environment class (mw1.small, mw1.medium, ...)"
  type        = string
  default     = "mw1.small"
}

variable "max_workers" {
  description = "Most workers MWAA scales out to; the pipeline runs one writer at a time"
  type        = number
  default     = 2
}

variable "source_bucket_arn" {
  description = "ARN of the versioned bucket holding dags/ (the lake module's airflow bucket)"
  type        = string
  default     = null

  validation {
    condition     = !var.create || var.source_bucket_arn != null
    error_message = "Set source_bucket_arn (lake module with create_airflow_bucket = true) when create is true."
  }
}

variable "kms_key_arn" {
  description = "ARN of the KMS key encrypting the environment (the lake key; its policy lets CloudWatch Logs use it)"
  type        = string
  default     = null
}

variable "vpc_id" {
  description = "ID of the VPC of the subnets"
  type        = string
  default     = null
}

variable "subnet_ids" {
  description = "Two private subnet IDs (in different availability zones) with a route to AWS APIs"
  type        = list(string)
  default     = []

  validation {
    condition     = !var.create || length(var.subnet_ids) == 2
    error_message = "MWAA needs exactly two private subnets."
  }
}

variable "tags" {
  description = "Tags added to the MWAA resources, on top of the provider's default_tags"
  type        = map(string)
  default     = {}
}

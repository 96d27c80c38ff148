variable "region" {
  description = "AWS region"
  type        = string
  default     = "us-east-1"
}

variable "airflow_version" {
  description = "Airflow version for MWAA (null: the latest MWAA offers)"
  type        = string
  default     = null
}

variable "vpc_id" {
  description = "ID of the VPC for MWAA"
  type        = string
  default     = "vpc-00000000000000000"
}

variable "private_subnet_ids" {
  description = "Two private subnet IDs for MWAA"
  type        = list(string)
  default     = ["subnet-00000000000000000", "subnet-11111111111111111"]
}

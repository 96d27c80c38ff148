environment = "prod"
region      = "us-east-1"

# Tags (the convention: aws/README.md)
owner               = "data-platform@northwind.example"
cost_center         = "cc-1001-data-platform"
data_classification = "confidential"

# Network: replace with the account's VPC and private subnets before the first apply.
vpc_id             = "vpc-00000000000000000"
private_subnet_ids = ["subnet-00000000000000000", "subnet-11111111111111111"]

# Serving database: single-AZ as priced in aws/cost/usage-prod.yml; 14 days of point-in-time recovery.
serving_instance_class          = "db.t4g.medium"
serving_allocated_storage       = 100
serving_max_allocated_storage   = 200
serving_multi_az                = false
serving_backup_retention_period = 14
serving_deletion_protection     = true
serving_skip_final_snapshot     = false

create_mwaa    = false
create_run_log = false

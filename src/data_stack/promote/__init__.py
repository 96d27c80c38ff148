"""Promotion to AWS: the Terraform plan, the lake copied to S3, bronze partitions registered in Glue, and the cost
of running it (docs/aws.md)."""

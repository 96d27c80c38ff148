"""The AWS actions each role's code calls: the IAM policies in aws/terraform/modules/iam must grant exactly these
(tests/aws checks it), and nothing broader. Resources are named by what they cover in the module."""

from __future__ import annotations

# role -> resource kind -> actions. Resource kinds: landing_bucket, lake_bucket (bronze/, quarantine/, _state/,
# cache/, audit/ prefixes), curated_prefixes (silver/ and gold/ in the lake bucket), athena_results_bucket,
# lake_key (KMS), bronze_catalog (the bronze Glue database and its tables), curated_catalog (silver and gold
# databases), workgroup (Athena), vendor_secret, serving_secret.
PIPELINE = {  # Meltano ingest (tap-landing, target-lake, tap-vehicle-values) and the promote copy
    "landing_bucket": ["s3:GetObject", "s3:ListBucket"],
    "lake_bucket": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"],
    "lake_key": ["kms:Decrypt", "kms:GenerateDataKey"],
    "bronze_catalog": ["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions", "glue:BatchCreatePartition"],
    "vendor_secret": ["secretsmanager:GetSecretValue"],
}
DBT = {  # dbt-athena: reads bronze, writes silver and gold tables and their data
    "workgroup": [
        "athena:StartQueryExecution",
        "athena:GetQueryExecution",
        "athena:GetQueryResults",
        "athena:StopQueryExecution",
        "athena:GetWorkGroup",
    ],
    "bronze_catalog": ["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartitions"],
    "curated_catalog": [
        "glue:GetDatabase",
        "glue:GetDatabases",
        "glue:GetTable",
        "glue:GetTables",
        "glue:CreateTable",
        "glue:UpdateTable",
        "glue:DeleteTable",
        "glue:GetPartitions",
        "glue:BatchCreatePartition",
        "glue:BatchDeletePartition",
    ],
    "lake_bucket": ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"],
    "curated_prefixes": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
    "athena_results_bucket": ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:GetBucketLocation"],
    "lake_key": ["kms:Decrypt", "kms:GenerateDataKey"],
    "serving_secret": ["secretsmanager:GetSecretValue"],  # the serving load into RDS after the build
}
DASHBOARDS = {  # read only: gold through Athena, or the serving database
    "workgroup": ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults"],
    "curated_catalog": ["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartitions"],
    "curated_prefixes": ["s3:GetObject"],
    "lake_bucket": ["s3:ListBucket", "s3:GetBucketLocation"],
    "athena_results_bucket": ["s3:GetObject", "s3:PutObject", "s3:GetBucketLocation"],
    "lake_key": ["kms:Decrypt", "kms:GenerateDataKey"],  # Athena writes its (encrypted) results for the query
    "serving_secret": ["secretsmanager:GetSecretValue"],
}
ROLES = {"pipeline": PIPELINE, "dbt": DBT, "dashboards": DASHBOARDS}

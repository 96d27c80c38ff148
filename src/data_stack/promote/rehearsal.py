"""The promotion's AWS steps against an S3/Glue/Athena endpoint: real AWS, or moto's server for the rehearsal.

The same functions run in both: create what the Terraform declares (rehearsal only: on AWS, Terraform creates it),
copy the local lake to the lake bucket, register the new bronze partitions in Glue. Each step says what it did.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from data_stack.promote.declared import Declared

LAKE_PREFIXES = ("bronze", "quarantine", "_state", "cache", "audit")  # what the lake holds (docs/sources.md)
PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"


@dataclass
class Step:
    action: str  # what was (or would be) done, one line
    count: int = 0


@dataclass
class Report:
    steps: list[Step] = field(default_factory=list)

    def add(self, action: str, count: int = 0) -> None:
        self.steps.append(Step(action, count))


@contextmanager
def moto_endpoint() -> Iterator[str]:
    """moto's server on a free loopback port (tests use it too)."""
    try:
        from moto import server as moto_server
    except ImportError:
        from data_stack.errors import UserError

        raise UserError("The rehearsal needs moto (a development dependency)", "Run make bootstrap") from None
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def clients(region: str, endpoint: str | None) -> dict[str, Any]:
    import boto3

    if endpoint:  # moto: any key works; never the user's real credentials
        session = boto3.session.Session(aws_access_key_id="rehearsal", aws_secret_access_key="rehearsal")
    else:
        session = boto3.session.Session()
    return {
        name: session.client(name, region_name=region, endpoint_url=endpoint)
        for name in ("s3", "glue", "athena", "kms", "secretsmanager")
    }


def create_declared(aws: dict[str, Any], declared: Declared, report: Report) -> None:
    """What `terraform apply` creates, as far as the later steps need it (rehearsal only)."""
    key = aws["kms"].create_key(Description=f"{declared.name} lake key")["KeyMetadata"]["Arn"]
    report.add(f"KMS key for the lake ({declared.name})", 1)
    for role, bucket in declared.buckets.items():
        _create_bucket(aws["s3"], bucket, declared.region)
        rule: dict[str, Any] = (
            {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
            if role == "access_logs"
            else {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key}}
        )
        aws["s3"].put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [rule]})
        aws["s3"].put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        aws["s3"].put_public_access_block(
            Bucket=bucket,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
        )
    report.add(
        f"S3 buckets, encrypted, versioned, public access blocked: {', '.join(declared.buckets.values())}",
        len(declared.buckets),
    )
    for database in declared.databases:
        aws["glue"].create_database(DatabaseInput={"Name": database})
    report.add(f"Glue databases: {', '.join(declared.databases)}", len(declared.databases))
    for table in declared.tables:
        aws["glue"].create_table(DatabaseName=declared.bronze_database, TableInput=_table_input(declared, table))
    report.add(
        f"Glue tables in {declared.bronze_database} over s3://{declared.lake_bucket}/bronze/", len(declared.tables)
    )
    workgroup = declared.workgroup
    aws["athena"].create_work_group(
        Name=workgroup["name"],
        Configuration={
            "ResultConfiguration": {
                "OutputLocation": f"s3://{declared.buckets['athena_results']}/",
                "EncryptionConfiguration": {"EncryptionOption": "SSE_KMS", "KmsKey": key},
            },
            "EnforceWorkGroupConfiguration": bool(workgroup["enforce"]),
            "BytesScannedCutoffPerQuery": int(workgroup["bytes_scanned_cutoff"]),
            "PublishCloudWatchMetricsEnabled": True,
        },
    )
    report.add(
        f"Athena workgroup {workgroup['name']} "
        f"(enforced, cutoff {int(workgroup['bytes_scanned_cutoff']):,} bytes/query)",
        1,
    )
    for secret in declared.secrets:
        aws["secretsmanager"].create_secret(Name=secret, KmsKeyId=key)
    report.add(
        f"Secrets Manager secrets (values set out of band): {', '.join(declared.secrets)}", len(declared.secrets)
    )


def copy_lake(aws: dict[str, Any], lake: Path, bucket: str, report: Report) -> int:
    """Every file of the local lake's zones to the same key in the lake bucket; files already there are kept."""
    s3 = aws["s3"]
    present = _keys(s3, bucket)
    copied = 0
    for prefix in LAKE_PREFIXES:
        root = lake / prefix
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if not path.is_file():
                continue
            key = path.relative_to(lake).as_posix()
            if key in present:
                continue
            s3.upload_file(str(path), bucket, key)
            copied += 1
    report.add(f"copied the lake ({', '.join(LAKE_PREFIXES)}) to s3://{bucket}/", copied)
    report.add(f"objects now in s3://{bucket}/", len(_keys(s3, bucket)))
    return copied


def register_partitions(aws: dict[str, Any], declared: Declared, report: Report) -> int:
    """One Glue partition per `load_date=` folder of each bronze table that Glue does not list yet."""
    s3, glue = aws["s3"], aws["glue"]
    registered = 0
    for table in declared.tables:
        prefix = f"bronze/{table['source']}/{table['stream']}/"
        dates = sorted(
            {
                part.split("=", 1)[1]
                for key in _keys(s3, declared.lake_bucket, prefix)
                for part in key[len(prefix) :].split("/")[:1]
                if part.startswith("load_date=")
            }
        )
        known = {
            tuple(partition["Values"])
            for page in glue.get_paginator("get_partitions").paginate(
                DatabaseName=declared.bronze_database, TableName=table["name"]
            )
            for partition in page["Partitions"]
        }
        new = [day for day in dates if (day,) not in known]
        for start in range(0, len(new), 100):  # BatchCreatePartition takes at most 100
            glue.batch_create_partition(
                DatabaseName=declared.bronze_database,
                TableName=table["name"],
                PartitionInputList=[_partition_input(declared, table, day) for day in new[start : start + 100]],
            )
        registered += len(new)
    report.add(f"registered bronze partitions (load_date) in Glue {declared.bronze_database}", registered)
    listed = sum(
        len(page["Partitions"])
        for table in declared.tables
        for page in glue.get_paginator("get_partitions").paginate(
            DatabaseName=declared.bronze_database, TableName=table["name"]
        )
    )
    report.add(f"partitions Glue now lists in {declared.bronze_database}", listed)
    return registered


def _create_bucket(s3, bucket: str, region: str) -> None:
    if region == "us-east-1":
        s3.create_bucket(Bucket=bucket)
    else:
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})


def _keys(s3, bucket: str, prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        keys.update(item["Key"] for item in page.get("Contents", []))
    return keys


def _storage(location: str, columns: list[dict]) -> dict[str, Any]:
    return {
        "Columns": [{"Name": column["name"], "Type": column["type"]} for column in columns],
        "Location": location,
        "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
        "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
        "SerdeInfo": {"SerializationLibrary": PARQUET_SERDE},
    }


def _table_input(declared: Declared, table: dict) -> dict[str, Any]:
    location = f"s3://{declared.lake_bucket}/bronze/{table['source']}/{table['stream']}/"
    return {
        "Name": table["name"],
        "TableType": "EXTERNAL_TABLE",
        "Parameters": {"classification": "parquet", "EXTERNAL": "TRUE"},
        "StorageDescriptor": _storage(location, table["columns"]),
        "PartitionKeys": [{"Name": "load_date", "Type": "string"}],
    }


def _partition_input(declared: Declared, table: dict, day: str) -> dict[str, Any]:
    location = f"s3://{declared.lake_bucket}/bronze/{table['source']}/{table['stream']}/load_date={day}/"
    return {"Values": [day], "StorageDescriptor": _storage(location, table["columns"])}


def has_credentials() -> bool:
    """AWS credentials the SDK would use: keys in the environment, a profile, or a container/instance role. With
    S3_ENDPOINT_URL set the keys belong to the S3-compatible store (compose's SeaweedFS, moto), not to AWS."""
    if os.environ.get("S3_ENDPOINT_URL"):
        return False
    if os.environ.get("AWS_ACCESS_KEY_ID") or os.environ.get("AWS_PROFILE"):
        return True
    try:
        import boto3

        return boto3.session.Session().get_credentials() is not None
    except Exception:
        return False

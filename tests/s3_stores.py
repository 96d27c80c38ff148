"""The S3 servers the s3:// tests run on: moto's (an AWS mock inside the test process) and a real SeaweedFS server
(`weed`, tests/seaweed.py), the same release as compose's object store. A fixture parametrized over `STORES` runs
its tests once on each, as `[moto]` and `[seaweedfs]`.

Each store is new and empty. moto takes any key and keeps its buckets per process, across servers (a test names
buckets no other test creates); SeaweedFS signs requests with the one identity it was started with, as in compose.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest

from tests.seaweed import Weed

STORES = ["moto", "seaweedfs"]


@dataclass(frozen=True)
class S3Store:
    name: str
    endpoint: str
    key_id: str
    secret: str
    region: str = "us-east-1"

    @property
    def env(self) -> dict[str, str]:
        """What the pipeline, dbt and DuckDB read to reach the store."""
        return {
            "AWS_ACCESS_KEY_ID": self.key_id,
            "AWS_SECRET_ACCESS_KEY": self.secret,
            "AWS_REGION": self.region,
            "S3_ENDPOINT_URL": self.endpoint,
        }

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=self.region,
            aws_access_key_id=self.key_id,
            aws_secret_access_key=self.secret,
        )

    def create_bucket(self, bucket: str) -> None:
        options = {} if self.region == "us-east-1" else {"LocationConstraint": self.region}
        self.client().create_bucket(Bucket=bucket, **({"CreateBucketConfiguration": options} if options else {}))

    def upload(self, folder: Path, bucket: str, prefix: str, pattern: str = "*") -> None:
        """Every file under `folder` matching `pattern` to `s3://bucket/prefix/<its path under folder>`."""
        client = self.client()
        for path in folder.rglob(pattern):
            if path.is_file():
                client.upload_file(str(path), bucket, f"{prefix}/{path.relative_to(folder).as_posix()}")

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        keys: list[str] = []
        for page in self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            keys.extend(item["Key"] for item in page.get("Contents", []))
        return keys


@contextmanager
def running(
    name: str, folder: Path, *, key_id: str = "test", secret: str = "test", region: str = "us-east-1"
) -> Iterator[S3Store]:
    """A new store of kind `name` (SeaweedFS keeps its data and log in `folder`), stopped on leaving, also when the
    test failed."""
    if name == "moto":
        pytest.importorskip("moto.server")
        from data_stack.promote.rehearsal import moto_endpoint

        with moto_endpoint() as endpoint:
            yield S3Store(name, endpoint, key_id, secret, region)
    elif name == "seaweedfs":
        weed = Weed(folder, key_id=key_id, secret=secret)
        try:
            weed.start()
            yield S3Store(name, weed.endpoint, key_id, secret, region)
        finally:
            weed.kill()
    else:
        raise ValueError(f"unknown S3 store {name!r}: one of {STORES}")

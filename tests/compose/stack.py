"""The compose stack as `make stack-test` drives it: an env file made from .env.example with generated secrets and
free loopback ports, a project name of its own, the images (pulled, or the offline stand-ins built), `up`, health
with bounded waits, and `down -v` at the end whatever happened."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tests.tools import free_port

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
RECEIVER = Path(__file__).with_name("receiver.py")
OFFLINE_BUILD = Path("shared") / "offline-images" / "build.sh"


def offline_images() -> Path | None:
    """The script that builds stand-ins for the upstream images where no registry answers (docs/stack.md):
    STACK_OFFLINE_IMAGES, else ../shared/offline-images/build.sh beside this checkout, or beside the repository it
    was cloned from when that is a folder on this machine (a clean clone elsewhere, as CI makes)."""
    if os.environ.get("STACK_OFFLINE_IMAGES"):
        return Path(os.environ["STACK_OFFLINE_IMAGES"])
    origin = subprocess.run(["git", "-C", str(ROOT), "remote", "get-url", "origin"], capture_output=True, text=True)
    candidates = [ROOT.parent / OFFLINE_BUILD]
    if origin.returncode == 0 and Path(origin.stdout.strip()).is_dir():
        candidates.append(Path(origin.stdout.strip()).resolve().parent / OFFLINE_BUILD)
    return next((path for path in candidates if path.is_file()), None)


STACK_IMAGE = "data-stack:local"
RECEIVER_PORT = 9095
ONE_SHOTS = ("create-buckets", "demo-data", "airflow-init")


class StackError(AssertionError):
    """A step of the stack test failed; the message says which and shows what the services logged."""


def compose_command() -> list[str]:
    """`docker compose` (the plugin) where it exists, else Debian's `docker-compose` 1.29."""
    if subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    raise StackError("no compose client: run scripts/install-docker.sh or install Docker's compose plugin")


def compose_services() -> dict[str, dict]:
    return yaml.safe_load(COMPOSE_FILE.read_text())["services"]


def upstream_images() -> list[str]:
    """The images compose pulls (not the one it builds, not opt-in profiles), and the Dockerfile's base."""
    images = [
        service["image"]
        for service in compose_services().values()
        if "build" not in service and "profiles" not in service and service.get("image") != STACK_IMAGE
    ]
    return sorted({*images, _base_image()})


def image_present(image: str) -> bool:
    return subprocess.run(["docker", "image", "inspect", image], capture_output=True).returncode == 0


def ensure_images(log: Path) -> list[str]:
    """Pull what is absent; where no registry answers, build the stand-ins. Returns the images still absent."""
    images = upstream_images()
    absent = [image for image in images if not image_present(image)]
    for image in list(absent):
        pulled = subprocess.run(["docker", "pull", "-q", image], capture_output=True, text=True, timeout=900)
        with log.open("a") as out:
            out.write(f"docker pull {image}: {pulled.returncode}\n{pulled.stderr}")
        if pulled.returncode == 0:
            absent.remove(image)
        elif "registry" in pulled.stderr or "lookup" in pulled.stderr or "dial tcp" in pulled.stderr:
            break  # no registry: the others would fail the same way
    stand_ins = offline_images()
    if absent and stand_ins is not None:
        with log.open("a") as out:
            out.write(f"building stand-ins with {stand_ins}\n")
            subprocess.run(["bash", str(stand_ins), str(COMPOSE_FILE)], stdout=out, stderr=subprocess.STDOUT)
    absent = [image for image in images if not image_present(image)]
    base = _base_image()
    if base in absent:
        where = f"the stand-ins ({stand_ins}) did not build it" if stand_ins else "no stand-in script was found"
        raise StackError(
            f"cannot get {base}, the image's base: no registry answers and {where}. Pull it from a mirror, or set "
            f"STACK_OFFLINE_IMAGES to offline-images/build.sh (see {log})"
        )
    return absent


def _base_image() -> str:
    return re.search(r"^FROM\s+(\S+)", (ROOT / "Dockerfile").read_text(), re.MULTILINE).group(1)


def build_image(log: Path) -> float:
    """`docker build` of the stack's image (host network: where containers have no route out, it still downloads)."""
    started = time.monotonic()
    with log.open("a") as out:
        built = subprocess.run(
            ["docker", "build", "--network", "host", "-t", STACK_IMAGE, str(ROOT)], stdout=out, stderr=subprocess.STDOUT
        )
    if built.returncode != 0:
        raise StackError(f"docker build failed ({built.returncode}):\n{log.read_text()[-3000:]}")
    return time.monotonic() - started


def image_size(image: str = STACK_IMAGE) -> int:
    out = subprocess.run(["docker", "image", "inspect", "-f", "{{.Size}}", image], capture_output=True, text=True)
    return int(out.stdout.strip() or 0)


def env_file_values(project: str) -> dict[str, str]:
    """.env.example with every change-me secret generated, every host port free, and the alert receiver's URL."""
    values: dict[str, str] = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"^([A-Z][A-Z0-9_]*)=(.*)$", line)
        if match:
            values[match.group(1)] = match.group(2)
    for name, value in values.items():
        if value.startswith("change-me"):
            values[name] = secrets.token_hex(32 if name == "PII_HASH_SALT" else 16)
        elif name.endswith("_HOST_PORT"):
            values[name] = str(free_port())
    from cryptography.fernet import Fernet

    values |= {
        "COMPOSE_PROJECT_NAME": project,
        "AIRFLOW_FERNET_KEY": Fernet.generate_key().decode(),
        "ALERT_WEBHOOK_URL": f"http://alert-receiver:{RECEIVER_PORT}/alerts",
        "RECEIVER_HOST_PORT": str(free_port()),
    }
    return values


def receiver_override(port: int) -> dict:
    """A webhook receiver in the stack's network: Alertmanager posts to it, the test reads what it got."""
    return {
        "services": {
            "alert-receiver": {
                "image": STACK_IMAGE,
                "command": ["python", "/receiver/receiver.py", str(RECEIVER_PORT)],
                "volumes": [f"{RECEIVER}:/receiver/receiver.py:ro"],
                "ports": [f"127.0.0.1:{port}:{RECEIVER_PORT}"],
                "mem_limit": "64m",
            }
        }
    }


@dataclass
class Stack:
    folder: Path
    project: str
    values: dict[str, str] = field(default_factory=dict)
    services: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    command: list[str] = field(default_factory=compose_command)

    def __post_init__(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.values = self.values or env_file_values(self.project)
        self.env_file.write_text("".join(f"{name}={value}\n" for name, value in self.values.items()))
        override = receiver_override(int(self.values["RECEIVER_HOST_PORT"]))
        self.override_file.write_text(yaml.safe_dump(override, sort_keys=False))

    @property
    def env_file(self) -> Path:
        return self.folder / "stack.env"

    @property
    def override_file(self) -> Path:
        return self.folder / "receiver.override.yml"

    def port(self, name: str) -> int:
        return int(self.values[f"{name.upper()}_HOST_PORT"])

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port(name)}"

    def compose(self, *args: str, timeout: float = 600, check: bool = True) -> subprocess.CompletedProcess:
        # Only what compose needs from this process: a variable exported here (CI's, a developer's) would otherwise
        # win over the env file when compose interpolates.
        env = {name: os.environ[name] for name in ("PATH", "HOME", "DOCKER_HOST") if name in os.environ}
        command = [
            *self.command,
            "--project-name",
            self.project,
            "--project-directory",
            str(ROOT),
            "--env-file",
            str(self.env_file),
            "-f",
            str(COMPOSE_FILE),
            "-f",
            str(self.override_file),
            *args,
        ]
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
        if check and result.returncode != 0:
            raise StackError(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout[-2000:]}{result.stderr}")
        return result

    def up(self, timeout: float = 600) -> None:
        self.compose("up", "-d", "--no-build", *self.services, "alert-receiver", timeout=timeout)

    def exec(self, service: str, *command: str, env: dict[str, str] | None = None, timeout: float = 300):
        options = [item for name, value in (env or {}).items() for item in ("-e", f"{name}={value}")]
        return self.compose("exec", "-T", *options, service, *command, timeout=timeout, check=False)

    def restart(self, service: str) -> float:
        started = time.monotonic()
        self.compose("restart", service, timeout=180)
        return time.monotonic() - started

    def containers(self) -> dict[str, dict]:
        """Service name -> `docker inspect` of its container (the one-shots too, exited or not)."""
        every = ["-a"] if self.command == ["docker", "compose"] else []  # 1.29 lists exited containers anyway
        ids = self.compose("ps", "-q", *every, check=False).stdout.split()
        if not ids:
            return {}
        inspected = json.loads(subprocess.run(["docker", "inspect", *ids], capture_output=True, text=True).stdout)
        return {item["Config"]["Labels"]["com.docker.compose.service"]: item for item in inspected}

    def states(self) -> dict[str, str]:
        """healthy | starting | unhealthy | running (no healthcheck) | exited(N) | missing, per started service."""
        containers = self.containers()
        states = {}
        for name in [*self.services, "alert-receiver"]:
            item = containers.get(name)
            if item is None:
                states[name] = "missing"
                continue
            state = item["State"]
            if state["Status"] == "exited":
                states[name] = f"exited({state['ExitCode']})"
            elif "Health" in state:
                states[name] = state["Health"]["Status"]
            else:
                states[name] = state["Status"]
        return states

    def wait_ready(self, timeout: float) -> float:
        """Seconds until every service is healthy (or running, without a healthcheck) and every one-shot exited 0."""
        started = time.monotonic()
        deadline = started + timeout
        checked = {name for name, service in compose_services().items() if "healthcheck" in service}
        while True:
            states = self.states()
            wanted = {
                name: "exited(0)" if name in ONE_SHOTS else "healthy" if name in checked else "running"
                for name in states
            }
            stopped = {name: s for name, s in states.items() if s.startswith("exited") and s != wanted[name]}
            if stopped:
                raise StackError(f"services stopped: {stopped}\n{self.logs(*stopped)}")
            late = {name: s for name, s in states.items() if s != wanted[name]}
            if not late:
                return time.monotonic() - started
            if time.monotonic() > deadline:
                raise StackError(f"not ready after {timeout:.0f}s: {late}\n{self.logs(*late)}")
            time.sleep(2)

    def logs(self, *services: str, tail: int = 60) -> str:
        if not services:
            return ""
        return self.compose("logs", "--no-color", f"--tail={tail}", *services, check=False).stdout[-8000:]

    def down(self, volumes: bool) -> None:
        self.compose("down", *(["-v"] if volumes else []), "--remove-orphans", "--timeout", "20", timeout=300)


_UNITS = {"B": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "kB": 1e3, "MB": 1e6, "GB": 1e9}


def _bytes(text: str) -> float:
    match = re.match(r"([\d.]+)\s*([A-Za-z]+)", text.strip())
    return float(match.group(1)) * _UNITS.get(match.group(2), 1) if match else 0.0


class MemorySampler:
    """`docker stats` every few seconds: each container's peak memory against its limit, by service."""

    def __init__(self, stack: Stack, interval: float = 3.0) -> None:
        self.stack, self.interval = stack, interval
        self.peak: dict[str, dict[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        prefix = f"{self.stack.project}_"
        while not self._stop.is_set():
            out = subprocess.run(
                ["docker", "stats", "--no-stream", "--format", "{{json .}}"], capture_output=True, text=True
            ).stdout
            for line in out.splitlines():
                item = json.loads(line)
                name = item["Name"]
                if not name.startswith((prefix, f"{self.stack.project}-")):
                    continue
                service = re.sub(r"^[^_-]+[_-](.*)[_-]\d+$", r"\1", name)
                used, _, limit = item["MemUsage"].partition("/")
                seen = self.peak.setdefault(service, {"peak_mib": 0.0, "limit_mib": 0.0})
                seen["peak_mib"] = max(seen["peak_mib"], round(_bytes(used) / 2**20, 1))
                seen["limit_mib"] = round(_bytes(limit) / 2**20, 1)
            self._stop.wait(self.interval)

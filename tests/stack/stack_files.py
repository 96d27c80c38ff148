"""Read the stack's files the way Docker Compose and Docker do: compose YAML with `${VAR}` interpolation, .env files,
Dockerfile instructions, port and memory notations."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
DEVCONTAINER = ROOT / ".devcontainer" / "devcontainer.json"
DEVCONTAINER_SCHEMA = Path(__file__).parent / "schemas" / "devContainer.base.schema.json"

# ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, $VAR; `$$` is a literal dollar.
_VARIABLE = re.compile(
    r"\$(?:\$|\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?P<op>:?[-?])?(?P<arg>[^}]*)\}|(?P<bare>[A-Za-z_]\w*))"
)


class InterpolationError(ValueError):
    """A required variable (`${VAR:?message}`) is missing."""


def variables_in(text: str) -> set[str]:
    """Every variable name `text` interpolates."""
    names = set()
    for match in _VARIABLE.finditer(text):
        name = match.group("braced") or match.group("bare")
        if name:
            names.add(name)
    return names


def interpolate(value: Any, env: dict[str, str]) -> Any:
    """Compose's interpolation over strings inside lists and mappings."""
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def replace(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group("braced") or match.group("bare")
        op, arg = match.group("op") or "", match.group("arg") or ""
        current = env.get(name)
        missing = current is None or (op.startswith(":") and current == "")
        if op.endswith("-"):
            return arg if missing else current
        if op.endswith("?"):
            if missing:
                raise InterpolationError(f"{name}: {arg}")
            return current
        return current or ""

    return _VARIABLE.sub(replace, value)


def read_env_file(path: Path) -> dict[str, str]:
    """NAME=value lines; comments and blank lines ignored (the subset of the .env format the stack uses)."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        if sep:
            values[name.strip()] = value.strip()
    return values


def load_compose(path: Path = COMPOSE_FILE) -> dict[str, Any]:
    """The compose file as YAML sees it (anchors and merge keys resolved, nothing interpolated)."""
    return yaml.safe_load(path.read_text())


def resolved_services(compose: dict[str, Any], env: dict[str, str]) -> dict[str, dict[str, Any]]:
    return interpolate(compose["services"], env)


@dataclass(frozen=True)
class Port:
    host_ip: str
    host_port: int
    container_port: int


def parse_port(spec: Any) -> Port:
    """A `ports:` entry, short ("127.0.0.1:8080:8080") or long syntax."""
    if isinstance(spec, dict):
        return Port(str(spec.get("host_ip", "")), int(spec.get("published", 0)), int(spec["target"]))
    text = str(spec).split("/")[0]
    parts = text.rsplit(":", 2)
    if len(parts) == 3:
        return Port(parts[0], int(parts[1]), int(parts[2]))
    if len(parts) == 2:
        return Port("", int(parts[0]), int(parts[1]))
    return Port("", 0, int(parts[0]))


_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "m": 1024**2, "mb": 1024**2, "g": 1024**3, "gb": 1024**3}


def parse_bytes(value: Any) -> int:
    """Compose's byte notation: 512m, 4g, 1024, 1.5gb."""
    if isinstance(value, int):
        return value
    match = re.fullmatch(r"\s*([0-9.]+)\s*([a-zA-Z]*)\s*", str(value))
    if not match or match.group(2).lower() not in _UNITS:
        raise ValueError(f"not a byte value: {value!r}")
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


def memory_limit(service: dict[str, Any]) -> int | None:
    limit = service.get("mem_limit")
    if limit is None:
        limit = service.get("deploy", {}).get("resources", {}).get("limits", {}).get("memory")
    return None if limit is None else parse_bytes(limit)


def command_words(service: dict[str, Any]) -> list[str]:
    command = service.get("command") or []
    return shlex.split(command) if isinstance(command, str) else [str(word) for word in command]


@dataclass(frozen=True)
class Instruction:
    keyword: str
    args: str
    line: int


def dockerfile_instructions(path: Path = DOCKERFILE) -> list[Instruction]:
    """Instructions with continuation lines joined and comments dropped."""
    instructions: list[Instruction] = []
    buffer, start = "", 0
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        stripped = raw.strip()
        if not buffer and (not stripped or stripped.startswith("#")):
            continue
        if buffer and stripped.startswith("#"):
            continue
        if not buffer:
            start = number
        if stripped.endswith("\\"):
            buffer += stripped[:-1] + " "
            continue
        buffer += stripped
        keyword, _, args = buffer.partition(" ")
        instructions.append(Instruction(keyword.upper(), args.strip(), start))
        buffer = ""
    return instructions


def copy_sources(instruction: Instruction) -> list[str]:
    """The build-context sources of a COPY/ADD (none for COPY --from=...)."""
    words = shlex.split(instruction.args)
    if any(word.startswith("--from") for word in words):
        return []
    words = [word for word in words if not word.startswith("--")]
    return words[:-1]


def image_tag(image: str) -> tuple[str, str | None, str | None]:
    """(repository, tag, digest) of an image reference."""
    name, _, digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        repository, tag = name.rsplit(":", 1)
        return repository, tag, digest or None
    return name, None, digest or None


# Images whose tags carry the full version: fewer parts than this is a moving tag (python:3.11 follows patches).
MIN_VERSION_PARTS = {"python": 3, "mcr.microsoft.com/devcontainers/python": 3}


def is_pinned(image: str) -> bool:
    """A digest, or an exact tag: a dated release or a version with enough parts (never `latest`, never `15`)."""
    repository, tag, digest = image_tag(image)
    if digest:
        return True
    if not tag or tag == "latest":
        return False
    if re.search(r"\d{4}-\d{2}-\d{2}", tag):
        return True
    version = re.match(r"v?(\d+(?:\.\d+)*)", tag)
    if not version:
        return False
    repository = repository.removeprefix("docker.io/").removeprefix("library/")
    return len(version.group(1).split(".")) >= MIN_VERSION_PARTS.get(repository, 2)

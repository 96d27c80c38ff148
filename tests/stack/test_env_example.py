""".env.example lists every variable compose interpolates and every setting the code reads, so `cp .env.example .env`
is a complete configuration and a new setting cannot be added without documenting it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from .stack_files import COMPOSE_FILE, ENV_EXAMPLE, ROOT, read_env_file, variables_in

# Names the code reads that are not configuration.
NOT_SETTINGS = {
    "PROJECT_ROOT": "the checkout itself (Settings.project_root), not a setting",
    "PATH": "the system's search path",
    "RUN_ID": "the run a stage belongs to, passed by the pipeline to its tools (Settings.stage_env), not a setting",
}
# os.environ.get("X"), os.getenv("X"), os.environ["X"], and env.get("X") on a copy of os.environ.
_READS = re.compile(r"""(?:environ\.get|getenv|environ\[|\benv\.get)\(?\s*["']([A-Z][A-Z0-9_]+)["']""")
SOURCES = [ROOT / "src", ROOT / "meltano" / "plugins", ROOT / "packages"]


def python_files() -> list[Path]:
    return [
        path
        for source in SOURCES
        for path in source.rglob("*.py")
        if ".meltano" not in path.parts and ".venv" not in path.parts and "tests" not in path.parts
    ]


def settings_names(path: Path) -> set[str]:
    """Environment names of every pydantic-settings class in `path`: env_prefix + field name, upper-cased."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.ClassDef):
            continue
        if not any(getattr(base, "id", getattr(base, "attr", "")) == "BaseSettings" for base in node.bases):
            continue
        prefix = ""
        for item in node.body:
            if isinstance(item, ast.Assign) and getattr(item.targets[0], "id", "") == "model_config":
                for keyword in getattr(item.value, "keywords", []):
                    if keyword.arg == "env_prefix" and isinstance(keyword.value, ast.Constant):
                        prefix = keyword.value.value
        for item in node.body:
            if (
                isinstance(item, ast.AnnAssign)
                and isinstance(item.target, ast.Name)
                and item.target.id != "model_config"
            ):
                names.add(f"{prefix}{item.target.id}".upper())
    return names


def code_reads() -> dict[str, str]:
    """Every environment name the package and the Meltano plugins read -> where."""
    found = {}
    for path in python_files():
        text = path.read_text()
        where = str(path.relative_to(ROOT))
        for name in settings_names(path) | set(_READS.findall(text)):
            found.setdefault(name, where)
    return found


def test_the_scan_finds_the_settings_it_must():
    found = code_reads()
    # One of each kind: a Settings field, a prefixed settings class, the mock's key, a plugin's os.environ.get.
    for name in ("LAKE_URI", "DASHBOARD_BACKEND", "VEHICLE_API_MAX_RETRIES", "MOCK_API_KEY", "AWS_DEFAULT_REGION"):
        assert name in found, name


def test_every_setting_the_code_reads_is_in_env_example(env_example):
    missing = {
        name: where for name, where in code_reads().items() if name not in env_example and name not in NOT_SETTINGS
    }
    assert missing == {}, f"add these to .env.example: {missing}"


def test_every_variable_compose_uses_is_in_env_example(env_example):
    used = variables_in(COMPOSE_FILE.read_text())
    assert sorted(used - set(env_example)) == []


def test_compose_project_name_is_set_there(env_example):
    assert env_example.get("COMPOSE_PROJECT_NAME")


def test_no_variable_is_listed_twice():
    names = [
        line.split("=", 1)[0] for line in ENV_EXAMPLE.read_text().splitlines() if re.match(r"[A-Z][A-Z0-9_]*=", line)
    ]
    assert len(names) == len(set(names))
    assert set(names) == set(read_env_file(ENV_EXAMPLE))

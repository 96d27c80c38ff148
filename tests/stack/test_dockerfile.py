"""The Dockerfile: multi-stage from pinned bases, locked installs, a non-root user, telemetry off, and nothing it
copies missing from the repository or hidden by .dockerignore."""

from __future__ import annotations

import fnmatch
import posixpath
import re
import shlex
import tomllib

import yaml

from .stack_files import DOCKERFILE, DOCKERIGNORE, ROOT, command_words, copy_sources, dockerfile_instructions, is_pinned

TELEMETRY_OFF = {
    "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
}


def instructions(keyword: str):
    return [item for item in dockerfile_instructions() if item.keyword == keyword]


def runtime_env() -> dict[str, str]:
    """ENV of the last stage (KEY=value pairs)."""
    stages, current = [], []
    for item in dockerfile_instructions():
        if item.keyword == "FROM":
            current = []
            stages.append(current)
        elif item.keyword == "ENV":
            current.append(item.args)
    pairs = re.findall(r"([A-Za-z_][A-Za-z0-9_]*)=(\S+)", " ".join(stages[-1]))
    return dict(pairs)


def ignored(path: str) -> bool:
    """Whether .dockerignore keeps `path` out of the build context (its last matching pattern wins)."""
    result = False
    for line in DOCKERIGNORE.read_text().splitlines():
        pattern = line.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/")
        parts = path.rstrip("/").split("/")
        prefixes = ["/".join(parts[: index + 1]) for index in range(len(parts))]
        patterns = [pattern, pattern.removeprefix("**/")]  # `**/` also matches no folder at all
        if any(fnmatch.fnmatch(prefix, each) for prefix in prefixes for each in patterns):
            result = not negate
    return result


def test_multi_stage_from_pinned_bases():
    froms = instructions("FROM")
    assert len(froms) >= 2
    stages = set()
    for item in froms:
        words = item.args.split()
        image = words[0]
        assert image in stages or is_pinned(image), f"line {item.line}: {image} is not pinned"
        assert len(words) == 3 and words[1].upper() == "AS", f"line {item.line}: name every stage"
        stages.add(words[2])


def test_installs_only_what_the_lockfiles_say():
    runs = " ".join(item.args for item in instructions("RUN"))
    syncs = re.findall(r"uv sync ([^&;]*)", runs)
    assert syncs and all("--frozen" in args for args in syncs), syncs
    assert all("--no-dev" in args for args in syncs), "the image carries no dev dependencies"
    assert any("--project airflow" in args for args in syncs), "Airflow's own locked environment"
    bootstrap = (ROOT / "scripts" / "bootstrap.sh").read_text()
    uv_version = re.search(r'UV_VERSION="([^"]+)"', bootstrap).group(1)
    assert f"ARG UV_VERSION={uv_version}" in DOCKERFILE.read_text(), "the same uv as scripts/bootstrap.sh"


def _copied_before(step: str) -> list[str]:
    """Build-context paths COPYed before the first RUN that contains `step`."""
    copied = []
    for item in dockerfile_instructions():
        if item.keyword == "RUN" and step in item.args:
            return copied
        if item.keyword == "COPY":
            copied += [source.rstrip("/") for source in copy_sources(item)]
    raise AssertionError(f"no RUN with {step!r}")


def _covered(path: str, copied: list[str]) -> bool:
    return any(source in (".", path) or path.startswith(source + "/") for source in copied)


def test_path_dependencies_are_copied_before_they_are_installed():
    """uv sync builds uv.lock's path sources (packages/) and `meltano install` the pip_url folders: both must be
    in the image by then, or the build fails on a missing directory."""
    sources = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["uv"]["sources"]
    paths = [source["path"] for source in sources.values() if "path" in source]
    assert paths, "the root pyproject has path sources (packages/duckdb-s3)"
    copied = _copied_before("uv sync")
    for path in paths:
        assert _covered(path, copied), f"{path} is copied after the first uv sync"

    pip_paths = []
    for definition in sorted((ROOT / "meltano").glob("*/*.meltano.yml")):
        for plugins in (yaml.safe_load(definition.read_text()).get("plugins") or {}).values():
            for plugin in plugins:
                words = shlex.split(plugin.get("pip_url", ""))
                pip_paths += [word for word in words if word.startswith((".", "/"))]
    assert "../packages/duckdb-s3" in pip_paths
    copied = _copied_before("meltano install")
    for word in pip_paths:
        path = posixpath.normpath(f"meltano/{word}")  # pip_url paths are relative to the Meltano project
        assert _covered(path, copied), f"pip_url {word} ({path}) is copied after meltano install"


def test_runs_as_a_non_root_user():
    users = instructions("USER")
    assert users, "no USER: the container would run as root"
    assert users[-1].args not in ("root", "0", "0:0")
    assert "--uid 1000" in " ".join(item.args for item in instructions("RUN"))


def test_every_copied_path_exists_and_is_in_the_build_context():
    sources = [source for item in instructions("COPY") + instructions("ADD") for source in copy_sources(item)]
    assert sources
    for source in sources:
        assert (ROOT / source).exists(), f"COPY {source}: not in the repository"
        assert not ignored(source), f"COPY {source}: excluded by .dockerignore"


def test_dockerignore_keeps_secrets_environments_and_data_out():
    for path in (".env", ".git", ".venv", "airflow/.venv", "data", "meltano/.meltano", "dbt/target"):
        assert ignored(path), path
    assert not ignored("src/data_stack/settings.py")


def test_runtime_environment():
    env = runtime_env()
    assert env["PATH"].startswith("/app/.venv/bin:")
    assert env["DATA_STACK_CLI"] == "/app/.venv/bin/data-stack"
    assert env["AIRFLOW__CORE__DAGS_FOLDER"] == "/app/airflow/dags"
    assert env["AIRFLOW_HOME"].startswith("/data/")
    assert {name: env.get(name) for name in TELEMETRY_OFF} == TELEMETRY_OFF


def test_files_compose_runs_from_the_image_are_copied_into_it(services):
    """Paths under /app in service commands exist in the repository, in a folder the Dockerfile copies."""
    copied = [source.rstrip("/") for item in instructions("COPY") for source in copy_sources(item)]
    for name, service in services.items():
        for word in command_words(service):
            if not word.startswith("/app/") or word.startswith(("/app/.venv/", "/app/airflow/.venv/")):
                continue
            relative = word.removeprefix("/app/")
            assert (ROOT / relative).exists(), f"{name}: {word} is not in the repository"
            assert any(relative == path or relative.startswith(path + "/") for path in copied), f"{name}: {word}"


def _stages() -> list[list]:
    stages: list[list] = []
    for item in dockerfile_instructions():
        if item.keyword == "FROM":
            stages.append([])
        stages[-1].append(item)
    return stages


def test_a_code_change_rebuilds_only_the_last_layers():
    """The environments are built from lockfiles, packages/ and meltano/ only; the project's code is copied into the
    runtime stage after every environment, so a change to it reuses every cached layer before (docs/stack.md)."""
    builder, runtime = _stages()[0], _stages()[-1]
    copies = [item for item in builder if item.keyword == "COPY"]
    builder_sources = [source.rstrip("/") for item in copies for source in copy_sources(item)]
    for folder in ("dbt", "dashboards", "airflow/dags", "src/data_stack/cli", "src"):
        assert folder not in builder_sources, f"the builder copies {folder}/: a change to it reinstalls environments"
    assert not any(source.startswith("src/") and source.count("/") > 2 for source in builder_sources), builder_sources
    runtime_copies = [item for item in runtime if item.keyword == "COPY"]
    code = [item for item in runtime_copies if "--from" not in item.args]
    assert {source.rstrip("/") for item in code for source in copy_sources(item)} >= {"src", "dbt", "dashboards"}
    last_environment = max(index for index, item in enumerate(runtime) if "--from=builder" in item.args)
    assert all(runtime.index(item) > last_environment for item in code), "code is copied before the environments"


def test_the_environments_are_copied_in_one_piece_so_their_hard_links_survive():
    runtime = _stages()[-1]
    from_builder = [item.args for item in runtime if item.keyword == "COPY" and "--from=builder" in item.args]
    assert any(args.split()[-2:] == ["/app", "/app"] for args in from_builder), from_builder
    runs = " ".join(item.args for item in _stages()[0] if item.keyword == "RUN")
    assert "slim_environments.py /app/.venv /app/airflow/.venv /app/meltano/.meltano" in runs

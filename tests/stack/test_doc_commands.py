"""Every `data-stack ...` and `make ...` command the docs show exists, with the options they give it, and no doc
calls a `duckdb` command line, which the setup does not install."""

from __future__ import annotations

import re
import shlex
import subprocess

import pytest
import typer

from data_stack.cli.main import app

from .stack_files import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
SEPARATORS = {"&&", "||", ";", "|", "&"}
PLACEHOLDER = re.compile(r"[<…[]|\.\.\.")


def _snippets(text: str) -> list[str]:
    """Lines of fenced code blocks, and inline code that starts like a command."""
    lines, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if fenced:
            lines.append(line)
        else:
            lines += [
                span
                for span in re.findall(r"`([^`]+)`", line)
                if re.match(r"(\S+/)?(data-stack|make|duckdb) -*[a-z]", span)
            ]
    return lines


def _commands(line: str) -> list[list[str]]:
    """The simple commands of a shell line, environment assignments and a leading `$` left out."""
    try:
        tokens = shlex.split(line.replace("\\", " "), comments=True)
    except ValueError:
        tokens = line.split()
    commands, current = [], []
    for token in [*tokens, ";"]:
        if token in SEPARATORS:
            while current and (current[0] == "$" or re.match(r"^[A-Z_][A-Z0-9_]*=", current[0])):
                current.pop(0)
            if current:
                commands.append(current)
            current = []
        else:
            current.append(token)
    return commands


def shown() -> list[tuple[str, list[str]]]:
    found = []
    for path in DOCS:
        for line in _snippets(path.read_text()):
            for command in _commands(line):
                found.append((f"{path.relative_to(ROOT)}: {line.strip()}", command))
    return found


def _program(command: list[str]) -> str:
    return command[0].rsplit("/", 1)[-1]


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    return set(re.findall(r"^([a-z][a-z0-9-]*):", text, re.MULTILINE))


def _check_cli(args: list[str]) -> str | None:
    """What is wrong with `data-stack <args>`, or None."""
    command = typer.main.get_command(app)
    context = "data-stack"
    for token in args:
        if PLACEHOLDER.search(token) or token.startswith("[") or token == "/":
            break  # a placeholder or an optional part of the synopsis: the rest is not literal
        if token.startswith("-"):
            name = token.split("=", 1)[0]
            options = {opt for param in command.params for opt in [*param.opts, *param.secondary_opts]}
            if name not in options | {"--help"}:
                return f"{context} has no option {name}"
            continue
        if hasattr(command, "commands"):  # a group (typer vendors its own click)
            sub = command.commands.get(token)
            if sub is None:
                return f"{context} has no command {token}"
            command, context = sub, f"{context} {token}"
    return None


DOC_COMMANDS = shown()


def test_the_docs_show_commands():
    programs = {_program(command) for _, command in DOC_COMMANDS}
    assert {"data-stack", "make"} <= programs


def test_every_data_stack_command_in_the_docs_exists():
    problems = [
        f"{where}: {problem}"
        for where, command in DOC_COMMANDS
        if _program(command) == "data-stack" and (problem := _check_cli(command[1:]))
    ]
    assert not problems, "\n".join(problems)


def test_every_make_target_in_the_docs_exists():
    targets = make_targets()
    problems = [
        f"{where}: no make target {token}"
        for where, command in DOC_COMMANDS
        if _program(command) == "make"
        for token in command[1:]
        if not token.startswith("-") and "=" not in token and not PLACEHOLDER.search(token) and token not in targets
    ]
    assert not problems, "\n".join(problems)


def test_no_doc_calls_a_duckdb_command_line():
    calls = [where for where, command in DOC_COMMANDS if _program(command) == "duckdb"]
    assert not calls, "use `.venv/bin/python -c` or a data-stack command instead:\n" + "\n".join(calls)


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["run", "--no-generate"], "data-stack run has no option --no-generate"),
        (["serv"], "data-stack has no command serv"),
        (["run", "--full-refresh", "--json"], None),
        (["--debug", "serve", "--run-id", "<run>"], None),
    ],
)
def test_the_check_tells_a_missing_command_or_option(args, problem):
    assert _check_cli(args) == problem


def test_every_markdown_table_has_a_header_row():
    """A table's rows follow its header and separator without a break: a paragraph in between breaks it in two."""
    problems = []
    for path in DOCS:
        lines, fenced = path.read_text().splitlines(), False
        for number, line in enumerate(lines):
            if line.lstrip().startswith("```"):
                fenced = not fenced
            starts = line.startswith("|") and (number == 0 or not lines[number - 1].startswith("|"))
            if not fenced and starts:
                following = lines[number + 1] if number + 1 < len(lines) else ""
                if not re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", following.strip()):
                    problems.append(f"{path.relative_to(ROOT)}:{number + 1}: {line[:60]}")
    assert not problems, "table rows without a header:\n" + "\n".join(problems)


def test_the_layout_table_names_every_folder_and_package():
    readme = (ROOT / "README.md").read_text()
    layout = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    tracked = {name.split("/", 1)[0] for name in files.splitlines() if "/" in name and not name.startswith(".")}
    missing = sorted(name for name in tracked if f"`{name}/" not in layout)
    packages = sorted(path.name for path in (ROOT / "packages").iterdir() if (path / "pyproject.toml").exists())
    missing += [name for name in packages if f"`{name}`" not in layout]
    stages = sorted(path.name for path in (ROOT / "src" / "data_stack").iterdir() if (path / "__init__.py").exists())
    missing += [name for name in stages if f"`{name}" not in layout]
    assert not missing, f"not in README's layout table: {missing}"

"""Write query results as landing files with DuckDB COPY, in parallel, each file complete or absent.

A file is written under a hidden temporary name in its folder and renamed into place, so a reader listing the
landing zone never sees half a file. Row order is fixed by each query's ORDER BY (DuckDB keeps it on COPY), so
files are byte-identical whatever the number of threads.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

CSV = "format csv, header true"
JSON_ARRAY = "format json, array true"


@dataclass(frozen=True)
class FileJob:
    stream: str
    path: Path
    query: str
    options: str


@dataclass
class Written:
    """What a task wrote: (stream, path, rows) per file, and defects injected per (stream, kind)."""

    files: list[tuple[str, Path, int]] = field(default_factory=list)
    defects: dict[tuple[str, str], int] = field(default_factory=dict)


# A task runs on its own cursor.
Task = Callable[[duckdb.DuckDBPyConnection], Written]


def _replace_when_written(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.with_name(f".{path.name}.partial")


def copy_file(conn: duckdb.DuckDBPyConnection, query: str, path: Path, options: str) -> int:
    partial = _replace_when_written(path)
    target = str(partial).replace("'", "''")
    rows = conn.execute(f"copy ({query}) to '{target}' ({options})").fetchone()[0]
    os.replace(partial, path)
    return int(rows)


def write_bytes(path: Path, content: bytes | memoryview) -> None:
    partial = _replace_when_written(path)
    partial.write_bytes(content)
    os.replace(partial, path)


def file_task(job: FileJob) -> Task:
    def run(conn: duckdb.DuckDBPyConnection) -> Written:
        return Written(files=[(job.stream, job.path, copy_file(conn, job.query, job.path, job.options))])

    return run


def run_tasks(conn: duckdb.DuckDBPyConnection, tasks: Iterable[Task], workers: int) -> list[Written]:
    """Run tasks on `workers` threads, each with its own cursor on the same database; results in task order."""

    def work(task: Task) -> Written:
        with conn.cursor() as cursor:
            return task(cursor)

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(work, tasks))

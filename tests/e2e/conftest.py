"""End-to-end helpers: the real CLI, Meltano, dbt and GX on a small generated data set."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

CLI = str(Path(sys.executable).parent / "data-stack")
SCALE = "0.02"
DAYS = "10"


@dataclass
class Stack:
    root: Path

    @property
    def env(self) -> dict[str, str]:
        return dict(os.environ, DATA_DIR=str(self.root), DBT_TARGET="ci", MELTANO_ENVIRONMENT="ci")

    @property
    def current(self) -> Path:
        return self.root / "warehouse" / "current.duckdb"

    def cli(self, *args: str, check: bool = True, timeout: int = 600) -> subprocess.CompletedProcess:
        result = subprocess.run([CLI, *args], env=self.env, capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"data-stack {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def popen(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen([CLI, *args], env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def runs(self) -> list[dict]:
        return json.loads(self.cli("status", "--json", "--limit", "100").stdout)

    def generate(self, *extra: str) -> None:
        self.cli("generate", "--scale", SCALE, "--days", DAYS, "--defect-rate", "0.02", *extra)


def gold_tables(conn: duckdb.DuckDBPyConnection) -> list[str]:
    rows = conn.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_type = 'BASE TABLE' and table_name not like 'stg\\_%' escape '\\' "
        "and table_name not like 'int\\_%' escape '\\' and table_schema <> 'incremental_state' order by all"
    ).fetchall()
    return [f'"{schema}"."{name}"' for schema, name in rows]


def silver_snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every silver table's rows, sorted, without `_built_run_id` (the run that wrote a row: an incremental run and a
    full refresh write the same rows in different runs)."""
    with duckdb.connect(str(path), read_only=True) as conn:
        tables = conn.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and table_schema in ('staging', 'intermediate') order by all"
        ).fetchall()
        result = {}
        for schema, table in tables:
            name = f'"{schema}"."{table}"'
            columns = [column for column, *_ in conn.execute(f"describe {name}").fetchall()]
            kept = ", ".join(f'"{column}"' for column in columns if column != "_built_run_id")
            result[name] = sorted(conn.execute(f"select {kept} from {name}").fetchall(), key=repr)
        return result


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every gold table's rows, sorted, for equality checks."""
    with duckdb.connect(str(path), read_only=True) as conn:
        return {
            table: sorted(conn.execute(f"select * from {table}").fetchall(), key=repr) for table in gold_tables(conn)
        }


def content(path: Path) -> dict[str, list[tuple]]:
    """Every gold table's rows without lineage columns (`_loaded_at`, `_run_id` differ between any two runs)."""
    with duckdb.connect(str(path), read_only=True) as conn:
        result = {}
        for table in gold_tables(conn):
            columns = [name for name, *_ in conn.execute(f"describe {table}").fetchall() if not name.startswith("_")]
            quoted = ", ".join(f'"{name}"' for name in columns)
            result[table] = sorted(conn.execute(f"select {quoted} from {table}").fetchall(), key=repr)
        return result


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Stack:
    stack = Stack(tmp_path_factory.mktemp("stack"))
    stack.generate()
    return stack

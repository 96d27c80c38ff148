"""The Airflow tests run in Airflow's own environment (`make test` runs them with airflow/.venv's pytest)."""

from __future__ import annotations

import importlib.util
import os

# Tests run with DBT_TARGET=ci, where the pipeline refuses a public PII salt; subprocesses inherit this one.
os.environ.setdefault("PII_HASH_SALT", "tests-only-salt")

# Looking up the top-level name does not import it (Airflow must not be imported before tests/airflow configures
# it); in the main environment `airflow` only resolves to the repository's airflow/ folder, a namespace package.
_spec = importlib.util.find_spec("airflow")
collect_ignore = [] if _spec is not None and _spec.origin not in (None, "namespace") else ["airflow"]

# tests/compose brings the whole compose stack up (Docker, minutes): only `make stack-test` runs it.
if not os.environ.get("STACK_TEST"):
    collect_ignore.append("compose")

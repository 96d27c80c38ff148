"""Transform stage: dbt-duckdb builds silver and gold into the run's build database."""

from __future__ import annotations

from data_stack.transform.build import prepare_build_db, run_models

__all__ = ["prepare_build_db", "run_models"]

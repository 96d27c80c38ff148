"""Transform stage: dbt-duckdb builds silver and gold into the run's build database."""

from __future__ import annotations

from data_stack.transform.build import prepare_build_db, run_models, start_models_ahead
from data_stack.transform.dbt_cli import cancel_ahead

__all__ = ["cancel_ahead", "prepare_build_db", "run_models", "start_models_ahead"]

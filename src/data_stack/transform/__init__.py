"""Transform stage: dbt-duckdb builds silver and gold into the run's build database."""

from __future__ import annotations

from data_stack.transform.build import (
    forget_copies,
    prepare_build_db,
    run_models,
    start_copy_ahead,
    start_models_ahead,
)
from data_stack.transform.dbt_cli import cancel_ahead

__all__ = [
    "cancel_ahead",
    "forget_copies",
    "prepare_build_db",
    "run_models",
    "start_copy_ahead",
    "start_models_ahead",
]

"""Ingest stage: Meltano moves new landing files into bronze Parquet; the run's rows are accounted for."""

from __future__ import annotations

from data_stack.ingest.accounting import count_run_rows
from data_stack.ingest.meltano import run_meltano, run_vehicle_api

__all__ = ["count_run_rows", "run_meltano", "run_vehicle_api"]

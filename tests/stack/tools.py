"""The stack tests' own paths; the shared test tools (missing tools, ports, polling) are in tests/tools.py."""

from __future__ import annotations

from .stack_files import ROOT

AIRFLOW_BIN = ROOT / "airflow" / ".venv" / "bin" / "airflow"

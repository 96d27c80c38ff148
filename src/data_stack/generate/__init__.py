"""Synthetic, deterministic Northwind Trading source files (see docs/generator.md)."""

from __future__ import annotations

from data_stack.generate.generator import generate
from data_stack.generate.report import GenerateReport

__all__ = ["GenerateReport", "generate"]

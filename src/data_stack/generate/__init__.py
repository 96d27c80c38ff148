"""Synthetic, deterministic Northwind Trading source files (see docs/generator.md)."""

from __future__ import annotations

from data_stack.generate.generator import GenerateReport, generate

__all__ = ["GenerateReport", "generate"]

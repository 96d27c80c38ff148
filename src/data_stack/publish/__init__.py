"""Publish stage: make a gated build the one readers see, atomically."""

from __future__ import annotations

from data_stack.publish.atomic import publish_build, seal_build

__all__ = ["publish_build", "seal_build"]

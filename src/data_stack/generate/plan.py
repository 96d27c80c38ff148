"""What one `generate()` call produces: the window, the sizes, the seed and the defect rate."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from data_stack.generate.sizes import Sizes
from data_stack.generate.timeline import Window


@dataclass(frozen=True)
class Plan:
    landing_dir: Path
    window: Window
    sizes: Sizes
    seed: int
    defect_rate: float

    def __post_init__(self) -> None:
        if not 0 <= self.defect_rate <= 1:
            raise ValueError(f"defect_rate must be within 0..1, got {self.defect_rate}")

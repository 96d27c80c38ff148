"""What a generation wrote: files, rows per stream, defects injected."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from data_stack.generate.defects import KINDS, QUARANTINED


@dataclass
class GenerateReport:
    landing_dir: Path
    files: list[Path] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # stream (`<source>__<stream>`) -> rows written
    defects: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))  # kind -> rows (files)
    defects_by_stream: dict[str, dict[str, int]] = field(default_factory=dict)  # stream -> kind -> rows
    seconds: float = 0.0

    def add_file(self, stream: str, path: Path, rows: int) -> None:
        self.files.append(path)
        self.rows[stream] = self.rows.get(stream, 0) + rows

    def add_defects(self, stream: str, kind: str, count: int) -> None:
        if count <= 0:
            return
        self.defects[kind] += count
        per_stream = self.defects_by_stream.setdefault(stream, {})
        per_stream[kind] = per_stream.get(kind, 0) + count

    def quarantine_expected(self, stream: str) -> int:
        """Rows of `stream` that ingest is expected to quarantine (null required values, untypeable values)."""
        per_stream = self.defects_by_stream.get(stream, {})
        return sum(per_stream.get(kind, 0) for kind in QUARANTINED)

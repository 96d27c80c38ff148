"""What one run carries from stage to stage: its settings, its ledger (opened once) and what it has done so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from data_stack.ingest.files import FileRecord
from data_stack.ledger import Ledger, StreamCounts
from data_stack.quality import GateResult
from data_stack.settings import Settings


@dataclass
class RunOutcome:
    run_id: str
    stage_seconds: dict[str, float] = field(default_factory=dict)
    streams: dict[str, StreamCounts] = field(default_factory=dict)
    gate: GateResult | None = None
    published: Path | None = None
    schema_drift: dict[str, list[str]] = field(default_factory=dict)
    quarantine_reasons: list[tuple[str, str, int]] = field(default_factory=list)
    files: list[FileRecord] = field(default_factory=list)
    status: str = "running"
    notes: list[str] = field(default_factory=list)


@dataclass
class RunContext:
    settings: Settings
    ledger: Ledger
    outcome: RunOutcome
    full_refresh: bool = False

    @property
    def run_id(self) -> str:
        return self.outcome.run_id

    def note(self, notes: list[str]) -> None:
        """Notes shown in the run's summary and kept in the ledger (`data-stack status`)."""
        if notes:
            self.outcome.notes.extend(notes)
            self.ledger.record_note(self.run_id, "; ".join(self.outcome.notes))

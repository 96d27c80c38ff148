"""`data-stack analyze`: an exploratory profile of a landing file, glob or mart before it is modelled.

resolve the source → load it into a bounded DuckDB session → profile each column → suggest a contract; the report
module renders the result as one standalone HTML file (docs/analyze.md).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from data_stack.analyze.contract import column_type, suggest
from data_stack.analyze.engine import DEFAULT_MEMORY_LIMIT, session
from data_stack.analyze.load import load
from data_stack.analyze.model import ColumnProfile, Profile
from data_stack.analyze.profile import EXACT_ROWS, profile_columns
from data_stack.analyze.report import default_report_path, write_report
from data_stack.analyze.sources import Source, resolve
from data_stack.settings import Settings

__all__ = ["DEFAULT_MEMORY_LIMIT", "ColumnProfile", "Profile", "analyze", "default_report_path", "write_report"]


def analyze(
    text: str,
    settings: Settings,
    *,
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
    exact_rows: int = EXACT_ROWS,
    on_column: Callable[[str], None] | None = None,
) -> Profile:
    """Profile the source `text` names (a path, a glob, `schema.table` or a table name)."""
    started = time.monotonic()
    source = resolve(text, settings)
    with session(settings.data_path / "reports", memory_limit) as conn:
        loaded = load(conn, source)
        profiled = profile_columns(
            conn, loaded.relation, infer=source.kind == "file", exact_rows=exact_rows, on_column=on_column
        )
    rows, columns = profiled.rows, profiled.columns
    for column in columns:
        column.contract_type = column_type(column)
    notes = [f"{path} is empty: skipped." for path in source.skipped] + loaded.notes + profiled.notes
    return Profile(
        source=_describe(source),
        rows=rows,
        columns=columns,
        key_candidates=[column.name for column in columns if column.is_key_candidate],
        composite_keys=profiled.composite_keys,
        approximate=rows > exact_rows,
        exact_rows=exact_rows,
        memory_limit=memory_limit,
        seconds=round(time.monotonic() - started, 3),
        generated_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        rejected=loaded.rejected,
        rejected_examples=loaded.rejected_examples,
        notes=notes,
        contract=suggest(source, columns),
    )


def _describe(source: Source) -> dict[str, object]:
    described: dict[str, object] = {"kind": source.kind, "name": source.label, "given": source.text}
    if source.kind == "file":
        described.update(format=source.format, files=[str(path) for path in source.files], bytes=source.bytes)
    else:
        described.update(database=str(source.database), bytes=source.bytes)
    described["slug"] = source.slug
    return described

"""A warehouse diff as JSON, as Markdown (a pull request's job summary) and as text for the terminal."""

from __future__ import annotations

from dataclasses import asdict

from data_stack.diff.compare import TableDiff, WarehouseDiff


def to_json(diff: WarehouseDiff) -> dict:
    tables = []
    for table in diff.tables:
        item = asdict(table)
        item["columns_retyped"] = {name: {"before": b, "after": a} for name, (b, a) in table.columns_retyped.items()}
        item["measures"] = [
            {"column": m.column, "before": m.before, "after": m.after, "delta": m.delta} for m in table.measures
        ]
        tables.append(item)
    return {"after": diff.after, "before": diff.before, "changed": len(diff.changed), "tables": tables}


def to_markdown(diff: WarehouseDiff) -> str:
    lines = [f"### Data diff: {len(diff.changed)} of {len(diff.tables)} marts change", ""]
    if not diff.changed:
        return "\n".join([*lines, "Every mart is identical.", ""])
    lines += [
        "| mart | status | rows before | rows after | added | removed | changed | schema |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for table in diff.changed:
        lines.append(
            f"| `{table.name}` | {table.status} | {_n(table.rows_before)} | {_n(table.rows_after)} | "
            f"{_n(table.rows_added)} | {_n(table.rows_removed)} | {_n(table.rows_changed)} | {_schema(table) or '—'} |"
        )
    for table in diff.changed:
        details = _details(table)
        if details:
            lines += ["", f"**`{table.name}`**", "", *[_item(line) for line in details]]
    return "\n".join(lines) + "\n"


def to_text(diff: WarehouseDiff) -> str:
    lines = [f"{len(diff.changed)} of {len(diff.tables)} marts change ({diff.after} against {diff.before})"]
    for table in diff.tables:
        if table.status == "same":
            lines.append(f"  same     {table.name} ({_n(table.rows_after)} rows)")
            continue
        counts = f"+{_n(table.rows_added)} -{_n(table.rows_removed)} ~{_n(table.rows_changed)}"
        rows = f"{_n(table.rows_before)} -> {_n(table.rows_after)} rows"
        lines.append(f"  {table.status:<8} {table.name}: {rows}, {counts}")
        lines += [f"             {line}" for line in _details(table)]
    return "\n".join(lines)


def _details(table: TableDiff) -> list[str]:
    lines = []
    schema = _schema(table)
    if schema:
        lines.append(f"schema: {schema}")
    key = ", ".join(table.key)
    for column in table.columns:
        samples = "; ".join(", ".join(str(value) for value in keys) for keys in column.sample_keys)
        lines.append(f"{column.column}: {_n(column.values_changed)} values changed (e.g. {key} = {samples})")
        lines += [f"  {before} -> {after}: {_n(rows)}" for before, after, rows in column.transitions]
    for measure in table.measures:
        if measure.delta:
            change = f"{_num(measure.before)} -> {_num(measure.after)} ({measure.delta:+,.2f})"
            lines.append(f"total {measure.column}: {change}")
    return lines


def _item(line: str) -> str:
    """A Markdown list item; a detail's indented lines (a column's transitions) nest under it."""
    return f"  - {line.strip()}" if line.startswith("  ") else f"- {line}"


def _schema(table: TableDiff) -> str:
    parts = [f"+{c}" for c in table.columns_added] + [f"-{c}" for c in table.columns_removed]
    parts += [f"{c}: {b} -> {a}" for c, (b, a) in table.columns_retyped.items()]
    return ", ".join(parts)


def _n(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}"

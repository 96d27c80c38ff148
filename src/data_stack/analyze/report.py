"""The profile as one standalone HTML file: inline CSS and SVG, no script, nothing fetched; opens offline."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from data_stack.analyze import charts
from data_stack.analyze.model import ColumnProfile, Profile
from data_stack.errors import UserError
from data_stack.settings import Settings

CSS = """
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;margin:0;background:#f6f8fa}
main{max-width:1180px;margin:0 auto;padding:20px 24px 48px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:0 0 10px}h3{font-size:15px;margin:0 0 8px}
.meta,.muted{color:#57606a}.meta{margin:0}
section.card,section.column{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:14px 16px;margin:12px 0}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #eaeef2;
vertical-align:top}th{font-weight:600;color:#57606a;font-size:12px}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
code,pre{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-x:auto}
pre{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:10px;overflow-x:auto;white-space:pre;
margin:6px 0}pre.wrap{white-space:pre-wrap}
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:8px 16px;margin:0}
.facts div{border-left:3px solid #d0d7de;padding-left:8px}.facts dt{color:#57606a;font-size:12px}
.facts dd{margin:0;font-weight:600;font-variant-numeric:tabular-nums}
.grid{display:grid;grid-template-columns:minmax(240px,1fr) minmax(300px,460px) minmax(220px,1fr);gap:12px 20px}
.stats td:first-child{color:#57606a;white-space:nowrap}
.badge{display:inline-block;font-size:11px;font-weight:600;padding:1px 6px;border-radius:10px;margin-left:6px;
vertical-align:2px;background:#eaeef2;color:#424a53}.badge.key{background:#dafbe1;color:#116329}
.badge.warn{background:#fff8c5;color:#7d4e00}.badge.bad{background:#ffebe9;color:#a40e26}
.type{font:12px ui-monospace,Menlo,Consolas,monospace;color:#57606a;margin-left:6px}
.chart{max-width:100%;height:auto;display:block;margin-bottom:6px}.chart .bar{fill:#4c78a8}.chart .bar.out{fill:#e45756}
.chart .line{fill:none;stroke:#4c78a8;stroke-width:1.5}.chart .axis{stroke:#8c959f}
.chart .tick{font-size:10px;fill:#57606a}.caption{font-size:12px;color:#57606a;margin:0 0 2px}
.top td.v{max-width:200px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:12px 20px}.pair>div{min-width:0}
.meter{height:8px;background:#4c78a8;border-radius:2px;min-width:1px}
a{color:#0969da;text-decoration:none}a:hover{text-decoration:underline}
ul.notes{margin:8px 0 0;padding-left:18px}
@media (max-width:900px){.grid,.pair{grid-template-columns:1fr}}
"""


def default_report_path(settings: Settings, slug: str) -> Path:
    return settings.data_path / "reports" / f"{slug}.html"


def write_report(profile: Profile, path: Path) -> Path:
    path = path.expanduser().resolve()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(profile), encoding="utf-8")
    except OSError as exc:
        raise UserError(f"Cannot write the report to {path}: {exc.strerror or exc}", "Give another --output") from exc
    return path


def render(profile: Profile) -> str:
    name = str(profile.source["name"])
    body = "".join(
        [
            _header(profile),
            _overview(profile),
            _contract(profile),
            _index(profile),
            *(_column(index, column, profile) for index, column in enumerate(profile.columns)),
        ]
    )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Profile of {escape(name)}</title><style>{CSS}</style></head>"
        f"<body><main>{body}<p class='muted'>data-stack analyze · what each section means: docs/analyze.md</p>"
        "</main></body></html>\n"
    )


def _header(profile: Profile) -> str:
    source = profile.source
    if source["kind"] == "file":
        files = source.get("files") or []
        what = f"{str(source['format']).upper()} · {len(files)} file{'s' if len(files) != 1 else ''}"
    else:
        what = f"mart in {source['database']}"
    meta = f"{what} · {_bytes(int(source['bytes']))} · profiled {profile.generated_at} in {profile.seconds:.1f} s"
    return f"<header><h1>Profile of {escape(str(source['name']))}</h1><p class='meta'>{escape(meta)}</p></header>"


def _overview(profile: Profile) -> str:
    exactness = f"estimated (over {profile.exact_rows:,} rows)" if profile.approximate else "exact"
    facts = [
        ("rows", f"{profile.rows:,}"),
        ("columns", f"{len(profile.columns):,}"),
        ("key candidates", profile.keys_shown()),
        ("required (never empty)", f"{len(profile.contract.get('stream', {}).get('required', [])):,}"),
        ("quantiles", exactness),
        ("memory limit", profile.memory_limit),
    ]
    if near := profile.near_keys_shown():
        facts.insert(3, ("almost keys (duplicated values)", near))
    if profile.source["kind"] == "file":
        facts.insert(4, ("unreadable records", "not counted" if profile.rejected is None else f"{profile.rejected:,}"))
    items = "".join(f"<div><dt>{escape(label)}</dt><dd>{escape(value)}</dd></div>" for label, value in facts)
    rejected = ""
    if profile.rejected_examples:
        rows = "".join(
            f"<tr><td>{escape(Path(str(item['file'])).name)}</td><td class='n'>{item['line']}</td>"
            f"<td>{escape(str(item['error']))}</td><td><code>{escape(str(item['record']))}</code></td></tr>"
            for item in profile.rejected_examples
        )
        rejected = (
            "<h3 style='margin-top:12px'>Records DuckDB could not read as CSV</h3><table><tr><th>file</th>"
            f"<th class='n'>line</th><th>error</th><th>record</th></tr>{rows}</table>"
        )
    notes = "".join(f"<li>{escape(note)}</li>" for note in profile.notes)
    note_list = f"<ul class='notes'>{notes}</ul>" if notes else ""
    facts_list = f"<dl class='facts'>{items}</dl>"
    return f"<section class='card' id='overview'><h2>Overview</h2>{facts_list}{note_list}{rejected}</section>"


def _contract(profile: Profile) -> str:
    contract = profile.contract
    if not contract:
        return ""
    mart = profile.source["kind"] == "mart"
    hint = (
        "A mart has no landing pattern: add <code>pattern</code> and <code>format</code> if this data is to land "
        "as files."
        if mart
        else "Review it, then add the entry under <code>streams:</code> in "
        "<code>meltano/extract/tap-landing.meltano.yml</code> and the line to <code>docs/sources.md</code>."
    )
    return (
        "<section class='card' id='contract'><h2>Suggested contract</h2>"
        "<p class='muted'>Drawn from the data as it is: <code>*</code> marks a column never empty here; values in "
        f"brackets are every value seen (accepted values) or the range seen. {hint}</p>"
        "<div class='pair'>"
        f"<div><p class='caption'>docs/sources.md</p><pre class='wrap'>{escape(contract['docs'])}</pre></div>"
        f"<div><p class='caption'>tap-landing stream entry</p><pre>{escape(contract['yaml'])}</pre></div>"
        "</div></section>"
    )


def _index(profile: Profile) -> str:
    head = (
        "<tr><th>column</th><th>read as</th><th>contract</th><th class='n'>nulls</th><th class='n'>distinct</th>"
        "<th>min</th><th>max</th><th>flags</th></tr>"
    )
    rows = "".join(
        f"<tr><td><a href='#col-{index}'>{escape(column.name)}</a></td><td><code>{escape(column.read_type)}</code>"
        f"</td><td><code>{escape(column.contract_type)}</code></td><td class='n'>{_pct(column)}</td>"
        f"<td class='n'>{_distinct(column)}</td><td>{escape(_value(column.min))}</td>"
        f"<td>{escape(_value(column.max))}</td><td>{_badges(column)}</td></tr>"
        for index, column in enumerate(profile.columns)
    )
    return f"<section class='card' id='columns'><h2>Columns</h2><table>{head}{rows}</table></section>"


def _column(index: int, column: ColumnProfile, profile: Profile) -> str:
    typed = column.contract_type or column.profiled_as  # a decimal is profiled as a double, declared as DECIMAL
    title = (
        f"<h3>{escape(column.name)}<span class='type'>{escape(column.read_type)}"
        f"{' → ' + escape(typed) if typed != column.read_type else ''}</span>"
        f"{_badges(column)}</h3>"
    )
    charts, top = _charts(column), _top(column)
    cells = (_stats(column, profile), charts, top) if charts else (_stats(column, profile), top, "")
    grid = "<div class='grid'>" + "".join(f"<div>{cell}</div>" for cell in cells) + "</div>"
    return f"<section class='column' id='col-{index}'>{title}{grid}{_findings(column)}</section>"


def _stats(column: ColumnProfile, profile: Profile) -> str:
    rows: list[tuple[str, str]] = [
        ("nulls", f"{column.nulls:,} ({column.null_pct:g}%)"),
        ("distinct", _distinct(column)),
    ]
    if column.kind == "text":
        rows.append(("blank", _value(column.blanks)))
        if column.lengths:
            rows.append(("length", f"{column.lengths['min']:,} – {column.lengths['max']:,}"))
    if column.min is not None:
        rows += [("min", _value(column.min)), ("max", _value(column.max))]
    if column.mean is not None:
        rows.append(("mean", _value(column.mean)))
    if column.stddev is not None:
        rows.append(("stddev", _value(column.stddev)))
    if column.quantiles:
        mark = "≈ " if column.quantiles_approx else ""
        rows += [(name, mark + _value(value)) for name, value in column.quantiles.items()]
    if column.scale is not None:
        rows.append(("decimal places", "more than 4" if column.scale > 4 else str(column.scale)))
    rows.append(("contract type", column.contract_type))
    cells = "".join(f"<tr><td>{escape(label)}</td><td>{escape(value)}</td></tr>" for label, value in rows)
    return f"<table class='stats'>{cells}</table>"


def _charts(column: ColumnProfile) -> str:
    parts = []
    if column.series and column.series["points"]:
        caption = f"rows per {column.series['grain']}"
        chart = charts.series(column.series["points"], grain=column.series["grain"], label=caption)
        parts.append(f"<p class='caption'>{escape(caption)}</p>{chart}")
    if column.histogram and column.histogram["bins"]:
        histogram = column.histogram
        caption = f"histogram: {histogram['of']}"
        if histogram["below"] or histogram["above"]:
            caption += " (red: beyond the outlier fences)"
        chart = charts.histogram(histogram["bins"], below=histogram["below"], above=histogram["above"], label=caption)
        parts.append(f"<p class='caption'>{escape(caption)}</p>{chart}")
    return "".join(parts)


def _top(column: ColumnProfile) -> str:
    if column.is_key_candidate:
        return "<p class='caption'>top values</p><p class='muted'>every value appears once</p>"
    if not column.top:
        return ""
    largest = max(item["count"] for item in column.top) or 1
    rows = "".join(
        f"<tr><td class='v' title='{escape(_value(item['value']))}'>{escape(_value(item['value']))}</td>"
        f"<td class='n'>{item['count']:,}</td><td style='width:70px'><div class='meter' "
        f"style='width:{100 * item['count'] / largest:.0f}%'></div></td></tr>"
        for item in column.top
    )
    return f"<p class='caption'>top values</p><table class='top'>{rows}</table>"


def _findings(column: ColumnProfile) -> str:
    parts = []
    if column.unparseable:
        examples = ", ".join(
            f"<code>{escape(str(example['value']))}</code> ×{example['count']:,}"
            for example in column.unparseable_examples
        )
        parts.append(
            f"<p><span class='badge bad'>{column.unparseable:,} not {escape(column.profiled_as)}</span> "
            f"values that do not parse as {escape(column.profiled_as)} (the contract would quarantine their rows): "
            f"{examples}</p>"
        )
    if column.outliers and column.outliers["count"]:
        outliers = column.outliers
        shown = [_value(v) for v in outliers["low_examples"]] + [_value(v) for v in outliers["high_examples"]]
        fences = ""
        if "low" in outliers and "high" in outliers and column.kind == "number":
            fences = f" (below {_value(outliers['low'])} or above {_value(outliers['high'])})"
        parts.append(
            f"<p><span class='badge warn'>{_count(outliers['count'], 'outlier')}</span> {escape(outliers['method'])}"
            f"{escape(fences)}: {escape(', '.join(shown))}</p>"
        )
    if column.duplicates:
        found = column.duplicates
        parts.append(
            f"<p><span class='badge warn'>{_count(found['values'], 'duplicated value')}</span> almost a key: "
            f"{found['values']:,} values appear more than once, in {found['rows']:,} rows (the top values show "
            "the most repeated)</p>"
        )
    if column.accepted and not column.is_key_candidate and column.kind == "text":
        parts.append(f"<p class='muted'>all values: {escape(', '.join(column.accepted))}</p>")
    return "".join(parts)


def _badges(column: ColumnProfile) -> str:
    badges = []
    if column.is_key_candidate:
        badges.append("<span class='badge key'>key candidate</span>")
    if column.nulls == 0 and column.blanks == 0:
        badges.append("<span class='badge'>required</span>")
    if column.unparseable:
        badges.append(f"<span class='badge bad'>{_count(column.unparseable, 'bad value')}</span>")
    if column.duplicates:
        badges.append(f"<span class='badge warn'>{_count(column.duplicates['values'], 'duplicated value')}</span>")
    if column.outliers and column.outliers["count"]:
        badges.append(f"<span class='badge warn'>{_count(column.outliers['count'], 'outlier')}</span>")
    return "".join(badges)


def _distinct(column: ColumnProfile) -> str:
    return "—" if column.distinct is None else f"{column.distinct:,}"


def _pct(column: ColumnProfile) -> str:
    return f"{column.nulls:,} ({column.null_pct:g}%)" if column.nulls else "0"


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.2f}" if abs(value) >= 1000 else f"{value:.4g}"
    return str(value)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _bytes(size: int) -> str:
    if size < 1024:
        return f"{size:,} B"
    amount, unit = size / 1024, "KB"
    for larger in ("MB", "GB"):
        if amount < 1024:
            break
        amount, unit = amount / 1024, larger
    return f"{amount:,.1f} {unit}"

"""The HTML report stands alone: nothing it refers to is outside the file, and every column has its section."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from data_stack.analyze import analyze, write_report

from .conftest import build_warehouse


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.tags: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "data", "xlink:href") and value:
                self.refs.append(value)
            if name == "id" and value:
                self.ids.append(value)


def _parsed(html: str) -> _Refs:
    parser = _Refs()
    parser.feed(html)
    return parser


def test_the_report_references_nothing_outside_itself(known_csv, settings, tmp_path):
    html = write_report(analyze(str(known_csv), settings), tmp_path / "report.html").read_text()
    parsed = _parsed(html)
    assert all(ref.startswith("#") for ref in parsed.refs), parsed.refs
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:)?//", html, re.IGNORECASE)
    assert "http://" not in html and "https://" not in html
    assert "<script" not in html and "@import" not in html and "url(" not in html
    assert {"link", "img", "iframe", "object"}.isdisjoint(parsed.tags)


def test_overview_and_contract_first_then_one_section_per_column(known_csv, settings, tmp_path):
    profile = analyze(str(known_csv), settings)
    html = write_report(profile, tmp_path / "report.html").read_text()
    parsed = _parsed(html)
    assert parsed.ids == ["overview", "contract", "columns", *(f"col-{n}" for n in range(len(profile.columns)))]
    assert ["#" + f"col-{n}" for n in range(len(profile.columns))] == [r for r in parsed.refs if r.startswith("#col")]
    assert parsed.tags.count("svg") >= 4  # amount and id histograms, day's series and weekdays
    assert "`amount* INTEGER` (5 – 500)" in html and "accepted:\n    status: [b, a, c]" in html
    assert "2026-02-30" in html  # the value that is not a date, shown


def test_values_are_escaped(data_dir, settings, tmp_path):
    path = data_dir / "landing" / "odd.csv"
    path.write_text('label\n"<script>alert(1)</script>"\n"<b>x</b>"\n')
    html = write_report(analyze(str(path), settings), tmp_path / "odd.html").read_text()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_mart_report(data_dir, settings, tmp_path):
    build_warehouse(data_dir)
    html = write_report(analyze("marketing.orders", settings), tmp_path / "mart.html").read_text()
    assert "Profile of marketing.orders" in html and "rows per day" in html and "hour of day (UTC)" in html
    assert "A mart has no landing pattern" in html

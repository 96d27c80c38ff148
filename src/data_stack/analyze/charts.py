"""Inline SVG charts for the report: a bar histogram and a time series. No script, no external file; a bar's
value shows as its tooltip (`<title>`)."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

WIDTH, HEIGHT = 440, 150
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 10, 30
GRAIN_DAYS = {"day": 1, "week": 7, "month": 30.44, "year": 365.25}
LINE_POINTS = 120  # more points than this draw as a line, fewer as bars


def histogram(bins: list[dict[str, Any]], *, below: int = 0, above: int = 0, label: str) -> str:
    """Bars of `bins` (label, count), with the values beyond the shown range as separate bars at either end."""
    bars = [(str(item["label"]), int(item["count"]), "") for item in bins]
    if below:
        bars.insert(0, (f"below {bins[0]['label'].split(' ')[0]}" if bins else "below", below, "out"))
    if above:
        bars.append((f"above {str(bins[-1]['label']).split(' ')[-1]}" if bins else "above", above, "out"))
    if not bars:
        return ""
    top = max(count for _, count, _ in bars) or 1
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_width / len(bars)
    gap = min(2.0, step * 0.15)
    shapes = []
    for index, (text, count, css) in enumerate(bars):
        height = plot_height * count / top
        x, y = LEFT + index * step, TOP + plot_height - height
        shapes.append(
            f'<rect class="bar {css}" x="{x + gap / 2:.1f}" y="{y:.1f}" width="{max(step - gap, 0.5):.1f}" '
            f'height="{height:.1f}"><title>{escape(text)}: {count:,}</title></rect>'
        )
    ticks = _x_ticks([text for text, _, _ in bars], step)
    return _frame(label, top, "".join(shapes) + ticks)


def series(points: list[dict[str, Any]], *, grain: str, label: str) -> str:
    """Rows per period, placed on a time axis so that gaps show as gaps."""
    if not points:
        return ""
    days = [dt.date.fromisoformat(point["period"]).toordinal() for point in points]
    counts = [int(point["rows"]) for point in points]
    first, last = days[0], days[-1]
    unit = GRAIN_DAYS.get(grain, 1)
    span = max(last - first + unit, unit)
    top = max(counts) or 1
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: int) -> float:
        return LEFT + plot_width * (day - first) / span

    def y(count: int) -> float:
        return TOP + plot_height - plot_height * count / top

    if len(points) > LINE_POINTS:
        middle = plot_width * unit / span / 2
        coordinates = " ".join(f"{x(day) + middle:.1f},{y(n):.1f}" for day, n in zip(days, counts, strict=True))
        shapes = f'<polyline class="line" points="{coordinates}"/>'
    else:
        width = max(plot_width * unit / span - 1, 1.0)
        shapes = "".join(
            f'<rect class="bar" x="{x(day):.1f}" y="{y(n):.1f}" width="{width:.1f}" '
            f'height="{TOP + plot_height - y(n):.1f}"><title>{escape(point["period"])}: {n:,}</title></rect>'
            for day, n, point in zip(days, counts, points, strict=True)
        )
    baseline = TOP + plot_height + 14
    ticks = (
        f'<text class="tick" x="{LEFT}" y="{baseline}">{escape(points[0]["period"])}</text>'
        f'<text class="tick" x="{WIDTH - RIGHT}" y="{baseline}" text-anchor="end">{escape(points[-1]["period"])}</text>'
    )
    return _frame(label, top, shapes + ticks)


def _x_ticks(labels: list[str], step: float) -> str:
    """The first, middle and last labels under their bars, cut to fit."""
    baseline = HEIGHT - BOTTOM + 14
    shown = sorted({0, len(labels) // 2, len(labels) - 1})
    room = max(int((WIDTH - LEFT - RIGHT) / max(len(shown), 1) / 6.5), 4)
    ticks = []
    for index in shown:
        text = labels[index] if len(labels[index]) <= room else labels[index][: room - 1] + "…"
        anchor = "start" if index == 0 else "end" if index == len(labels) - 1 else "middle"
        x = LEFT + index * step + (0 if anchor == "start" else step if anchor == "end" else step / 2)
        ticks.append(f'<text class="tick" x="{x:.1f}" y="{baseline}" text-anchor="{anchor}">{escape(text)}</text>')
    return "".join(ticks)


def _frame(label: str, top: int, body: str) -> str:
    axis_y = HEIGHT - BOTTOM
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-label="{escape(label)}">'
        f'<line class="axis" x1="{LEFT}" y1="{axis_y}" x2="{WIDTH - RIGHT}" y2="{axis_y}"/>'
        f'<text class="tick" x="{LEFT - 4}" y="{TOP + 8}" text-anchor="end">{top:,}</text>'
        f'<text class="tick" x="{LEFT - 4}" y="{axis_y}" text-anchor="end">0</text>'
        f"{body}</svg>"
    )

"""Altair charts with titled axes and units, shared by the pages."""

from __future__ import annotations

import altair as alt
import pandas as pd

MONEY = "$,.0f"  # tooltips
MONEY_AXIS = "$.3~s"  # axes: $250k, $1.2M
PERCENT = ".0%"


def line(
    frame: pd.DataFrame, x: str, y: str, *, x_title: str, y_title: str, color: str | None = None, y_format: str = MONEY
) -> alt.Chart:
    encoding = {
        "x": alt.X(f"{x}:T", title=x_title),
        "y": alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=MONEY_AXIS if y_format == MONEY else y_format)),
        "tooltip": [alt.Tooltip(f"{x}:T", title=x_title), alt.Tooltip(f"{y}:Q", title=y_title, format=y_format)],
    }
    if color:
        encoding["color"] = alt.Color(f"{color}:N", title=color.replace("_", " ").capitalize())
        encoding["tooltip"].append(alt.Tooltip(f"{color}:N"))
    return alt.Chart(frame).mark_line(point=len(frame) <= 60).encode(**encoding).properties(height=300)


def area(frame: pd.DataFrame, x: str, y: str, color: str, *, x_title: str, y_title: str) -> alt.Chart:
    return (
        alt.Chart(frame)
        .mark_area(opacity=0.85)
        .encode(
            x=alt.X(f"{x}:T", title=x_title),
            y=alt.Y(f"sum({y}):Q", title=y_title, stack="zero", axis=alt.Axis(format=MONEY_AXIS)),
            color=alt.Color(f"{color}:N", title=color.replace("_", " ").capitalize()),
            tooltip=[alt.Tooltip(f"{x}:T", title=x_title), f"{color}:N", alt.Tooltip(f"{y}:Q", format=MONEY)],
        )
        .properties(height=300)
    )


def bars(
    frame: pd.DataFrame,
    category: str,
    value: str,
    *,
    category_title: str,
    value_title: str,
    value_format: str = MONEY,
    horizontal: bool = True,
    color: str | None = None,
) -> alt.Chart:
    cat = (
        alt.Y(f"{category}:N", title=category_title, sort="-x")
        if horizontal
        else alt.X(f"{category}:N", title=category_title, sort=None)
    )
    val = (alt.X if horizontal else alt.Y)(
        f"{value}:Q", title=value_title, axis=alt.Axis(format=MONEY_AXIS if value_format == MONEY else value_format)
    )
    encoding = {"y": cat, "x": val} if horizontal else {"x": cat, "y": val}
    encoding["tooltip"] = [
        alt.Tooltip(f"{category}:N", title=category_title),
        alt.Tooltip(f"{value}:Q", title=value_title, format=value_format),
    ]
    if color:
        encoding["color"] = alt.Color(f"{color}:N", title=color.replace("_", " ").capitalize())
    return alt.Chart(frame).mark_bar().encode(**encoding).properties(height=alt.Step(30) if horizontal else 300)


def heatmap(
    frame: pd.DataFrame, x: str, y: str, value: str, *, x_title: str, y_title: str, value_title: str
) -> alt.Chart:
    base = alt.Chart(frame).encode(
        x=alt.X(f"{x}:N", title=x_title, axis=alt.Axis(labelAngle=0)), y=alt.Y(f"{y}:N", title=y_title)
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            f"{value}:Q", title=value_title, scale=alt.Scale(scheme="redyellowgreen"), legend=alt.Legend(format=PERCENT)
        ),
        tooltip=[f"{x}:N", f"{y}:N", alt.Tooltip(f"{value}:Q", title=value_title, format=".1%")],
    )
    labels = base.mark_text(fontSize=12).encode(text=alt.Text(f"{value}:Q", format=".1%"))
    return (cells + labels).properties(height=260)

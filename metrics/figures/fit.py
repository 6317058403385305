"""Fitting a figure to where it is shown: a dashboard column, an image file, a slide. Copies; never in place."""

from __future__ import annotations

import unicodedata
from typing import Any

import plotly.graph_objects as go

from ..i18n import tr
from .style import MUTED_TEXT, TEMPLATE, ChartText, figure, title_html

EXPORT_HEIGHT = 560
FONT_SIZE = 16
TITLE_SIZE = 22
NOTE_SIZE = 13
# Footnote line length in display columns (a CJK character counts two) at the export width.
NOTE_COLUMNS = 150
LINE_PX = 20


def _tidy_axes(layout: dict[str, Any], text: ChartText) -> None:
    # The unit is in the title already and a rotated CJK axis title reads sideways; month ticks need no title.
    redundant = {text.unit, tr("word.month", text.lang)}
    for axis in ("xaxis", "yaxis"):
        ax = layout.setdefault(axis, {})
        ax["automargin"] = True  # long category labels (areas, cities) are never cut off
        if ax.get("title", {}).get("text") in redundant:
            ax["title"]["text"] = None


def _legend_entries(spec: dict[str, Any]) -> int:
    return sum(
        1
        for tr_ in spec.get("data", [])
        if tr_.get("type") not in ("pie", "sankey") and tr_.get("showlegend") is not False
    )


def on_screen(fig: go.Figure, text: ChartText, short_title: str | None = None) -> go.Figure:
    """A copy tidied for a dashboard column: optional short title, no cut-off labels, the legend below the plot."""
    # Edited as a plain dict and validated once: each update_layout on a Figure walks plotly's validators,
    # and this ran for every chart of every unseen filter set (about 10 ms a chart, py-spy under load).
    spec = fig.to_dict()
    layout = spec.setdefault("layout", {})
    if short_title is not None:
        layout.setdefault("title", {})["text"] = title_html(short_title, text.unit, text.lang)
    _tidy_axes(layout, text)
    entries = _legend_entries(spec)
    if entries > 1 and layout.get("showlegend") is not False:
        # Below the plot, at the figure's bottom edge: it never covers the title, and on a phone's narrow
        # column it wraps onto as many lines as it needs (room is left for one line per entry at worst).
        layout["legend"] = {
            **layout.get("legend", {}),
            **dict(
                orientation="h",
                xref="paper",
                x=0,
                xanchor="left",
                yref="container",
                y=0,
                yanchor="bottom",
                traceorder=layout.get("legend", {}).get("traceorder", "normal"),
            ),
        }
        margin = layout.setdefault("margin", {})
        margin["b"] = max(int(margin.get("b") or 0), 48 + 22 * min(entries, 4))
        layout["height"] = int(layout.get("height") or 380) + 22 * min(entries, 4)
    return figure(spec)


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap_footnote(note: str, width: int = NOTE_COLUMNS) -> list[str]:
    """The footnote's ' · '-separated parts packed into lines of at most width display columns."""
    lines: list[str] = []
    for part in note.split(" · "):
        if lines and _columns(lines[-1]) + 3 + _columns(part) <= width:
            lines[-1] += " · " + part
        else:
            lines.append(part)
    return lines


def export_figure(
    fig: go.Figure, text: ChartText, height: int | None = None, *, title: bool = True, footnote: bool = True
) -> go.Figure:
    """A copy for images and slides: our template (never Streamlit's), title, unit and footnote drawn in.

    Slides pass title=False and footnote=False: the slide carries both as text.
    """
    spec = fig.to_dict()
    layout = spec.setdefault("layout", {})
    layout.update(
        template=TEMPLATE,
        font={**layout.get("font", {}), "size": FONT_SIZE},
        width=None,
        height=max(int(height or layout.get("height") or 0), EXPORT_HEIGHT),
    )
    _tidy_axes(layout, text)
    margin = layout.setdefault("margin", {})
    if title:
        current = layout.get("title", {}).get("text")
        layout["title"] = {
            **layout.get("title", {}),
            "text": current or title_html(text.title, text.unit, text.lang, unit_px=15),
            "font": {"size": TITLE_SIZE},
            "x": 0.01,
            "xanchor": "left",
        }
        margin["t"] = max(int(margin.get("t") or 0), 80)
    else:
        layout["title"] = {"text": None}
        margin["t"] = 40
    lines = wrap_footnote(text.footnote()) if footnote and text.footnote() else []
    if lines:
        bottom = max(int(margin.get("b") or 48), 48) + 44 + LINE_PX * (len(lines) - 1)
        margin["b"] = bottom
        layout["annotations"] = [
            *layout.get("annotations", []),
            dict(
                text="<br>".join(lines),
                xref="paper",
                yref="paper",
                x=0,
                y=0,
                yshift=-bottom + 6,
                xanchor="left",
                yanchor="bottom",
                showarrow=False,
                align="left",
                font=dict(size=NOTE_SIZE, color=MUTED_TEXT),
            ),
        ]
    return figure(spec)

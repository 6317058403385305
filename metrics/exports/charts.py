"""A chart made ready for export: explicit template, title with unit, footnote, projector-sized fonts."""

from __future__ import annotations

import unicodedata

import plotly.graph_objects as go

from ..figures import TEMPLATE, ChartText, with_footnote
from ..i18n import t

EXPORT_HEIGHT = 560
FONT_SIZE = 16
TITLE_SIZE = 22
NOTE_SIZE = 13
# Footnote line length in display columns (a CJK character counts two) at the export width.
NOTE_COLUMNS = 150
LINE_PX = 20


def title_html(text: ChartText) -> str:
    """'Title  (unit)' the way metrics.figures draws chart titles."""
    if not text.unit:
        return text.title
    return f"{text.title}<span style='font-size:15px;color:#6b7785'>  ({text.unit})</span>"


def _tidy_axes(fig: go.Figure, text: ChartText) -> None:
    # The unit is in the title already and a rotated CJK axis title reads sideways; month ticks need no title.
    redundant = {text.unit, t("month", text.lang)}
    for axis in ("yaxis", "xaxis"):
        ax = fig.layout[axis]
        ax.automargin = True  # long category labels (areas, cities) are never cut off
        if ax.title and ax.title.text and ax.title.text in redundant:
            ax.title.text = None


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


def export_figure(fig: go.Figure, text: ChartText, height: int | None = None, *, title: bool = True,
                  footnote: bool = True) -> go.Figure:
    """A copy for images and slides: our template (never Streamlit's), title, unit and footnote drawn in.

    Slides pass title=False and footnote=False: the slide carries both as text.
    """
    out = go.Figure(fig)
    out.update_layout(template=TEMPLATE, font_size=FONT_SIZE,
                      height=max(int(height or out.layout.height or 0), EXPORT_HEIGHT), width=None)
    _tidy_axes(out, text)
    if title:
        if not (out.layout.title and out.layout.title.text):
            out.update_layout(title=dict(text=title_html(text)))
        out.update_layout(title=dict(font=dict(size=TITLE_SIZE), x=0.01, xanchor="left"),
                          margin=dict(t=max(int(out.layout.margin.t or 0), 80)))
    else:
        out.update_layout(title=dict(text=None), margin=dict(t=40))
    if not footnote:
        return out
    note = text.footnote()
    lines = wrap_footnote(note)
    out = with_footnote(out, text)
    extra = LINE_PX * (len(lines) - 1)
    out.update_layout(margin=dict(b=int(out.layout.margin.b) + extra))
    for ann in out.layout.annotations:
        if ann.text == note:
            ann.update(text="<br>".join(lines), font_size=NOTE_SIZE, yshift=ann.yshift - extra, align="left")
    return out

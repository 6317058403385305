"""A chart made ready for export: explicit template, title with unit, footnote, projector-sized fonts."""

from __future__ import annotations

import plotly.graph_objects as go

from ..figures import TEMPLATE, ChartText, with_footnote

EXPORT_HEIGHT = 560
FONT_SIZE = 16
TITLE_SIZE = 22
NOTE_SIZE = 13


def title_html(text: ChartText) -> str:
    """'Title  (unit)' the way metrics.figures draws chart titles."""
    if not text.unit:
        return text.title
    return f"{text.title}<span style='font-size:15px;color:#6b7785'>  ({text.unit})</span>"


def export_figure(fig: go.Figure, text: ChartText, height: int | None = None) -> go.Figure:
    """A copy for images and slides: our template (never Streamlit's), the title, unit and footnote drawn in."""
    out = go.Figure(fig)
    out.update_layout(template=TEMPLATE, font_size=FONT_SIZE,
                      height=max(int(height or out.layout.height or 0), EXPORT_HEIGHT), width=None)
    if not (out.layout.title and out.layout.title.text):
        out.update_layout(title=dict(text=title_html(text)))
    out.update_layout(title=dict(font=dict(size=TITLE_SIZE), x=0.01, xanchor="left"))
    top = max(int(out.layout.margin.t or 0), 80)
    out.update_layout(margin=dict(t=top))
    out = with_footnote(out, text)
    for ann in out.layout.annotations:
        if ann.text == text.footnote():
            ann.font.size = NOTE_SIZE
    return out

"""One look for every chart: fonts, colours, the template, what a chart says about itself, its title and axes."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from ..formatting import format_number
from ..i18n import paren, tr

FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
NEUTRAL = "#4c5b6b"
MUTED_TEXT = "#6b7785"
PALETTE = ["#1f6fb2", "#d9622b", "#2a9d8f", "#8e6bbf", "#e0a526", "#6c8ea0", "#c44e52", "#55a868"]
STATUS_COLORS = {"completed": "#2a9d8f", "in_progress": "#e0a526", "not_started": "#b8c2cc", "overdue": "#c44e52"}
REMAINING_COLOR = "#e6eaee"
# Keep what reaches the browser small: long breakdowns are cut to their top entries.
MAX_BARS = 25

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font=dict(family=FONT, size=14, color="#1f2933"),
        title=dict(font=dict(size=18), x=0.01, xanchor="left"),
        paper_bgcolor="white",
        plot_bgcolor="white",
        colorway=PALETTE,
        xaxis=dict(showgrid=False, linecolor="#c9d1d9", ticks="outside", tickcolor="#c9d1d9"),
        yaxis=dict(gridcolor="#e6eaee", zerolinecolor="#c9d1d9", rangemode="tozero"),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1),
        margin=dict(l=60, r=24, t=64, b=48),
        hoverlabel=dict(font=dict(family=FONT)),
        separators=".,",
    )
)


def figure(spec: dict | None = None, *, data: list | None = None, layout: dict | None = None) -> go.Figure:
    """A Figure from a spec, or from data and layout, without plotly's per-property checks."""
    # Plotly checks every property against its schema on every assignment: about 6x the cost of the
    # construction itself, paid for every chart of every period nobody opened before (py-spy, a burst of
    # fifty). Our figures are checked once instead, by tests/test_figures_valid.py: every chart the sample
    # draws, on screen and as an image, rebuilt with the checks gives the same JSON.
    if spec is None:
        spec = {"data": data or [], "layout": layout or {}}
    return go.Figure(spec, _validate=False)


@dataclass(frozen=True)
class ChartText:
    """What a chart says about itself, in the chosen language: title, unit and provenance."""

    title: str
    unit: str
    period: str = ""
    source: str = ""
    as_of: str = ""
    lang: str = "zh"
    fmt: str = "integer"  # the numbers' format: integer, decimal or percent

    def footnote(self) -> str:
        """'期间 … · 来源 … · 数据截至 …' for images and slides."""
        parts = []
        if self.period:
            parts.append(f"{tr('word.period', self.lang)}: {self.period}")
        if self.source:
            parts.append(f"{tr('word.source', self.lang)}: {self.source}")
        if self.as_of:
            parts.append(f"{tr('word.as_of', self.lang)}: {self.as_of}")
        return " · ".join(parts)

    def number(self, value: float | None) -> str:
        """A value as this chart's tooltips say it, with the unit."""
        text = format_number(value, self.lang, self.fmt)
        return text if self.fmt == "percent" or not self.unit else f"{text} {self.unit}"


def title_html(title: str, unit: str, lang: str, unit_px: int = 13) -> str:
    """'Title (unit)' with the unit smaller and grey: every chart title, on screen and in exports."""
    if not unit:
        return title
    return f"{title}<span style='font-size:{unit_px}px;color:{MUTED_TEXT}'>{paren(unit, lang)}</span>"


def _nice_ticks(top: float, n: int = 5) -> list[float]:
    if top <= 0:
        return [0.0]
    raw = top / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    return [i * step for i in range(int(top // step) + 2)]


def value_axis(values: pd.Series, lang: str, fmt: str = "integer") -> dict:
    """A value axis whose tick labels come from format_number, like every other number (万/亿, 1.2 million, %)."""
    top = float(pd.to_numeric(values, errors="coerce").max() or 0)
    if not math.isfinite(top):
        top = 0.0
    ticks = _nice_ticks(top)
    return dict(tickvals=ticks, ticktext=[format_number(v, lang, fmt) for v in ticks], tickformat=None)


def hover_texts(values: pd.Series, text: ChartText) -> list[str]:
    """Each value as the tooltip says it (format_number with the unit), for %{customdata}."""
    return [text.number(None if pd.isna(v) else float(v)) for v in values]

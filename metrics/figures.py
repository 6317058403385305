"""Plotly figure builders: pure functions from tidy data to figures, with one look everywhere.

Every figure carries an explicit template (never Streamlit's), so exported images look the same as on screen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from .formatting import format_number
from .i18n import t
from .tasks import STATUSES, BurnUp, status_label

FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
NEUTRAL = "#4c5b6b"
PALETTE = ["#1f6fb2", "#d9622b", "#2a9d8f", "#8e6bbf", "#e0a526", "#6c8ea0", "#c44e52", "#55a868"]
STATUS_COLORS = {"completed": "#2a9d8f", "in_progress": "#e0a526", "not_started": "#b8c2cc", "overdue": "#c44e52"}
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


@dataclass(frozen=True)
class ChartText:
    """What a chart says about itself, in the chosen language: title, unit and provenance."""

    title: str
    unit: str
    period: str = ""
    source: str = ""
    as_of: str = ""
    lang: str = "zh"

    def footnote(self) -> str:
        """'期间 … · 来源 … · 数据截至 …' for images and slides."""
        parts = []
        if self.period:
            parts.append(f"{t('period', self.lang)}: {self.period}")
        if self.source:
            parts.append(f"{t('source', self.lang)}: {self.source}")
        if self.as_of:
            parts.append(f"{t('as_of', self.lang)}: {self.as_of}")
        return " · ".join(parts)


def _base(text: ChartText, height: int = 380, data: list | None = None, **layout: object) -> go.Figure:
    # One construction with the whole layout: every later update_layout walks plotly's validators again,
    # which made figure building the largest cost of a page's first view (py-spy).
    title = f"{text.title}<span style='font-size:13px;color:#6b7785'>  ({text.unit})</span>" if text.unit \
        else text.title
    return go.Figure(data=data, layout=dict(template=TEMPLATE, height=height, title=dict(text=title), **layout))


def with_footnote(fig: go.Figure, text: ChartText) -> go.Figure:
    """A copy with the period, source and as-of date drawn under the plot (for images and slides)."""
    out = go.Figure(fig)
    note = text.footnote()
    if note:
        margin_b = max(int(out.layout.margin.b or 48), 48) + 44
        out.update_layout(margin=dict(b=margin_b))
        out.add_annotation(text=note, xref="paper", yref="paper", x=0, y=0, yshift=-margin_b + 6,
                           xanchor="left", yanchor="bottom", showarrow=False,
                           font=dict(size=11, color="#6b7785"))
    return out


def _nice_ticks(top: float, n: int = 5) -> list[float]:
    if top <= 0:
        return [0.0]
    raw = top / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    return [i * step for i in range(int(top // step) + 2)]


def number_axis_layout(values: pd.Series, lang: str) -> dict:
    """A value axis labelled the local way (万/亿 in Chinese, thousands separators in English), as layout."""
    top = float(pd.to_numeric(values, errors="coerce").max() or 0)
    if lang == "zh" and top >= 1e4:
        ticks = _nice_ticks(top)
        return dict(tickvals=ticks, ticktext=[format_number(v, "zh") for v in ticks])
    return dict(tickformat="~s" if top >= 1e6 else ",")


def sparkline(series: pd.DataFrame, color: str = NEUTRAL) -> go.Figure:
    """A tiny axis-less line of a monthly series (columns key, value)."""
    fig = go.Figure(go.Scatter(x=series["key"], y=series["value"], mode="lines",
                               line=dict(color=color, width=2), fill="tozeroy",
                               fillcolor="rgba(76,91,107,0.08)", hovertemplate="%{x}: %{y:,.0f}<extra></extra>"))
    fig.update_layout(template=TEMPLATE, height=60, margin=dict(l=0, r=0, t=0, b=0), showlegend=False,
                      xaxis=dict(visible=False), yaxis=dict(visible=False, rangemode="tozero"))
    return fig


def monthly_lines(df: pd.DataFrame, text: ChartText, colors: dict[str, str] | None = None) -> go.Figure:
    """Monthly series, one line per group (columns month, group, group_label, value)."""
    colors = colors or {}
    traces = [dict(type="scatter", x=sub["month"], y=sub["value"], mode="lines+markers",
                   name=str(sub["group_label"].iloc[0]),
                   line=dict(color=colors.get(str(group), PALETTE[i % len(PALETTE)]), width=2.5),
                   marker=dict(size=5), hovertemplate="%{x}: %{y:,}<extra>%{fullData.name}</extra>")
              for i, (group, sub) in enumerate(df.groupby("group", sort=False))]
    return _base(text, data=traces, hovermode="x unified",
                 xaxis=dict(title=dict(text=t("month", text.lang)), tickformat="%Y-%m"),
                 yaxis=dict(title=dict(text=text.unit), **number_axis_layout(df["value"], text.lang)))


def bars(df: pd.DataFrame, text: ChartText, colors: dict[str, str] | None = None,
         horizontal: bool = False, percent: bool = False) -> go.Figure:
    """A bar per group (columns key, label, value), largest first, cut to MAX_BARS."""
    data = df.sort_values("value", ascending=False).head(MAX_BARS)
    colors = colors or {}
    marker = [colors.get(str(k), PALETTE[0] if not colors else NEUTRAL) for k in data["key"]]
    fmt = "%{y:.1%}" if percent else "%{y:,}"
    if horizontal:
        data = data.iloc[::-1]
        marker = marker[::-1]
        trace = dict(type="bar", x=data["value"], y=data["label"], orientation="h", marker=dict(color=marker),
                     hovertemplate=fmt.replace("y", "x") + "<extra>%{y}</extra>")
    else:
        trace = dict(type="bar", x=data["label"], y=data["value"], marker=dict(color=marker),
                     hovertemplate=fmt + "<extra>%{x}</extra>")
    height = max(320, 26 * len(data) + 120) if horizontal else 380
    value_axis = dict(tickformat=".0%") if percent else number_axis_layout(data["value"], text.lang)
    return _base(text, height=height, data=[trace], showlegend=False,
                 **{"xaxis" if horizontal else "yaxis": value_axis})


def flow_sankey(df: pd.DataFrame, text: ChartText, colors: dict[str, str] | None = None) -> go.Figure:
    """Flows between places (columns from_key, from_label, to_key, to_label, value) as a sankey."""
    colors = colors or {}
    sources = list(dict.fromkeys(df["from_key"]))
    targets = list(dict.fromkeys(df["to_key"]))
    labels = {**dict(zip(df["from_key"], df["from_label"])), **dict(zip(df["to_key"], df["to_label"]))}
    nodes = [("from", k) for k in sources] + [("to", k) for k in targets]
    index = {n: i for i, n in enumerate(nodes)}
    arrow = "→"
    out_total = df.groupby("from_key")["value"].sum()
    in_total = df.groupby("to_key")["value"].sum()
    node_labels = [f"{labels[k]} {arrow} {format_number(out_total[k], text.lang)}" if side == "from"
                   else f"{arrow} {labels[k]} {format_number(in_total[k], text.lang)}" for side, k in nodes]
    fig = _base(text, height=360)
    fig.add_trace(go.Sankey(
        arrangement="fixed",
        node=dict(label=node_labels, pad=24, thickness=22,
                  color=[colors.get(k, NEUTRAL) for _, k in nodes]),
        link=dict(source=[index[("from", k)] for k in df["from_key"]],
                  target=[index[("to", k)] for k in df["to_key"]],
                  value=df["value"].tolist(),
                  color=[_fade(colors.get(k, NEUTRAL)) for k in df["from_key"]],
                  hovertemplate="%{source.label} %{target.label}: %{value:,}<extra></extra>"),
        valueformat=",.0f"))
    return fig


def _fade(hex_color: str, alpha: float = 0.35) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def tasks_by_area(summary: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Stacked horizontal bars of task status per area (from tasks.area_summary)."""
    fig = _base(ChartText(t("tasks_by_area_title", lang), t("count_unit_tasks", lang), lang=lang),
                height=max(320, 48 * len(summary) + 120))
    data = summary.iloc[::-1]
    for status in STATUSES:
        fig.add_trace(go.Bar(y=data["area"], x=data[status], name=status_label(status, lang), orientation="h",
                             marker_color=STATUS_COLORS[status],
                             hovertemplate="%{y}: %{x}<extra>%{fullData.name}</extra>"))
    fig.update_layout(barmode="stack", xaxis_title=t("count_unit_tasks", lang))
    return fig


def task_progress(completed: int, total: int, lang: str = "zh") -> go.Figure:
    """A donut of tasks completed out of the total."""
    fig = go.Figure(go.Pie(values=[completed, total - completed], hole=0.72, sort=False, direction="clockwise",
                           labels=[t("completed", lang), "未完成" if lang == "zh" else "Not yet completed"],
                           marker=dict(colors=[STATUS_COLORS["completed"], "#e6eaee"]), textinfo="none",
                           hovertemplate="%{label}: %{value}<extra></extra>"))
    fig.update_layout(template=TEMPLATE, height=220, margin=dict(l=8, r=8, t=8, b=8), showlegend=False,
                      annotations=[dict(text=f"<b>{completed}</b>/{total}<br>{completed / total:.0%}",
                                        x=0.5, y=0.5, showarrow=False, font=dict(size=22))])
    return fig


def burnup_chart(b: BurnUp, lang: str = "zh") -> go.Figure:
    """Tasks completed over time, the pace needed to finish on time, and the projection at today's pace."""
    fig = _base(ChartText(t("burnup_title", lang), t("count_unit_tasks", lang), lang=lang), height=400)
    fig.add_trace(go.Scatter(x=b.ideal["month"], y=b.ideal["completed"], name=t("ideal_pace", lang),
                             mode="lines", line=dict(color="#9aa5b1", dash="dash", width=2)))
    fig.add_trace(go.Scatter(x=b.actual["month"], y=b.actual["completed"], name=t("actual", lang),
                             mode="lines", line=dict(color=STATUS_COLORS["completed"], width=3),
                             fill="tozeroy", fillcolor="rgba(42,157,143,0.10)"))
    if b.projected_completion is not None:
        end = b.projected_completion.strftime("%Y-%m")
        fig.add_trace(go.Scatter(x=[b.actual["month"].iloc[-1], end], y=[b.completed, b.total],
                                 name=f"{t('projection', lang)} ({end})", mode="lines+markers",
                                 line=dict(color=STATUS_COLORS["in_progress"], dash="dot", width=2)))
    fig.add_hline(y=b.total, line=dict(color="#c9d1d9", width=1),
                  annotation_text=f"{t('target', lang)} {b.total}", annotation_position="top left")
    fig.update_layout(xaxis_title=t("month", lang), hovermode="x unified", xaxis_tickformat="%Y-%m")
    return fig

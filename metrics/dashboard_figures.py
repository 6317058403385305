"""Figure builders the dashboard needs beyond figures.py, with the same template and colours."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .figures import STATUS_COLORS, TEMPLATE, ChartText
from .i18n import t

REMAINING_COLOR = "#e6eaee"


def area_progress_bars(df: pd.DataFrame, text: ChartText) -> go.Figure:
    """Per area, tasks completed out of all tasks (columns area, completed, total, share) as stacked bars."""
    data = df.iloc[::-1]
    remaining = (data["total"] - data["completed"]).clip(lower=0)
    labels = [f"{c}/{n}  {s:.0%}" for c, n, s in zip(data["completed"], data["total"], data["share"])]
    not_done = "未完成" if text.lang == "zh" else "Not yet completed"
    fig = go.Figure()
    fig.add_trace(go.Bar(y=data["area"], x=data["completed"], orientation="h", name=t("completed", text.lang),
                         marker_color=STATUS_COLORS["completed"], text=labels, textposition="inside",
                         insidetextanchor="start", textfont=dict(color="white"),
                         hovertemplate="%{y}: %{x}<extra>%{fullData.name}</extra>"))
    fig.add_trace(go.Bar(y=data["area"], x=remaining, orientation="h", name=not_done,
                         marker_color=REMAINING_COLOR,
                         hovertemplate="%{y}: %{x}<extra>%{fullData.name}</extra>"))
    title = f"{text.title}<span style='font-size:13px;color:#6b7785'>  ({text.unit})</span>" if text.unit \
        else text.title
    fig.update_layout(template=TEMPLATE, barmode="stack", height=max(300, 44 * len(data) + 110),
                      title=dict(text=title), bargap=0.35,
                      margin=dict(l=8, r=24, t=72, b=40))
    fig.update_yaxes(automargin=True)
    return fig


def percent_axis(fig: go.Figure, axis: str = "y") -> go.Figure:
    """Show a ratio axis and its hover values as percentages."""
    fig.update_layout({f"{axis}axis": dict(tickformat=".0%", tickvals=None, ticktext=None)})
    fig.update_traces(hovertemplate=f"%{{x}}: %{{{axis}:.1%}}<extra>%{{fullData.name}}</extra>"
                      if axis == "y" else f"%{{y}}: %{{x:.1%}}<extra></extra>")
    return fig


def on_screen(fig: go.Figure, text: ChartText, short_title: str | None = None) -> go.Figure:
    """A copy tidied for a dashboard column: optional short title, no cut-off labels, legend under the title."""
    # Edited as a plain dict and validated once: each update_layout on a Figure walks plotly's validators,
    # and this ran for every chart of every unseen filter set (about 10 ms a chart, py-spy under load).
    spec = fig.to_dict()
    layout = spec.setdefault("layout", {})
    if short_title is not None:
        title = f"{short_title}<span style='font-size:13px;color:#6b7785'>  ({text.unit})</span>" if text.unit \
            else short_title
        layout.setdefault("title", {})["text"] = title
    # The unit is in the title and a rotated CJK axis title reads sideways; month ticks need no title.
    redundant = {text.unit, t("month", text.lang)}
    for axis in ("xaxis", "yaxis"):
        ax = layout.setdefault(axis, {})
        ax["automargin"] = True
        if ax.get("title", {}).get("text") in redundant:
            ax["title"]["text"] = None
    entries = sum(1 for tr in spec.get("data", []) if tr.get("type") not in ("pie", "sankey")
                  and tr.get("showlegend") is not False)
    if entries > 1 and layout.get("showlegend") is not False:
        # A narrow column wraps the legend one entry per line: leave room for that between title and plot.
        layout["legend"] = {**layout.get("legend", {}), **dict(orientation="h", xref="paper", x=1,
                                                               xanchor="right", y=1.0, yanchor="bottom")}
        layout["title"] = {**layout.get("title", {}), **dict(y=1.0, yref="container", yanchor="top",
                                                             pad=dict(t=14))}
        margin = layout.setdefault("margin", {})
        margin["t"] = max(int(margin.get("t") or 0), 60 + 22 * entries)
    return go.Figure(spec)

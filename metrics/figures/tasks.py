"""Figures of the agreement's tasks: completion donut, completion and status by area, the burn-up."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from ..i18n import tr
from ..tasks import STATUSES, BurnUp, status_label
from .builders import base
from .style import REMAINING_COLOR, STATUS_COLORS, TEMPLATE, ChartText


def task_progress(completed: int, total: int, text: ChartText) -> go.Figure:
    """A donut of tasks completed out of the total (no title: the card or slide above it says what it is)."""
    lang = text.lang
    share = completed / total if total else 0.0
    fig = go.Figure(
        go.Pie(
            values=[completed, max(total - completed, 0)],
            hole=0.72,
            sort=False,
            direction="clockwise",
            labels=[tr("word.completed", lang), tr("word.not_completed", lang)],
            marker=dict(colors=[STATUS_COLORS["completed"], REMAINING_COLOR]),
            textinfo="none",
            hovertemplate="%{label}: %{value}<extra></extra>",
        )
    )
    fig.update_layout(
        template=TEMPLATE,
        height=220,
        margin=dict(l=8, r=8, t=8, b=8),
        showlegend=False,
        annotations=[
            dict(text=f"<b>{completed}</b>/{total}<br>{share:.0%}", x=0.5, y=0.5, showarrow=False, font=dict(size=22))
        ],
    )
    return fig


def area_progress_bars(df: pd.DataFrame, text: ChartText) -> go.Figure:
    """Per area, tasks completed out of all tasks (columns area, completed, total, share) as stacked bars."""
    data = df.iloc[::-1]
    remaining = (data["total"] - data["completed"]).clip(lower=0)
    labels = [f"{c}/{n}  {s:.0%}" for c, n, s in zip(data["completed"], data["total"], data["share"], strict=True)]
    hover = "%{y}: %{x}<extra>%{fullData.name}</extra>"
    traces = [
        dict(
            type="bar",
            y=data["area"],
            x=data["completed"],
            orientation="h",
            name=tr("word.completed", text.lang),
            marker=dict(color=STATUS_COLORS["completed"]),
            text=labels,
            textposition="inside",
            insidetextanchor="start",
            textfont=dict(color="white"),
            hovertemplate=hover,
        ),
        dict(
            type="bar",
            y=data["area"],
            x=remaining,
            orientation="h",
            name=tr("word.not_completed", text.lang),
            marker=dict(color=REMAINING_COLOR),
            hovertemplate=hover,
        ),
    ]
    # A horizontal legend reads left to right, like the stack: keep the traces' order (plotly reverses
    # stacked bars' legends by default).
    return base(
        text,
        height=max(300, 44 * len(data) + 110),
        data=traces,
        barmode="stack",
        bargap=0.35,
        legend=dict(traceorder="normal"),
        margin=dict(l=8, r=24, t=72, b=40),
        yaxis=dict(automargin=True),
    )


def tasks_by_area(summary: pd.DataFrame, text: ChartText) -> go.Figure:
    """Stacked horizontal bars of task status per area (from tasks.area_summary)."""
    data = summary.iloc[::-1]
    traces = [
        dict(
            type="bar",
            y=data["area"],
            x=data[status],
            name=status_label(status, text.lang),
            orientation="h",
            marker=dict(color=STATUS_COLORS[status]),
            hovertemplate="%{y}: %{x}<extra>%{fullData.name}</extra>",
        )
        for status in STATUSES
    ]
    return base(
        text,
        height=max(320, 48 * len(summary) + 120),
        data=traces,
        barmode="stack",
        legend=dict(traceorder="normal"),
        xaxis=dict(title=dict(text=text.unit)),
    )


def burnup_chart(b: BurnUp, text: ChartText) -> go.Figure:
    """Tasks completed over time, the pace needed to finish on time, and the projection at today's pace."""
    lang = text.lang
    fig = base(
        text, height=400, hovermode="x unified", xaxis=dict(title=dict(text=tr("word.month", lang)), tickformat="%Y-%m")
    )
    fig.add_trace(
        go.Scatter(
            x=b.ideal["month"],
            y=b.ideal["completed"],
            name=tr("word.ideal_pace", lang),
            mode="lines",
            line=dict(color="#9aa5b1", dash="dash", width=2),
        )
    )
    fig.add_trace(
        go.Scatter(
            x=b.actual["month"],
            y=b.actual["completed"],
            name=tr("word.actual", lang),
            mode="lines",
            line=dict(color=STATUS_COLORS["completed"], width=3),
            fill="tozeroy",
            fillcolor="rgba(42,157,143,0.10)",
        )
    )
    if b.projected_completion is not None:
        end = b.projected_completion.strftime("%Y-%m")
        fig.add_trace(
            go.Scatter(
                x=[b.actual["month"].iloc[-1], end],
                y=[b.completed, b.total],
                name=tr("word.projection_until", lang, month=end),
                mode="lines+markers",
                line=dict(color=STATUS_COLORS["in_progress"], dash="dot", width=2),
            )
        )
    fig.add_hline(
        y=b.total,
        line=dict(color="#c9d1d9", width=1),
        annotation_text=f"{tr('word.target', lang)} {b.total}",
        annotation_position="top left",
    )
    return fig


def hover_plain(text: object, limit: int = 120) -> str:
    """User text for a plotly hover label: HTML-escaped (plotly renders tags such as <a>), one line, cut."""
    flat = " ".join(str(text or "").split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return html.escape(flat, quote=True)


def timeline(reports: pd.DataFrame, milestones: pd.DataFrame, text: ChartText) -> go.Figure:
    """One task's approved progress by period (columns period, progress_pct, state_label, progress_note, issues),
    with its milestones as dashed markers; the notes show on hover, as plain text."""
    lang = text.lang
    custom = [
        [hover_plain(r.state_label, 20), hover_plain(r.progress_note), hover_plain(r.issues)]
        for r in reports.itertuples()
    ]
    fig = base(
        text,
        height=320,
        hovermode="closest",
        xaxis=dict(title=dict(text=tr("word.month", lang)), tickformat="%Y-%m", type="date"),
        yaxis=dict(range=[0, 105], ticksuffix="%"),
        data=[
            dict(
                type="scatter",
                x=[f"{p}-01" for p in reports["period"]],
                y=reports["progress_pct"],
                mode="lines+markers",
                name=tr("word.timeline_progress", lang),
                line=dict(color=STATUS_COLORS["completed"], width=2.5, shape="hv"),
                customdata=custom,
                hovertemplate="%{x|%Y-%m}: %{y}% · %{customdata[0]}<br>%{customdata[1]}<br>%{customdata[2]}"
                "<extra></extra>",
            )
        ],
    )
    for m in milestones.itertuples():
        fig.add_vline(x=pd.Timestamp(m.due_date).timestamp() * 1000, line=dict(color="#9aa5b1", dash="dot", width=1))
        fig.add_annotation(
            x=pd.Timestamp(m.due_date),
            y=102,
            text=hover_plain(m.title, 24),
            showarrow=False,
            font=dict(size=11, color="#6b7785"),
        )
    return fig

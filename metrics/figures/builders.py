"""Figures from tidy frames: monthly lines, bars, flows between the provinces. Numbers read as everywhere else."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..formatting import format_number
from ..i18n import tr
from .style import (
    MAX_BARS,
    MUTED_TEXT,
    NEUTRAL,
    PALETTE,
    TEMPLATE,
    ChartText,
    figure,
    hover_texts,
    title_html,
    value_axis,
)


def base(text: ChartText, height: int = 380, data: list | None = None, **layout: object) -> go.Figure:
    """A figure with our template, the title and unit, and the whole layout given in one construction."""
    # Every later update_layout walks plotly's validators again: building the layout once made figure
    # building the cheapest part of a page's first view (py-spy).
    return figure(
        data=data,
        layout=dict(
            template=TEMPLATE, height=height, title=dict(text=title_html(text.title, text.unit, text.lang)), **layout
        ),
    )


def empty_note(fig: go.Figure, lang: str) -> go.Figure:
    """Say 'no data for this selection' on an empty chart instead of showing bare axes."""
    fig.update_layout(xaxis=dict(visible=False), yaxis=dict(visible=False), showlegend=False)
    fig.add_annotation(
        text=tr("word.no_data", lang),
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        font=dict(size=20, color=MUTED_TEXT),
    )
    return fig


def _group_order(df: pd.DataFrame, colors: dict[str, str]) -> list[str]:
    """Groups in the declared order of their colours (the provinces as config.yaml lists them), then the rest."""
    present = list(dict.fromkeys(str(g) for g in df["group"]))
    return [g for g in colors if g in present] + [g for g in present if g not in colors]


def monthly_lines(df: pd.DataFrame, text: ChartText, colors: dict[str, str] | None = None) -> go.Figure:
    """Monthly series, one line per group (columns month, group, group_label, value)."""
    colors = colors or {}
    traces = []
    for i, group in enumerate(_group_order(df, colors)):
        sub = df[df["group"].astype(str) == group]
        traces.append(
            dict(
                type="scatter",
                x=sub["month"],
                y=sub["value"],
                mode="lines+markers",
                name=str(sub["group_label"].iloc[0]),
                customdata=hover_texts(sub["value"], text),
                line=dict(color=colors.get(group, PALETTE[i % len(PALETTE)]), width=2.5),
                marker=dict(size=5),
                hovertemplate="%{fullData.name}: %{customdata}<extra></extra>",
            )
        )
    fig = base(
        text,
        data=traces,
        hovermode="x unified",
        xaxis=dict(title=dict(text=tr("word.month", text.lang)), tickformat="%Y-%m"),
        yaxis=dict(title=dict(text=text.unit), **value_axis(df["value"], text.lang, text.fmt)),
    )
    if df["value"].dropna().empty:
        empty_note(fig, text.lang)
    return fig


def bars(
    df: pd.DataFrame,
    text: ChartText,
    colors: dict[str, str] | None = None,
    horizontal: bool = False,
    groups: dict[str, str] | None = None,
    ordered: bool = False,
) -> go.Figure:
    """A bar per row (columns key, label, value), largest first (or in key order), cut to MAX_BARS.

    colors maps a key to its colour; groups maps a colour to the legend entry it stands for (e.g. the province
    of each city), so coloured bars always come with a legend.
    """
    data = df if ordered else df.sort_values("value", ascending=False, kind="stable")
    data = data.head(MAX_BARS)
    colors = colors or {}
    color_of = [colors.get(str(k), PALETTE[0] if not colors else NEUTRAL) for k in data["key"]]
    labels = list(data["label"].astype(str))
    if horizontal:  # the first row at the top
        data, color_of, labels = data.iloc[::-1], color_of[::-1], labels[::-1]
    traces = []
    legend = groups or {}
    # One trace per legend entry, in the legend's declared order (the provinces as config.yaml lists them).
    for color in [c for c in legend if c in color_of] if legend else [None]:
        rows = [i for i, c in enumerate(color_of) if color is None or c == color]
        sub = data.iloc[rows]
        cats, vals = [labels[i] for i in rows], sub["value"]
        trace = dict(
            type="bar",
            marker=dict(color=[color_of[i] for i in rows]),
            customdata=hover_texts(vals, text),
            name=legend.get(color or "", ""),
            showlegend=bool(legend),
        )
        if horizontal:
            trace |= dict(x=vals, y=cats, orientation="h", hovertemplate="%{y}: %{customdata}<extra></extra>")
        else:
            trace |= dict(x=cats, y=vals, hovertemplate="%{x}: %{customdata}<extra></extra>")
        traces.append(trace)
    category = dict(categoryorder="array", categoryarray=labels)
    height = max(320, 26 * len(data) + 120) if horizontal else 380
    axes = (
        {"xaxis": value_axis(data["value"], text.lang, text.fmt), "yaxis": category}
        if horizontal
        else {"xaxis": category, "yaxis": value_axis(data["value"], text.lang, text.fmt)}
    )
    return base(
        text,
        height=height,
        data=traces,
        showlegend=bool(legend),
        barmode="overlay",
        legend=dict(traceorder="normal"),
        **axes,
    )


def _fade(hex_color: str, alpha: float = 0.35) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def flow_sankey(df: pd.DataFrame, text: ChartText, colors: dict[str, str] | None = None) -> go.Figure:
    """Flows between places (columns from_key, from_label, to_key, to_label, value) as a sankey."""
    colors = colors or {}
    sources = list(dict.fromkeys(df["from_key"]))
    targets = list(dict.fromkeys(df["to_key"]))
    labels = {
        **dict(zip(df["from_key"], df["from_label"], strict=True)),
        **dict(zip(df["to_key"], df["to_label"], strict=True)),
    }
    nodes = [("from", k) for k in sources] + [("to", k) for k in targets]
    index = {n: i for i, n in enumerate(nodes)}
    out_total = df.groupby("from_key")["value"].sum()
    in_total = df.groupby("to_key")["value"].sum()
    node_labels = [
        f"{labels[k]} → {format_number(out_total[k], text.lang)}"
        if side == "from"
        else f"→ {labels[k]} {format_number(in_total[k], text.lang)}"
        for side, k in nodes
    ]
    fig = base(text, height=360)
    fig.add_trace(
        go.Sankey(
            arrangement="fixed",
            node=dict(
                label=node_labels,
                pad=24,
                thickness=22,
                color=[colors.get(k, NEUTRAL) for _, k in nodes],
                hovertemplate="%{label}<extra></extra>",
            ),
            link=dict(
                source=[index[("from", k)] for k in df["from_key"]],
                target=[index[("to", k)] for k in df["to_key"]],
                value=df["value"].tolist(),
                customdata=hover_texts(df["value"], text),
                color=[_fade(colors.get(k, NEUTRAL)) for k in df["from_key"]],
                hovertemplate="%{source.label} %{target.label}: %{customdata}<extra></extra>",
            ),
        )
    )
    return fig

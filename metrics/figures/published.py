"""The figure of an indicator's published values: dated points with their source and quote on hover, and the
data's own value by the same basis beside each."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..i18n import tr
from .builders import base
from .style import NEUTRAL, PALETTE, ChartText
from .tasks import hover_plain


def published_points(df: pd.DataFrame, text: ChartText) -> go.Figure:
    """Published values (filled) by date and the data's value by the same basis (hollow); columns as
    metrics.published.history. Every text from the register is escaped: it is what a data officer typed."""
    lang = text.lang
    custom = [
        [
            hover_plain(r.title, 60),
            hover_plain(r.publisher, 40),
            str(r.published_on),
            hover_plain(r.basis_label, 40),
            hover_plain(r.quote, 80),
            text.number(r.value),
        ]
        for r in df.itertuples()
    ]
    hover = (
        "%{x|%Y-%m-%d}: %{customdata[5]}<br>%{customdata[3]}<br>%{customdata[0]}<br>"
        "%{customdata[1]} · %{customdata[2]}<br>“%{customdata[4]}”<extra></extra>"
    )
    traces: list[dict] = [
        dict(
            type="scatter",
            x=[pd.Timestamp(d) for d in df["as_of"]],
            y=df["value"],
            mode="markers+lines",
            name=tr("word.published", lang),
            marker=dict(size=12, color=PALETTE[0]),
            line=dict(color=PALETTE[0], width=1, dash="dot"),
            customdata=custom,
            hovertemplate=hover,
        )
    ]
    computed = df[[v is not None for v in df["computed"]]]
    if len(computed):
        traces.append(
            dict(
                type="scatter",
                x=[pd.Timestamp(d) for d in computed["as_of"]],
                y=computed["computed"],
                mode="markers",
                name=tr("word.recomputed", lang),
                marker=dict(size=14, color="rgba(0,0,0,0)", line=dict(color=NEUTRAL, width=2)),
                customdata=[[text.number(v)] for v in computed["computed"]],
                hovertemplate="%{x|%Y-%m-%d}: %{customdata[0]}<extra>" + tr("word.recomputed", lang) + "</extra>",
            )
        )
    return base(
        text, height=320, data=traces, hovermode="closest", xaxis=date_axis(df["as_of"]), yaxis=dict(rangemode="tozero")
    )


SHORT_SPAN = pd.Timedelta(days=90)
PAD = pd.Timedelta(days=20)


def date_axis(dates: pd.Series) -> dict:
    """The x axis for dated points: by month over a long span; by day, padded, when the dates are close together
    (one publication alone made plotly tick every few days, each labelled with the same month)."""
    when = pd.to_datetime(pd.Series(list(dates)))
    if len(when) == 0 or when.max() - when.min() >= SHORT_SPAN:
        return dict(type="date", tickformat="%Y-%m")
    return dict(type="date", tickformat="%Y-%m-%d", range=[when.min() - PAD, when.max() + PAD], nticks=4)

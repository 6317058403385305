"""The charts a meeting sees: each headline indicator's monthly trend and the agreement's task charts."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from ..config import Indicator
from ..engine import Engine
from ..figures import ChartText, burnup_chart, monthly_lines, task_progress, tasks_by_area
from ..i18n import t
from ..periods import Filters
from ..tasks import area_summary, burnup


@dataclass(frozen=True)
class Chart:
    """A chart with the tidy data behind it and what it says about itself."""

    name: str                  # file-name stem, e.g. the indicator id
    text: ChartText
    figure: go.Figure          # as metrics.figures builds it (explicit template)
    data: pd.DataFrame
    indicator_id: str | None = None


def source_text(ind: Indicator, lang: str) -> str:
    """'<source title>, <date>' in lang."""
    title = ind.source.title_zh if lang == "zh" else ind.source.title_en
    return f"{title}, {ind.source.date.isoformat()}"


def chart_text(engine: Engine, ind: Indicator, filters: Filters, lang: str) -> ChartText:
    """Title, unit, period, source and as-of of an indicator's chart, in lang."""
    return ChartText(title=ind.name(lang), unit=ind.unit(lang), period=engine.period(filters).label(),
                     source=source_text(ind, lang), as_of=engine.as_of.isoformat(), lang=lang)


def monthly_data(engine: Engine, ind: Indicator, filters: Filters, lang: str) -> pd.DataFrame:
    """month, group, group_label, value: one group per province when the indicator splits by province."""
    if ind.by_province and "province" in ind.dimensions:
        x = engine.crosstab(ind.id, "month", "province", filters, lang)
        return x.rename(columns={"key1": "month", "key2": "group", "label2": "group_label"})[
            ["month", "group", "group_label", "value"]]
    s = engine.series(ind.id, filters, by="month", lang=lang)
    return pd.DataFrame({"month": s["key"], "group": ind.id, "group_label": ind.name(lang), "value": s["value"]})


def indicator_chart(engine: Engine, indicator_id: str, filters: Filters, lang: str = "zh") -> Chart:
    """An indicator's monthly trend, one line per province where it splits by province."""
    ind = engine.indicator(indicator_id)
    text = chart_text(engine, ind, filters, lang)
    data = monthly_data(engine, ind, filters, lang)
    colors = {k: p.color for k, p in engine.config.provinces.items()}
    fig = monthly_lines(data, text, colors)
    if ind.format == "percent":
        fig.update_layout(yaxis=dict(tickformat=".0%", tickvals=None, ticktext=None))
    if data["value"].dropna().empty:
        no_data(fig, lang)
    return Chart(ind.id, text, fig, data, ind.id)


def no_data(fig: go.Figure, lang: str) -> go.Figure:
    """Say 'no data for this selection' on an empty chart instead of showing bare axes."""
    fig.update_layout(xaxis=dict(visible=False), yaxis=dict(visible=False), showlegend=False)
    fig.add_annotation(text=t("no_data", lang), xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
                       font=dict(size=20, color="#6b7785"))
    return fig


def headline_charts(engine: Engine, filters: Filters, lang: str = "zh") -> list[Chart]:
    """One chart per headline indicator, in the order the config declares."""
    return [indicator_chart(engine, ind.id, filters, lang) for ind in engine.config.headline_indicators()]


def _task_text(engine: Engine, key: str, lang: str) -> ChartText:
    tasks = engine.config.datasets.get("tasks")
    source = (tasks.title_zh if lang == "zh" else tasks.title_en) if tasks else ""
    return ChartText(t(key, lang), t("count_unit_tasks", lang), source=source, as_of=engine.as_of.isoformat(),
                     lang=lang)


def task_charts(engine: Engine, lang: str = "zh") -> list[Chart]:
    """The agreement's task progress overall (donut), by area, and over time (burn-up)."""
    summary = area_summary(engine, lang)
    b = burnup(engine)
    total, done = int(summary["total"].sum()), int(summary["completed"].sum())
    overall = pd.DataFrame({"completed": [done], "total": [total], "pct_complete": [done / total if total else 0]})
    return [
        Chart("task_progress", _task_text(engine, "task_progress_title", lang), task_progress(done, total, lang),
              overall),
        Chart("tasks_by_area", _task_text(engine, "tasks_by_area_title", lang), tasks_by_area(summary, lang),
              summary.drop(columns=["area_id"])),
        Chart("tasks_burnup", _task_text(engine, "burnup_title", lang), burnup_chart(b, lang), b.actual),
    ]

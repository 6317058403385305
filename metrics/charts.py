"""Every chart the dashboard, the images and the slides show, built once here: data, figure and text together.

The dashboard caches these and fits them to a column (figures.fit.on_screen); exports render the same figure
(figures.fit.export_figure). So a chart reads the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
import plotly.graph_objects as go

from .catalog import TASKS_COMPLETED, TASKS_TOTAL, flow_dimension, splits_by_province
from .config import Indicator
from .engine import Engine
from .figures import builders as B
from .figures import published as PF
from .figures import tasks as TF
from .figures.style import NEUTRAL, ChartText
from .frames import area_progress, flow_frame, monthly_frame
from .i18n import join_items, norm_lang, tr
from .periods import Filters
from .plans import default_plan, milestones
from .provenance import dataset_as_of, indicator_as_of, province_name, source_text, tasks_source
from .published import history as published_history
from .reports import Ledger, current_ledger, find_task
from .supervision import task_timeline
from .tasks import area_summary, burnup, state_label


@dataclass(frozen=True)
class Chart:
    """A chart with the tidy data behind it and what it says about itself."""

    name: str  # file-name stem, e.g. "cardholders-monthly"
    text: ChartText
    figure: go.Figure  # built with our template: the same for screens, images and slides
    data: pd.DataFrame
    indicator_ids: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """True when there is nothing to draw."""
        return self.data is None or self.data.empty


def chart_text(engine: Engine, ind: Indicator, filters: Filters, lang: str, title: str | None = None) -> ChartText:
    """Title, unit, period, source and as-of of a chart of one indicator, in lang."""
    return ChartText(
        title=title or ind.text("name", lang),
        unit="" if ind.format == "percent" else ind.text("unit", lang),
        period=engine.period(filters).label(),
        source=source_text(ind, lang),
        as_of=indicator_as_of(engine, ind).label(),
        lang=lang,
        fmt=ind.format,
    )


def task_chart_text(engine: Engine, title_key: str, lang: str, filters: Filters | None = None) -> ChartText:
    """Text of a task chart: the tasks dataset is the source; status charts (no filters) have no period."""
    as_of = dataset_as_of(engine, "tasks")
    return ChartText(
        title=tr(title_key, lang),
        unit=tr("word.count_unit_tasks", lang),
        period=engine.period(filters).label() if filters is not None else "",
        source=tasks_source(engine.config, lang),
        as_of=as_of.label() if as_of else "",
        lang=lang,
    )


def province_colors(engine: Engine) -> dict[str, str]:
    """One colour per province, from config.yaml, used by every chart."""
    return {k: p.color for k, p in engine.config.provinces.items()}


# -- one indicator ---------------------------------------------------------------------------------
def monthly_chart(engine: Engine, ind: Indicator, filters: Filters, lang: str, *, titled: bool = False) -> Chart:
    """The indicator month by month, one line per province where it splits by province."""
    title = ind.text("name", lang) if not titled else f"{ind.text('name', lang)} · {tr('word.monthly', lang)}"
    text = chart_text(engine, ind, filters, lang, title)
    data = monthly_frame(engine, ind.id, filters, lang)
    fig = B.monthly_lines(data, text, {**province_colors(engine), "total": NEUTRAL})
    return Chart(f"{ind.id}-monthly", text, fig, data, (ind.id,))


def province_chart(engine: Engine, ind: Indicator, filters: Filters, lang: str) -> Chart:
    """Sichuan vs Chongqing for the period (only for indicators with a value per province)."""
    text = chart_text(engine, ind, filters, lang, f"{ind.text('name', lang)} · {tr('word.by_province', lang)}")
    data = (
        engine.series(ind.id, filters, by="province", lang=lang)
        if splits_by_province(ind)
        else pd.DataFrame(columns=["key", "label", "value"])
    )
    colors = province_colors(engine)
    order = {k: i for i, k in enumerate(colors)}
    data = data.sort_values("key", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    fig = B.bars(data, text, colors, ordered=True)
    return Chart(f"{ind.id}-by-province", text, fig, data, (ind.id,))


def breakdown_chart(engine: Engine, ind: Indicator, dim: str, filters: Filters, lang: str) -> Chart:
    """The indicator by one dimension: cities coloured by their province (with a legend), others plain."""
    title = (
        tr("word.by_city", lang) if dim == "city" else tr("ui.by_dimension", lang, dim=engine.dimension_name(dim, lang))
    )
    text = chart_text(engine, ind, filters, lang, f"{ind.text('name', lang)} · {title}")
    data = engine.series(ind.id, filters, by=dim, lang=lang)
    groups = None
    if dim == "city":
        home = engine.cities().set_index("city_id")["province"]
        pcolors = province_colors(engine)
        colors = {k: pcolors.get(str(home.get(k)), NEUTRAL) for k in data["key"]}
        groups = {c: province_name(engine.config, p, lang) for p, c in pcolors.items()}
    else:
        colors = dict.fromkeys(data["key"], NEUTRAL)
    ordered = dim in engine.config.dimensions and engine.config.dimensions[dim].ordered
    fig = B.bars(data, text, colors, horizontal=True, groups=groups, ordered=ordered)
    return Chart(f"{ind.id}-by-{dim}", text, fig, data, (ind.id,))


def flow_chart(engine: Engine, ind: Indicator, filters: Filters, lang: str) -> Chart:
    """A flow between the provinces as a sankey, from the sending side to the receiving side."""
    text = chart_text(engine, ind, filters, lang, f"{ind.text('name', lang)} · {tr('word.flow_title', lang)}")
    data = flow_frame(engine, ind.id, filters, lang) if flow_dimension(ind) else pd.DataFrame()
    return Chart(f"{ind.id}-flows", text, B.flow_sankey(data, text, province_colors(engine)), data, (ind.id,))


# -- a plan's tasks (the agreement unless plan_id says otherwise) -------------------------------------------
def _task_ids(engine: Engine, plan_id: str | None) -> tuple[str, ...]:
    """The indicators behind a task chart: the agreement's task indicators, for the agreement only."""
    return (TASKS_COMPLETED, TASKS_TOTAL) if (plan_id or default_plan(engine)) == "agreement" else ()


def task_progress_chart(
    engine: Engine, filters: Filters, lang: str, plan_id: str | None = None, ledger: Ledger | None = None
) -> Chart:
    """Tasks completed by the period's end out of all tasks, as a donut (approved reports, live)."""
    text = task_chart_text(engine, "word.task_progress_title", lang, filters)
    areas = area_progress(engine, filters, lang, plan_id, ledger)
    done, total = int(areas["completed"].sum()), int(areas["total"].sum())
    data = pd.DataFrame({"completed": [done], "total": [total], "share": [done / total if total else 0.0]})
    return Chart("task-progress", text, TF.task_progress(done, total, text), data, _task_ids(engine, plan_id))


def area_progress_chart(
    engine: Engine, filters: Filters, lang: str, plan_id: str | None = None, ledger: Ledger | None = None
) -> Chart:
    """Tasks completed by the period's end, per area."""
    text = task_chart_text(engine, "ui.tasks_done_by_area", lang, filters)
    data = area_progress(engine, filters, lang, plan_id, ledger)
    return Chart("tasks-by-area", text, TF.area_progress_bars(data, text), data, _task_ids(engine, plan_id))


def status_by_area_chart(engine: Engine, lang: str, plan_id: str | None = None, ledger: Ledger | None = None) -> Chart:
    """Task status by area, as of the data (tasks are not filtered by period)."""
    text = task_chart_text(engine, "word.tasks_by_area_title", lang)
    summary = area_summary(engine, lang, plan_id, ledger)
    return Chart("tasks-by-area-status", text, TF.tasks_by_area(summary, text), summary.drop(columns=["area_id"]))


def burnup_chart(engine: Engine, lang: str, plan_id: str | None = None, ledger: Ledger | None = None) -> Chart:
    """Approved completions over time against the pace needed, with the projection."""
    text = task_chart_text(engine, "word.burnup_title", lang)
    b = burnup(engine, plan_id, ledger)
    return Chart("tasks-burnup", text, TF.burnup_chart(b, text), b.actual)


def task_timeline_chart(engine: Engine, task_id: str, lang: str, ledger: Ledger | None = None) -> Chart:
    """One task's approved reports over time (progress, state, notes on hover) with its milestones."""
    title = find_task(engine, task_id)[f"title_{norm_lang(lang)}"]
    text = replace(
        task_chart_text(engine, "word.timeline_progress", lang),
        title=tr("word.timeline_title", lang, task=f"{task_id} {title}"),
        unit="%",
    )
    data = task_timeline(engine, task_id, ledger)
    data["state_label"] = [state_label(s, lang) for s in data["state"]]
    fig = TF.timeline(data, milestones(engine, [task_id], lang), text)
    return Chart(f"{task_id}-timeline", text, fig, data)


def published_chart(engine: Engine, ind: Indicator, lang: str) -> Chart:
    """An indicator's published values over time as dated points, with the data's value by the same basis."""
    data = published_history(engine, ind.id, lang)
    text = chart_text(engine, ind, Filters(), lang, f"{ind.text('name', lang)} · {tr('word.published_title', lang)}")
    text = replace(text, period="", source=join_items(list(dict.fromkeys(data["title"])), lang))
    return Chart(f"{ind.id}-published", text, PF.published_points(data, text), data, (ind.id,))


# -- what a meeting sees ---------------------------------------------------------------------------
def headline_charts(engine: Engine, filters: Filters, lang: str) -> list[Chart]:
    """One monthly chart per headline indicator, in the order the config declares."""
    return [monthly_chart(engine, ind, filters, lang) for ind in engine.config.headline_indicators()]


def task_charts(
    engine: Engine, filters: Filters, lang: str, plan_id: str | None = None, ledger: Ledger | None = None
) -> list[Chart]:
    """A plan's task progress overall (donut), by area, and over time (burn-up)."""
    ledger = ledger if ledger is not None else current_ledger(engine)  # one reading of the store for all three
    return [
        task_progress_chart(engine, filters, lang, plan_id, ledger),
        status_by_area_chart(engine, lang, plan_id, ledger),
        burnup_chart(engine, lang, plan_id, ledger),
    ]

"""Page sections built from components: card grids, an indicator's charts, flows, task tables, attention."""

from __future__ import annotations

from typing import Callable, Hashable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from metrics import Engine
from metrics import dashboard_figures as DF
from metrics import figures as F
from metrics.config import Indicator
from metrics.figures import ChartText
from metrics.i18n import t
from metrics.overview import Attention
from metrics.views import flow_dimension, other_dimensions

from . import data
from .components import card_view, chart, chart_text, draw_card, show_chart, show_table, table
from .sidebar import Selection
from .strings import header, s

TASK_COLUMNS = ["task_id", "area", "title", "lead", "start_date", "due_date", "completion_date", "progress_pct",
                "status_label"]
MAX_NAMES = 3  # tasks/areas named in the attention line before "and others"


def province_colors(engine: Engine) -> dict[str, str]:
    """One colour per province, from config.yaml, used by every chart."""
    return {k: p.color for k, p in engine.config.provinces.items()}


def card_grid(engine: Engine, inds: list[Indicator], sel: Selection, per_row: int = 4) -> None:
    """KPI cards for indicators, per_row to a row, each with its monthly sparkline."""
    for i in range(0, len(inds), per_row):
        cols = st.columns(per_row)
        for col, ind in zip(cols, inds[i:i + per_row]):
            with col:
                draw_card(data.shared(("card", ind.id, sel.key, sel.lang), lambda ind=ind: card_view(
                    engine, ind, data.value(ind.id, sel.key), data.series(ind.id, "month", sel.key, sel.lang),
                    sel.province, sel.lang, sel.city)))


def cards_caption(engine: Engine, sel: Selection) -> None:
    """The line under a card grid: what the change compares with, and where the provenance is."""
    previous = engine.period(sel.filters).previous().label()
    st.caption(s("cards_caption", sel.lang, previous=previous))


def progress_tasks_text(engine: Engine, title: str, unit: str, sel: Selection, period: bool = True) -> ChartText:
    """Chart text for task charts: the tasks dataset is the source; status charts have no period."""
    ds = engine.config.datasets["tasks"]
    return ChartText(title=title, unit=unit, period=sel.period_label if period else "",
                     source=ds.title_zh if sel.lang == "zh" else ds.title_en,
                     as_of=engine.datasets_as_of.get("tasks") or engine.as_of.isoformat(), lang=sel.lang)


def indicator_charts(engine: Engine, ind: Indicator, sel: Selection) -> None:
    """One indicator: monthly series, Sichuan vs Chongqing, the city breakdown and other breakdowns."""
    lang, key = sel.lang, sel.key
    percent = ind.format == "percent"
    split = ind.by_province and "province" in ind.dimensions
    left, right = st.columns([3, 2]) if split else (st.container(), None)

    def monthly() -> tuple[pd.DataFrame, go.Figure, ChartText]:
        m = data.monthly(ind.id, key, lang)
        text = chart_text(engine, ind, lang, sel.period_label, f"{ind.name(lang)} · {t('monthly', lang)}")
        fig = F.monthly_lines(m, text, {**province_colors(engine), "total": F.NEUTRAL})
        return m, DF.percent_axis(fig) if percent else fig, text

    def by_province() -> tuple[pd.DataFrame, go.Figure, ChartText]:
        p = data.series(ind.id, "province", key, lang)
        text = chart_text(engine, ind, lang, sel.period_label, f"{ind.name(lang)} · {t('by_province', lang)}")
        return p, F.bars(p, text, province_colors(engine), percent=percent), text

    with left:
        show_chart(engine, chart(("monthly", ind.id, key, lang), monthly, t("monthly", lang)),
                   name=f"{ind.id}-monthly", filters=sel.filters, lang=lang, indicator_ids=[ind.id],
                   key=f"{ind.id}-monthly")
    if right is not None:
        with right:
            show_chart(engine, chart(("province", ind.id, key, lang), by_province, t("by_province", lang)),
                       name=f"{ind.id}-by-province", filters=sel.filters, lang=lang, indicator_ids=[ind.id],
                       key=f"{ind.id}-province", note=s("comparison_scope", lang) if sel.province else None)
    if "city" in ind.dimensions:
        _breakdown(engine, ind, "city", sel)
    others = other_dimensions(ind)
    for i in range(0, len(others), 2):
        for col, dim in zip(st.columns(2), others[i:i + 2]):
            with col:
                _breakdown(engine, ind, dim, sel)


def _breakdown(engine: Engine, ind: Indicator, dim: str, sel: Selection) -> None:
    lang = sel.lang
    title = t("by_city", lang) if dim == "city" else s("by_dimension", lang, dim=engine.dimension_name(dim, lang))

    def build() -> tuple[pd.DataFrame, go.Figure, ChartText]:
        b = data.series(ind.id, dim, sel.key, lang)
        text = chart_text(engine, ind, lang, sel.period_label, f"{ind.name(lang)} · {title}")
        if dim == "city":
            home = data.cities(None).set_index("city_id")["province"]
            colors = {k: province_colors(engine).get(str(home.get(k)), F.NEUTRAL) for k in b["key"]}
        else:
            colors = {k: F.NEUTRAL for k in b["key"]}
        return b, F.bars(b, text, colors, horizontal=True, percent=ind.format == "percent"), text

    c = chart(("breakdown", ind.id, dim, sel.key, lang), build, title)
    note = s("top_n", lang, n=F.MAX_BARS) if len(c.data) > F.MAX_BARS else None
    show_chart(engine, c, name=f"{ind.id}-by-{dim}", filters=sel.filters, lang=lang, indicator_ids=[ind.id],
               key=f"{ind.id}-{dim}", note=note)


def flow_chart(engine: Engine, ind: Indicator, sel: Selection) -> None:
    """A flow between the provinces as a sankey, arrows from the sending side to the receiving side."""
    lang = sel.lang
    source = flow_dimension(ind)
    if source is None:
        return

    def build() -> tuple[pd.DataFrame, go.Figure, ChartText]:
        f = data.flows(ind.id, sel.key, lang)
        text = chart_text(engine, ind, lang, sel.period_label, f"{ind.name(lang)} · {t('flow_title', lang)}")
        return f, F.flow_sankey(f, text, province_colors(engine)), text

    note = s("flow_caption", lang, source=engine.dimension_name(source, lang), target=s("receiving_side", lang))
    show_chart(engine, chart(("flows", ind.id, sel.key, lang), build, ind.name(lang)), name=f"{ind.id}-flows",
               filters=sel.filters, lang=lang, indicator_ids=[ind.id], key=f"{ind.id}-flows", note=note)


def task_table(engine: Engine, tasks: Callable[[], pd.DataFrame], sel: Selection, key: str,
               cache_key: tuple[Hashable, ...], height: int | str = "auto") -> None:
    """Tasks with dates, progress bars and status, through the one table wrapper; cache_key names the rows."""
    date = st.column_config.DateColumn(format="YYYY-MM-DD", width=92)
    config = {
        "task_id": st.column_config.TextColumn(width=64),
        "area": st.column_config.TextColumn(width=140),
        "title": st.column_config.TextColumn(width=250),
        "lead": st.column_config.TextColumn(width=76),
        "start_date": date, "due_date": date, "completion_date": date,
        "progress_pct": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%d%%", width=100),
        "status_label": st.column_config.TextColumn(width=80),
    }

    def dated() -> pd.DataFrame:
        # Real dates, so a task not yet completed has a missing date (drawn as a dash), not the text "None".
        rows = tasks()
        return rows.assign(**{c: pd.to_datetime(rows[c]) for c in ("start_date", "due_date", "completion_date")})

    tbl = table(engine, ("tasks", *cache_key), dated, sel.lang, TASK_COLUMNS, config)
    show_table(engine, tbl, name="tasks", filters=sel.filters, lang=sel.lang, indicator_ids=None, key=key,
               height=height)


def _names(items: list[str], lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    text = sep.join(items[:MAX_NAMES])
    return text + s("more_items", lang) if len(items) > MAX_NAMES else text


def attention_box(engine: Engine, att: Attention, lang: str) -> None:
    """The short 'what needs attention' line: overdue tasks and areas behind pace."""
    lines = []
    if len(att.overdue):
        items = [f"{r.task_id} {r.title}" for r in att.overdue.itertuples()]
        lines.append(s("attention_overdue", lang, n=len(att.overdue), items=_names(items, lang)))
    if len(att.behind):
        items = [s("attention_area", lang, area=r.area, actual=f"{r.progress:.0%}", expected=f"{r.expected:.0%}")
                 for r in att.behind.itertuples()]
        lines.append(s("attention_behind", lang, n=len(att.behind), items=_names(items, lang)))
    as_of = s("attention_as_of", lang, as_of=engine.as_of.isoformat())
    if lines:
        st.warning("\n\n".join([f"**{s('attention', lang)}** · {lines[0]}", *lines[1:], as_of]),
                   icon=":material/priority_high:")
    else:
        st.success(f"**{s('attention', lang)}** · {s('attention_none', lang)} {as_of}", icon=":material/check:")


def definition_card(engine: Engine, ind: Indicator, lang: str) -> None:
    """One indicator's full definition from config.yaml, with its SQL, in an expander."""
    title, table, sql = data.shared(("definition", ind.id, lang), lambda: _definition(ind, lang))
    with st.expander(title):
        st.markdown(table)
        st.code(sql, language="sql")


def _definition(ind: Indicator, lang: str) -> tuple[str, str, str]:
    # Worked out once per indicator and language: the page draws ~20 of these on every run.
    d = data.definitions(lang).set_index("indicator_id").loc[ind.id]
    fields = ["name_zh", "name_en", "area", "unit", "kind", "dimensions", "by_province", "target", "source",
              "source_date", "quote", "datasets", "as_of", "description"]
    yes_no = {True: s("yes", lang), False: s("no", lang)}
    rows = [f"| {header(f, lang)} | {_cell(yes_no.get(d[f], d[f]) if f == 'by_province' else d[f], lang)} |"
            for f in fields]
    table = "\n".join([f"| {s('field', lang)} | {s('content', lang)} |", "|---|---|", *rows])
    return f"{ind.name(lang)} · `{ind.id}`", table, ind.sql_text().strip()


def _cell(value: object, lang: str) -> str:
    text = str(value) if value not in (None, "") else s("def_target_none", lang)
    return text.replace("|", "\\|").replace("\n", " ")

"""Page sections built from components: card grids, an indicator's charts, flows, task tables, attention."""

from __future__ import annotations

import html
from collections.abc import Callable, Hashable
from functools import partial

import pandas as pd
import streamlit as st

from metrics import Engine
from metrics import charts as C
from metrics.catalog import flow_dimension, other_dimensions, splits_by_province
from metrics.columns import column_label
from metrics.comparisons import comparison_name
from metrics.config import Indicator
from metrics.definitions import indicator_definitions
from metrics.figures.style import MAX_BARS
from metrics.i18n import tr
from metrics.overview import card
from metrics.status import method_text

from . import data
from .components import CardView, TableHeight, card_view, chart, draw_card, show_chart, show_table, table
from .device import on_phone
from .sidebar import Selection

TASK_COLUMNS = [
    "task_id",
    "area",
    "title",
    "lead",
    "reporting",
    "start_date",
    "due_date",
    "completion_date",
    "progress_pct",
    "status_label",
    "last_report_period",
    "review_state_label",
]


def card_grid(engine: Engine, inds: list[Indicator], sel: Selection) -> None:
    """KPI tiles for indicators in rows that wrap (five on a desktop, two on a phone: ui/page.py's style);
    a phone's tiles are compact (ui/device.py)."""
    compact = on_phone()
    with st.container(key="kpi-grid", horizontal=True, wrap=True, gap="small"):
        for ind in inds:
            build = partial(_card_view, engine, ind, sel)
            view = data.shared(engine, ("card", ind.id, sel.key, sel.compare, sel.lang), build)
            draw_card(view, key=f"kpi-{ind.id}", compact=compact)


def _card_view(engine: Engine, ind: Indicator, sel: Selection) -> CardView:
    return card_view(engine, card(engine, ind, sel.filters), sel.filters, sel.lang, sel.compare)


def cards_caption(engine: Engine, sel: Selection) -> None:
    """The line under a card grid: what the change compares with, how status is decided, and the provenance."""
    period = engine.period(sel.filters)
    base = period.shifted(-12) if sel.compare == "yoy" else period.previous()
    comparison = tr("compare.against", sel.lang, name=comparison_name(sel.compare, sel.lang), period=base.label())
    st.caption(
        tr("ui.cards_caption", sel.lang, comparison=comparison, status=method_text(engine.config.status, sel.lang))
    )


def indicator_charts(engine: Engine, ind: Indicator, sel: Selection) -> None:
    """One indicator: monthly series, Sichuan vs Chongqing, the city breakdown and other breakdowns."""
    lang, key, filters = sel.lang, sel.key, sel.filters
    split = splits_by_province(ind)
    left, right = st.columns([3, 2]) if split else (st.container(), None)
    with left:
        monthly = chart(
            engine,
            ("monthly", ind.id, key, lang),
            lambda: C.monthly_chart(engine, ind, filters, lang, titled=True),
            tr("word.monthly", lang),
        )
        show_chart(engine, monthly, filters=filters, lang=lang, key=f"{ind.id}-monthly")
    if right is not None:
        with right:
            compare = chart(
                engine,
                ("province", ind.id, key, lang),
                lambda: C.province_chart(engine, ind, filters, lang),
                tr("word.by_province", lang),
            )
            show_chart(
                engine,
                compare,
                filters=filters,
                lang=lang,
                key=f"{ind.id}-province",
                note=tr("ui.comparison_scope", lang) if sel.province else None,
            )
    if "city" in ind.dimensions:
        _breakdown(engine, ind, "city", sel)
    others = other_dimensions(ind)
    for i in range(0, len(others), 2):
        for col, dim in zip(st.columns(2), others[i : i + 2], strict=False):
            with col:
                _breakdown(engine, ind, dim, sel)


def _breakdown(engine: Engine, ind: Indicator, dim: str, sel: Selection) -> None:
    lang = sel.lang
    title = (
        tr("word.by_city", lang) if dim == "city" else tr("ui.by_dimension", lang, dim=engine.dimension_name(dim, lang))
    )
    sc = chart(
        engine,
        ("breakdown", ind.id, dim, sel.key, lang),
        lambda: C.breakdown_chart(engine, ind, dim, sel.filters, lang),
        title,
    )
    note = tr("ui.top_n", lang, n=MAX_BARS) if len(sc.chart.data) > MAX_BARS else None
    show_chart(engine, sc, filters=sel.filters, lang=lang, key=f"{ind.id}-{dim}", note=note)


def flow_chart(engine: Engine, ind: Indicator, sel: Selection) -> None:
    """A flow between the provinces as a sankey, arrows from the sending side to the receiving side."""
    lang = sel.lang
    source = flow_dimension(ind)
    if source is None:
        return
    sc = chart(
        engine,
        ("flows", ind.id, sel.key, lang),
        lambda: C.flow_chart(engine, ind, sel.filters, lang),
        ind.short_name(lang),
    )
    note = tr("ui.flow_caption", lang, source=engine.dimension_name(source, lang), target=tr("ui.receiving_side", lang))
    show_chart(engine, sc, filters=sel.filters, lang=lang, key=f"{ind.id}-flows", note=note)


def task_table(
    engine: Engine,
    tasks: Callable[[], pd.DataFrame],
    sel: Selection,
    key: str,
    cache_key: tuple[Hashable, ...],
    height: TableHeight = "auto",
) -> None:
    """Tasks with dates, progress bars and status, through the one table wrapper; cache_key names the rows."""
    date = st.column_config.DateColumn(format="YYYY-MM-DD", width=92)
    config = {
        "task_id": st.column_config.TextColumn(width=64),
        "area": st.column_config.TextColumn(width=140),
        "title": st.column_config.TextColumn(width=250),
        "lead": st.column_config.TextColumn(width=76),
        "reporting": st.column_config.TextColumn(width=76),
        "last_report_period": st.column_config.TextColumn(width=84),
        "review_state_label": st.column_config.TextColumn(width=96),
        "start_date": date,
        "due_date": date,
        "completion_date": date,
        "progress_pct": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%d%%", width=100),
        "status_label": st.column_config.TextColumn(width=80),
    }

    def dated() -> pd.DataFrame:
        # Real dates, so a task not yet completed has a missing date (drawn as a dash), not the text "None".
        rows = tasks()
        return rows.assign(**{c: pd.to_datetime(rows[c]) for c in ("start_date", "due_date", "completion_date")})

    tbl = table(engine, ("tasks", *cache_key), dated, sel.lang, TASK_COLUMNS, config)
    # Both are drawn; the page's style shows the grid on a wide screen and the cards on a phone (ui/page.py).
    with st.container(key=f"task-grid-{key}"):
        show_table(
            engine, tbl, name="tasks", filters=sel.filters, lang=sel.lang, indicator_ids=None, key=key, height=height
        )
    with st.container(key=f"task-cards-{key}"):
        st.html(
            data.shared(engine, ("task-cards", *cache_key, sel.lang), lambda: task_cards(engine, tasks(), sel.lang))
        )


def task_cards(engine: Engine, rows: pd.DataFrame, lang: str) -> str:
    """The tasks as cards for a narrow screen: id and title, lead party, a status chip, progress and due date."""
    lead, due = (html.escape(column_label(engine.config, c, lang)) for c in ("lead", "due_date"))
    cards = [
        '<div class="task-card">'
        f'<div class="tc-title"><b>{html.escape(str(r.task_id))}</b> {html.escape(str(r.title))}</div>'
        f'<div class="tc-meta">{lead}: {html.escape(str(r.lead))} · {due}: {_date(r.due_date)}</div>'
        f'<div class="tc-row"><span class="tc-chip tc-{html.escape(str(r.status))}">'
        f"{html.escape(str(r.status_label))}</span>"
        f'<span class="tc-bar"><span style="width:{int(r.progress_pct)}%"></span></span>'
        f'<span class="tc-pct">{int(r.progress_pct)}%</span></div>'
        "</div>"
        for r in rows.itertuples()
    ]
    return f'<div class="task-cards">{"".join(cards)}</div>'


def _date(value: object) -> str:
    return "—" if value is None or pd.isna(value) else html.escape(str(pd.Timestamp(value).date()))


def attention_box(lines: list[str], when: str, lang: str) -> None:
    """The 'what needs attention' box (metrics.overview.attention_lines): a warning, or all clear."""
    if lines:
        text = "\n\n".join([f"**{tr('ui.attention', lang)}** · {lines[0]}", *lines[1:], when])
        st.warning(text, icon=":material/priority_high:")
    else:
        st.success(f"**{tr('ui.attention', lang)}** · {tr('ui.attention_none', lang)} {when}", icon=":material/check:")


DEFINITION_FIELDS = [
    "name_zh",
    "name_en",
    "area",
    "unit",
    "kind",
    "dimensions",
    "by_province",
    "target_text",
    "source",
    "quote",
    "datasets",
    "as_of",
    "description",
]


def definition_card(engine: Engine, ind: Indicator, lang: str) -> None:
    """One indicator's full definition from config.yaml, with its SQL, in an expander."""
    title, text, sql = data.shared(engine, ("definition", ind.id, lang), lambda: _definition(engine, ind, lang))
    expander = st.expander(title, key=f"def-{ind.id}", on_change="rerun")  # the body is drawn once opened
    if expander.open:
        with expander:
            st.markdown(text)
            st.code(sql, language="sql")


def _definition(engine: Engine, ind: Indicator, lang: str) -> tuple[str, str, str]:
    # Worked out once per indicator and language: the page draws ~20 of these on every run.
    d = indicator_definitions(engine, lang, [ind.id]).iloc[0]
    yes_no = {True: tr("ui.yes", lang), False: tr("ui.no", lang)}
    rows = [
        f"| {tr(f'col.{f}', lang)} | {_cell(yes_no.get(d[f], d[f]) if f == 'by_province' else d[f], lang)} |"
        for f in DEFINITION_FIELDS
    ]
    text = "\n".join([f"| {tr('ui.field', lang)} | {tr('ui.content', lang)} |", "|---|---|", *rows])
    return f"{ind.text('name', lang)} · `{ind.id}`", text, ind.sql_text().strip()


def _cell(value: object, lang: str) -> str:
    text = str(value) if value not in (None, "") else tr("ui.def_target_none", lang)
    return text.replace("|", "\\|").replace("\n", " ")

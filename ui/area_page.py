"""The layout shared by the four area pages: indicator cards, one indicator in detail, flows, the area's tasks."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics import Engine
from metrics.catalog import flow_dimension, illustrative_notes, page_areas, page_indicators
from metrics.comparisons import comparison_name
from metrics.config import Indicator
from metrics.i18n import tr
from metrics.tasks import area_summary, task_table

from . import data
from .components import empty_state, sample_note
from .narrative import area_analysis
from .page import start
from .sections import card_grid, cards_caption, flow_chart, indicator_charts
from .sections import task_table as draw_task_table
from .sidebar import Selection


def render(page_id: str) -> None:
    """Draw an area page (employment, social_security, talent or public_services)."""
    engine, sel = start(page_id)
    lang = sel.lang
    inds = page_indicators(engine.config, page_id)
    areas = page_areas(engine.config, page_id)
    st.caption(" · ".join(a.text("name", lang) for a in areas))
    sample_note(engine, lang)
    with_data = data.shared(
        engine, ("with-data", page_id, sel.key), lambda: [i for i in inds if engine.value(i.id, sel.filters).has_data]
    )
    if with_data:
        area_analysis(engine, sel, [a.id for a in areas])  # the page opens with its written analysis
    if not with_data:
        empty_state(engine, lang, sel.period_label)
    else:
        st.subheader(f"{tr('ui.indicators', lang)} · {comparison_name(sel.compare, lang)}")
        card_grid(engine, inds, sel)
        cards_caption(engine, sel)
        _detail(engine, with_data, sel)
        flows = [i for i in with_data if flow_dimension(i)]
        if flows:
            st.subheader(tr("ui.flows", lang))
            for col, ind in zip(st.columns(len(flows)), flows, strict=True):
                with col:
                    flow_chart(engine, ind, sel)
    _tasks(engine, [a.id for a in areas], sel)


def _detail(engine: Engine, inds: list[Indicator], sel: Selection) -> None:
    lang = sel.lang
    st.subheader(tr("ui.detail", lang))
    # Open on the page's first headline indicator: the one the Overview shows.
    ordered = sorted(inds, key=lambda i: (i.headline is None, i.headline or 0))
    names = {i.id: i.text("name", lang) for i in ordered}
    chosen = st.selectbox(
        tr("ui.choose_indicator", lang), list(names), format_func=lambda i: names[i], key=f"detail-{ordered[0].area}"
    )
    ind = next(i for i in ordered if i.id == chosen)
    st.caption(" ".join([ind.text("description", lang), *illustrative_notes(engine.config, ind, lang)]))
    indicator_charts(engine, ind, sel)


def _tasks(engine: Engine, area_ids: list[str], sel: Selection) -> None:
    lang = sel.lang
    st.subheader(tr("ui.area_tasks", lang))
    summary = data.shared(engine, ("area-summary", lang), lambda: area_summary(engine, lang)).set_index("area_id")
    for a in area_ids:
        r = summary.loc[a]
        st.caption(
            tr(
                "ui.area_tasks_summary",
                lang,
                area=r["area"],
                done=int(r["completed"]),
                total=int(r["total"]),
                overdue=int(r["overdue"]),
            )
        )

    def mine() -> pd.DataFrame:
        tasks = data.shared(engine, ("task-table", lang), lambda: task_table(engine, lang))
        return tasks[tasks["area_id"].isin(area_ids)].reset_index(drop=True)

    draw_task_table(engine, mine, sel, key="area-tasks", cache_key=("areas", *area_ids))

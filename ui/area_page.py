"""The layout shared by the four area pages: indicator cards, one indicator in detail, flows, the area's tasks."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics import Engine
from metrics.config import Indicator
from metrics.views import flow_dimension, illustrative_notes, page_areas, page_indicators

from . import data
from .components import empty_state, sample_note
from .page import start
from .sidebar import Selection
from .sections import card_grid, cards_caption, flow_chart, indicator_charts, task_table
from .strings import s


def render(page_id: str) -> None:
    """Draw an area page (employment, social_security, talent or public_services)."""
    engine, sel = start(page_id)
    lang = sel.lang
    inds = page_indicators(engine.config, page_id)
    areas = page_areas(engine.config, page_id)
    st.caption(" · ".join(a.name_zh if lang == "zh" else a.name_en for a in areas))
    sample_note(engine, lang)
    with_data = [i for i in inds if data.value(i.id, sel.key).has_data]
    if not with_data:
        empty_state(engine, lang, sel.period_label)
    else:
        st.subheader(s("indicators", lang))
        card_grid(engine, inds, sel)
        cards_caption(engine, sel)
        _detail(with_data, sel)
        flows = [i for i in with_data if flow_dimension(i)]
        if flows:
            st.subheader(s("flows", lang))
            for col, ind in zip(st.columns(len(flows)), flows):
                with col:
                    flow_chart(engine, ind, sel)
    _tasks(engine, [a.id for a in areas], sel)


def _detail(inds: list[Indicator], sel: Selection) -> None:
    lang = sel.lang
    st.subheader(s("detail", lang))
    # Open on the page's first headline indicator: the one the Overview shows.
    ordered = sorted(inds, key=lambda i: (i.headline is None, i.headline or 0))
    names = {i.id: i.name(lang) for i in ordered}
    chosen = st.selectbox(s("choose_indicator", lang), list(names), format_func=names.get,
                          key=f"detail-{ordered[0].area}")
    ind = next(i for i in ordered if i.id == chosen)
    engine = data.engine()
    notes = illustrative_notes(engine.config, ind, lang) if engine.config.project.sample_data else []
    st.caption(" ".join([ind.description(lang), *notes]))
    indicator_charts(engine, ind, sel)


def _tasks(engine: Engine, area_ids: list[str], sel: Selection) -> None:
    lang = sel.lang
    st.subheader(s("area_tasks", lang))
    summary = data.area_summary(lang).set_index("area_id")
    for a in area_ids:
        r = summary.loc[a]
        st.caption(s("area_tasks_summary", lang, area=r["area"], done=int(r["completed"]), total=int(r["total"]),
                     overdue=int(r["overdue"])))

    def mine() -> pd.DataFrame:
        tasks = data.task_table(lang)
        return tasks[tasks["area_id"].isin(area_ids)].reset_index(drop=True)

    task_table(engine, mine, sel, key="area-tasks", cache_key=("areas", *area_ids))

"""The layout shared by the four area pages: indicator cards, one indicator in detail, flows, the area's tasks."""

from __future__ import annotations

import streamlit as st

from metrics import Engine
from metrics.catalog import flow_dimension, illustrative_notes, page_areas, page_indicators
from metrics.comparisons import comparison_name
from metrics.config import Indicator
from metrics.i18n import tr

from . import data
from .components import empty_state, sample_note
from .narrative import area_analysis
from .page import start
from .sections import card_grid, cards_caption, flow_chart, indicator_charts
from .sidebar import Selection
from .supervision import area_tasks, published_history


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
    if not with_data:
        empty_state(engine, lang, sel.period_label)
    else:
        # The cards first (above the fold, as on the Overview), then the written analysis of them.
        st.subheader(f"{tr('ui.indicators', lang)} · {comparison_name(sel.compare, lang)}")
        card_grid(engine, inds, sel)
        cards_caption(engine, sel)
        area_analysis(engine, sel, [a.id for a in areas])
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
    published_history(engine, ind, sel)  # the register's values over time (ui/supervision.py)


def _tasks(engine: Engine, area_ids: list[str], sel: Selection) -> None:
    area_tasks(engine, area_ids, sel)  # from the approved reports, the store's included (ui/supervision.py)

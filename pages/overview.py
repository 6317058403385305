"""总览 Overview: where the agreement stands, the headline indicators, and what needs attention."""

import streamlit as st

from metrics import charts as C
from metrics.catalog import TASKS_COMPLETED
from metrics.comparisons import comparison_name
from metrics.i18n import tr
from metrics.overview import attention
from ui import data
from ui.components import chart, dataset_note, empty_state, lazy_popover, sample_note, show_chart
from ui.downloads import brief_button, bulk_downloads, deck_button
from ui.narrative import overview_analysis
from ui.page import start
from ui.sections import attention_box, card_grid, cards_caption

engine, sel = start("overview")
lang, filters = sel.lang, sel.filters


def export_menu() -> None:
    """The meeting pack, the Word brief and the bulk downloads, drawn only while the export popover is open."""
    deck_button(engine, filters, lang, key="overview-deck")
    brief_button(engine, filters, lang, key="overview-brief")
    bulk_downloads(engine, filters, lang, key="overview-bulk")


lazy_popover(tr("ui.export", lang), ":material/ios_share:", "overview-export", export_menu)
sample_note(engine, lang)

headline = engine.config.headline_indicators()
has_data = data.shared(
    engine, ("headline-has-data", sel.key), lambda: any(engine.value(i.id, filters).has_data for i in headline)
)
if not has_data:
    empty_state(engine, lang, sel.period_label)
    st.stop()

overview_analysis(engine, sel)

st.subheader(tr("ui.agreement_progress", lang))
dataset_note(engine, "tasks", lang)
if sel.province:
    st.caption(tr("scope.not_split_by_province", lang))
donut_col, areas_col = st.columns([1, 2])
with donut_col:
    show_chart(
        engine,
        chart(engine, ("task-progress", sel.key, lang), lambda: C.task_progress_chart(engine, filters, lang)),
        filters=filters,
        lang=lang,
        key="task-progress",
    )
with areas_col:
    show_chart(
        engine,
        chart(engine, ("area-progress", sel.key, lang), lambda: C.area_progress_chart(engine, filters, lang)),
        filters=filters,
        lang=lang,
        key="area-progress",
    )
attention_box(engine, data.shared(engine, ("attention", lang), lambda: attention(engine, lang)), lang)

st.subheader(f"{tr('ui.headline', lang)} · {comparison_name(sel.compare, lang)}")
card_grid(engine, [i for i in headline if i.id != TASKS_COMPLETED], sel)
cards_caption(engine, sel)

"""总览 Overview: where the agreement stands, the headline indicators, and what needs attention."""

import streamlit as st

from metrics import Engine
from metrics.catalog import TASKS_COMPLETED
from metrics.comparisons import comparison_name
from metrics.i18n import tr
from ui import data
from ui.components import empty_state, lazy_popover, sample_note
from ui.downloads import brief_button, bulk_downloads, deck_button
from ui.narrative import overview_analysis
from ui.page import start
from ui.sections import card_grid, cards_caption
from ui.sidebar import Selection
from ui.supervision import agreement_progress


def export(engine: Engine, sel: Selection) -> None:
    """The export popover beside the filter bar; its body is drawn only while it is open."""

    def menu() -> None:
        deck_button(engine, sel.filters, sel.lang, key="overview-deck")
        brief_button(engine, sel.filters, sel.lang, key="overview-brief")
        bulk_downloads(engine, sel.filters, sel.lang, key="overview-bulk")

    lazy_popover(tr("ui.export", sel.lang), ":material/ios_share:", "overview-export", menu)


engine, sel = start("overview", actions=export)
lang, filters = sel.lang, sel.filters
sample_note(engine, lang)

headline = engine.config.headline_indicators()
has_data = data.shared(
    engine, ("headline-has-data", sel.key), lambda: any(engine.value(i.id, filters).has_data for i in headline)
)
if not has_data:
    empty_state(engine, lang, sel.period_label)
    st.stop()

# The headline cards come first, so they are above the fold on a 1440x900 screen and the first thing on a phone;
# then the written analysis of them, then the agreement's progress.
st.subheader(f"{tr('ui.headline', lang)} · {comparison_name(sel.compare, lang)}")
card_grid(engine, [i for i in headline if i.id != TASKS_COMPLETED], sel)
cards_caption(engine, sel)

overview_analysis(engine, sel)

agreement_progress(engine, sel)  # tasks: completion, by area, what needs attention (ui/supervision.py)

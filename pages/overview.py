"""总览 Overview: where the agreement stands, the headline indicators, and what needs attention."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from metrics import dashboard_figures as DF
from metrics import figures as F
from metrics.config import Indicator
from metrics.figures import ChartText
from metrics.views import TASKS_COMPLETED, TASKS_TOTAL
from ui import data
from ui.components import chart, dataset_note, empty_state, lazy_popover, sample_note, show_chart
from ui.downloads import bulk_downloads, deck_button
from ui.page import start
from ui.sections import attention_box, card_grid, cards_caption, progress_tasks_text
from ui.strings import s

engine, sel = start("overview")
lang = sel.lang


def export_menu() -> None:
    """The meeting pack and the bulk downloads, drawn only while the export popover is open."""
    deck_button(engine, sel.filters, lang, key="overview-deck")
    bulk_downloads(engine, sel.filters, lang, key="overview-bulk")


lazy_popover(s("export", lang), ":material/ios_share:", "overview-export", export_menu)
sample_note(engine, lang)


def headline() -> tuple[bool, list[Indicator]]:
    """Whether any headline card has data, and the headline indicators (shared: read-only)."""
    cards = data.headline_cards(sel.key)
    return any(c.value.has_data for c in cards), [engine.indicator(c.indicator.id) for c in cards]


has_data, headline_inds = data.shared(("headline", sel.key), headline)
if not has_data:
    empty_state(engine, lang, sel.period_label)
    st.stop()

st.subheader(s("agreement_progress", lang))
dataset_note(engine, "tasks", lang)
if sel.province:
    st.caption(s("scope_not_split", lang))
done, total = data.value(TASKS_COMPLETED, sel.key).value or 0, data.value(TASKS_TOTAL, sel.key).value or 0
donut_col, areas_col = st.columns([1, 2])


def donut() -> tuple[pd.DataFrame, go.Figure, ChartText]:
    """The agreement's task progress as a donut."""
    text = progress_tasks_text(engine, F.t("task_progress_title", lang), F.t("count_unit_tasks", lang), sel)
    counts = pd.DataFrame({"completed": [int(done)], "total": [int(total)]})
    return counts, F.task_progress(int(done), int(total), lang), text


def by_area() -> tuple[pd.DataFrame, go.Figure, ChartText]:
    """Tasks completed by the period's end, per area."""
    text = progress_tasks_text(engine, s("tasks_done_by_area", lang), F.t("count_unit_tasks", lang), sel)
    areas = data.area_progress(sel.key, lang)
    return areas, DF.area_progress_bars(areas, text), text


with donut_col:
    show_chart(engine, chart(("task-progress", sel.key, lang), donut), name="task-progress", filters=sel.filters,
               lang=lang, indicator_ids=[TASKS_COMPLETED, TASKS_TOTAL], key="task-progress")
with areas_col:
    show_chart(engine, chart(("area-progress", sel.key, lang), by_area), name="tasks-by-area", filters=sel.filters,
               lang=lang, indicator_ids=[TASKS_COMPLETED, TASKS_TOTAL], key="area-progress")
attention_box(engine, data.attention(lang), lang)

st.subheader(s("headline", lang))
card_grid(engine, [i for i in headline_inds if i.id != TASKS_COMPLETED], sel)
cards_caption(engine, sel)

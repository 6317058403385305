"""任务进展 Tasks: the 97 tasks, filterable; completion by area; the burn-up and its projection."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from metrics import figures as F
from metrics.figures import ChartText
from metrics.tasks import STATUSES, status_label
from metrics.views import filter_tasks
from ui import data
from ui.components import chart, dataset_note, sample_note, show_chart
from ui.page import start
from ui.sections import progress_tasks_text, task_table
from ui.strings import s

engine, sel = start("tasks")
lang = sel.lang
tasks, summary, b = data.task_table(lang), data.area_summary(lang), data.burnup()
st.caption(s("tasks_note", lang, as_of=engine.as_of.isoformat()))
sample_note(engine, lang)
dataset_note(engine, "tasks", lang)

k1, k2, k3, k4, k5 = st.columns(5)
k1.metric(s("kpi_completed", lang), f"{b.completed}/{b.total}", border=True)
k2.metric(s("kpi_overdue", lang), int(tasks["overdue"].sum()), border=True)
k3.metric(s("kpi_pace", lang), f"{b.current_per_month:.1f}", border=True, help=s("per_month_help", lang))
k4.metric(s("kpi_required", lang), f"{b.required_per_month:.1f}", border=True, help=s("per_month_help", lang))
projected = b.projected_completion.strftime("%Y-%m") if b.projected_completion else s("not_projected", lang)
k5.metric(s("kpi_projected", lang), projected, border=True,
          delta=s("on_track", lang) if b.on_track else s("off_track", lang, due=b.due.isoformat()),
          delta_color="normal" if b.on_track else "inverse", delta_arrow="off")

left, right = st.columns(2)


def status_by_area() -> tuple[pd.DataFrame, go.Figure, ChartText]:
    """Task status by area (no period: the tasks' status today)."""
    text = progress_tasks_text(engine, F.t("tasks_by_area_title", lang), F.t("count_unit_tasks", lang), sel,
                               period=False)
    return summary, F.tasks_by_area(summary, lang), text


def burnup() -> tuple[pd.DataFrame, go.Figure, ChartText]:
    """The burn-up of completed tasks and its projection."""
    text = progress_tasks_text(engine, F.t("burnup_title", lang), F.t("count_unit_tasks", lang), sel, period=False)
    return b.actual, F.burnup_chart(b, lang), text


# Neither chart depends on the filters (their text has no period): one build per language.
with left:
    show_chart(engine, chart(("tasks-by-area", lang), status_by_area), name="tasks-by-area-status",
               filters=sel.filters, lang=lang, indicator_ids=None, key="tasks-by-area")
with right:
    show_chart(engine, chart(("tasks-burnup", lang), burnup), name="tasks-burnup", filters=sel.filters,
               lang=lang, indicator_ids=None, key="tasks-burnup")

st.subheader(s("task_table", lang))
areas = engine.labels("area", lang)
leads = engine.labels("lead_party", lang)
c1, c2, c3, c4 = st.columns([3, 2, 2, 1.4], vertical_alignment="bottom")
everything = s("all", lang)  # an empty choice means all of them
pick_areas = c1.multiselect(s("filter_area", lang), list(areas), format_func=areas.get, key="tasks-area",
                            placeholder=everything)
pick_leads = c2.multiselect(s("filter_lead", lang), list(leads), format_func=leads.get, key="tasks-lead",
                            placeholder=everything)
pick_status = c3.multiselect(s("filter_status", lang), list(STATUSES), key="tasks-status", placeholder=everything,
                             format_func=lambda x: status_label(x, lang))
overdue = c4.toggle(s("filter_overdue", lang), key="tasks-overdue")
shown = filter_tasks(tasks, pick_areas, pick_leads, pick_status, overdue)
st.caption(s("tasks_shown", lang, n=len(shown), total=len(tasks)))
if shown.empty:
    st.info(s("no_tasks", lang), icon=":material/filter_alt_off:")
else:
    picks = (tuple(pick_areas), tuple(pick_leads), tuple(pick_status), overdue)
    task_table(engine, lambda: shown, sel, key="tasks-table", cache_key=("picked", *picks),
               height=min(38 + 35 * len(shown), 560))

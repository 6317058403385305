"""任务进展 Tasks: the 97 tasks, filterable; completion by area; the burn-up and its projection."""

import streamlit as st

from metrics import charts as C
from metrics.i18n import tr
from metrics.provenance import dataset_as_of
from metrics.tasks import STATUSES, burnup, filter_tasks, status_label, task_table
from ui import data
from ui.components import chart, dataset_note, sample_note, show_chart
from ui.page import start
from ui.sections import task_table as draw_task_table

engine, sel = start("tasks")
lang = sel.lang
tasks = data.shared(engine, ("task-table", lang), lambda: task_table(engine, lang))
b = data.shared(engine, ("burnup",), lambda: burnup(engine))
as_of = dataset_as_of(engine, "tasks")
st.caption(tr("ui.tasks_note", lang, as_of=as_of.label() if as_of else ""))
sample_note(engine, lang)
dataset_note(engine, "tasks", lang)

k1, k2, k3, k4, k5 = st.columns(5)
k1.metric(tr("ui.kpi_completed", lang), f"{b.completed}/{b.total}", border=True)
k2.metric(tr("ui.kpi_overdue", lang), int(tasks["overdue"].sum()), border=True)
k3.metric(tr("ui.kpi_pace", lang), f"{b.current_per_month:.1f}", border=True, help=tr("ui.per_month_help", lang))
k4.metric(tr("ui.kpi_required", lang), f"{b.required_per_month:.1f}", border=True, help=tr("ui.per_month_help", lang))
projected = b.projected_completion.strftime("%Y-%m") if b.projected_completion else tr("ui.not_projected", lang)
k5.metric(
    tr("ui.kpi_projected", lang),
    projected,
    border=True,
    delta=tr("ui.on_track", lang) if b.on_track else tr("ui.off_track", lang, due=b.due.isoformat()),
    delta_color="normal" if b.on_track else "inverse",
    delta_arrow="off",
)

# Neither chart depends on the filters (tasks are shown as of the data): one build per language.
left, right = st.columns(2)
with left:
    show_chart(
        engine,
        chart(engine, ("tasks-by-area", lang), lambda: C.status_by_area_chart(engine, lang)),
        filters=sel.filters,
        lang=lang,
        key="tasks-by-area",
    )
with right:
    show_chart(
        engine,
        chart(engine, ("tasks-burnup", lang), lambda: C.burnup_chart(engine, lang)),
        filters=sel.filters,
        lang=lang,
        key="tasks-burnup",
    )

st.subheader(tr("ui.task_table", lang))
areas = engine.labels("area", lang)
leads = engine.labels("lead_party", lang)
c1, c2, c3, c4 = st.columns([3, 2, 2, 1.4], vertical_alignment="bottom")
everything = tr("word.all", lang)  # an empty choice means all of them
pick_areas = c1.multiselect(
    tr("ui.filter_area", lang), list(areas), format_func=lambda k: areas[k], key="tasks-area", placeholder=everything
)
pick_leads = c2.multiselect(
    tr("ui.filter_lead", lang), list(leads), format_func=lambda k: leads[k], key="tasks-lead", placeholder=everything
)
pick_status = c3.multiselect(
    tr("ui.filter_status", lang),
    list(STATUSES),
    key="tasks-status",
    placeholder=everything,
    format_func=lambda x: status_label(x, lang),
)
overdue = c4.toggle(tr("ui.filter_overdue", lang), key="tasks-overdue")
shown = filter_tasks(tasks, pick_areas, pick_leads, pick_status, overdue)
st.caption(tr("ui.tasks_shown", lang, n=len(shown), total=len(tasks)))
if shown.empty:
    st.info(tr("ui.no_tasks", lang), icon=":material/filter_alt_off:")
else:
    picks = (tuple(pick_areas), tuple(pick_leads), tuple(pick_status), overdue)
    draw_task_table(
        engine,
        lambda: shown,
        sel,
        key="tasks-table",
        cache_key=("picked", *picks),
        height=min(38 + 35 * len(shown), 560),
    )

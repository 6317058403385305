"""任务进展 Tasks: a plan's tasks from their approved reports; this period's reporting per party and 催报; the
burn-up and its projection; each task's timeline of approved reports."""

import streamlit as st

from metrics import charts as C
from metrics.i18n import tr
from metrics.provenance import dataset_as_of
from metrics.supervision import task_timeline
from metrics.tasks import STATUSES, burnup, filter_tasks, status_label, task_table
from ui.components import chart, dataset_note, sample_note, show_chart, show_table, table
from ui.page import start
from ui.sections import task_table as draw_task_table
from ui.supervision import chase_table, current_status, ledger, plan_caption, reports_version, shared, status_table

engine, sel = start("tasks")
lang = sel.lang
version = reports_version(engine)  # every view below follows the store's reports, cached per count
tasks = shared(engine, sel, "task-table", version, lambda lg: task_table(engine, lang, sel.plan, lg))
b = shared(engine, sel, "burnup", version, lambda lg: burnup(engine, sel.plan, lg))
as_of = dataset_as_of(engine, "tasks")
# The tiles share rows that wrap (five on a desktop, two on a phone), like the Overview's (ui/page.py's style).
grid = st.container(key="kpi-grid", horizontal=True, wrap=True, gap="small")
k1, k2, k3, k4, k5 = (grid.container() for _ in range(5))
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
# What the numbers are and what is illustrative, right under them: on a phone the tiles come first on the screen.
plan_caption(engine, sel)
st.caption(tr("ui.tasks_note", lang, as_of=as_of.label() if as_of else ""))
sample_note(engine, lang)
dataset_note(engine, "tasks", lang)

# Neither chart depends on the filters (tasks are shown as of the data): one build per plan, language and reports.
left, right = st.columns(2)
with left:
    show_chart(
        engine,
        chart(
            engine,
            ("tasks-by-area", sel.plan, lang, version),
            lambda: C.status_by_area_chart(engine, lang, sel.plan, ledger(engine, version)),
        ),
        filters=sel.filters,
        lang=lang,
        key="tasks-by-area",
    )
with right:
    show_chart(
        engine,
        chart(
            engine,
            ("tasks-burnup", sel.plan, lang, version),
            lambda: C.burnup_chart(engine, lang, sel.plan, ledger(engine, version)),
        ),
        filters=sel.filters,
        lang=lang,
        key="tasks-burnup",
    )

ps = current_status(engine, sel, version)
st.subheader(tr("ui.reporting_status", lang, period=ps.period))
st.caption(tr("ui.reporting_status_note", lang, deadline=ps.deadline.isoformat()))
status_table(engine, sel, ps, key="tasks-reporting")
chase_table(engine, sel, ps, key="tasks-chase")

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
        cache_key=("picked", sel.plan, version, *picks),
        height=min(38 + 35 * len(shown), 560),
    )

st.subheader(tr("ui.timeline", lang))
names = dict(zip(tasks["task_id"], tasks["task_id"] + " " + tasks["title"], strict=True))
first_late = tasks.loc[tasks["overdue"], "task_id"]
picked = st.selectbox(
    tr("ui.timeline_task", lang),
    list(names),
    index=list(names).index(first_late.iloc[0]) if len(first_late) else 0,
    format_func=names.__getitem__,
    key=f"tasks-timeline-{sel.plan}",
)
show_chart(
    engine,
    chart(
        engine,
        ("task-timeline", picked, lang, version),
        lambda: C.task_timeline_chart(engine, picked, lang, ledger(engine, version)),
        picked,  # on screen the task id is title enough (the choice above names it): a phone fits it
    ),
    filters=sel.filters,
    lang=lang,
    key="tasks-timeline",
)
notes = table(
    engine,
    ("timeline-notes", picked, version),
    lambda: (
        task_timeline(engine, picked, ledger(engine, version))
        .iloc[::-1][
            ["period", "progress_pct", "state", "progress_note", "issues", "next_steps", "reviewer", "approved_on"]
        ]
        .assign(state=lambda d: d["state"].map(lambda s: tr(f"report_state.{s}", lang)))
    ),
    lang,
)
show_table(
    engine,
    notes,
    name=f"{picked}-reports",
    filters=sel.filters,
    lang=lang,
    indicator_ids=None,
    key="tasks-timeline-notes",
    height=260,
)

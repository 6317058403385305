"""Progress reports on every page: the store's reports read cheaply, and the task sections built from them.

Each run asks the user store how many report versions and reviews it holds (one small query); everything built
from reports is cached under that count (and the data version), so a submission or a review shows on the next
run of any page, in any session or process, without rebuilding the warehouse.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TypeVar

import pandas as pd
import streamlit as st

from metrics import Engine, published
from metrics import charts as C
from metrics.config import Indicator
from metrics.i18n import tr
from metrics.overview import attention, attention_lines
from metrics.plans import plan
from metrics.reports import Ledger, default_store, read_ledger, read_version
from metrics.supervision import PeriodStatus, period_status
from metrics.tasks import area_summary, task_table
from metrics.userstore import StoreError

from . import data
from .components import chart, dataset_note, show_chart, show_table, table
from .sidebar import Selection

T = TypeVar("T")

Version = tuple[str, int, int]


def reports_version(engine: Engine) -> Version:
    """The store's (URL, report versions, reviews) now: the key of everything built from reports."""
    try:
        return read_version(default_store(engine))
    except StoreError:
        return ("", 0, 0)  # an unreadable store shows the data's record; the report page says what is wrong


def ledger(engine: Engine, version: Version) -> Ledger:
    """Every report version in the store, read once per version and shared by every session."""

    def load() -> Ledger:
        try:
            return read_ledger(default_store(engine))
        except StoreError:
            return read_ledger(None)

    return data.shared(engine, ("ledger", version), load)


def shared(engine: Engine, sel: Selection, name: str, version: Version, build: Callable[[Ledger], T]) -> T:
    """build(ledger) once per data version, reports version, plan and language."""
    return data.shared(engine, (name, sel.plan, sel.lang, version), lambda: build(ledger(engine, version)))


def plan_caption(engine: Engine, sel: Selection) -> None:
    """Which plan the task views show, and that it is illustrative when it is."""
    p = plan(engine, sel.plan)
    text = tr("ui.plan_shown", sel.lang, plan=p.name(sel.lang), issuer=p.issuer(sel.lang))
    if p.illustrative:
        text += tr("ui.plan_illustrative", sel.lang)
    st.caption(text)


def _attention_lines(engine: Engine, sel: Selection, reports: Ledger) -> tuple[list[str], str]:
    return attention_lines(engine, attention(engine, sel.lang, sel.plan, reports), sel.lang)


def agreement_progress(engine: Engine, sel: Selection) -> None:
    """The Overview's task section: completion donut, completion by area and what needs attention."""
    lang, filters = sel.lang, sel.filters
    version = reports_version(engine)
    st.subheader(tr("ui.agreement_progress", lang))
    plan_caption(engine, sel)
    dataset_note(engine, "tasks", lang)
    if sel.province:
        st.caption(tr("scope.not_split_by_province", lang))
    donut_col, areas_col = st.columns([1, 2])
    with donut_col:
        show_chart(
            engine,
            chart(
                engine,
                ("task-progress", sel.key, sel.plan, lang, version),
                lambda: C.task_progress_chart(engine, filters, lang, sel.plan, ledger(engine, version)),
            ),
            filters=filters,
            lang=lang,
            key="task-progress",
        )
    with areas_col:
        show_chart(
            engine,
            chart(
                engine,
                ("area-progress", sel.key, sel.plan, lang, version),
                lambda: C.area_progress_chart(engine, filters, lang, sel.plan, ledger(engine, version)),
            ),
            filters=filters,
            lang=lang,
            key="area-progress",
        )
    # The sentences are built once per version too: building them from the frames was a tenth of a cached run.
    lines, when = shared(engine, sel, "attention", version, partial(_attention_lines, engine, sel))
    from .sections import attention_box  # the sections module draws the box; it imports nothing from here

    attention_box(lines, when, lang)


def status_table(engine: Engine, sel: Selection, ps: PeriodStatus, key: str) -> None:
    """The period's reporting per party: reports due, not reported, awaiting review, returned, approved (what needs
    doing first, so it stays in view on a phone)."""
    cols = ["reporting", "expected_reports", "missing", "submitted", "returned", "approved"]
    tbl = table(
        engine,
        ("period-status", key, sel.plan, ps.period, tuple(ps.by_party.itertuples(index=False))),
        lambda: ps.by_party.assign(reporting=ps.by_party["label"]),
        sel.lang,
        cols,
    )
    show_table(
        engine, tbl, name=f"reporting-{ps.period}", filters=sel.filters, lang=sel.lang, indicator_ids=None, key=key
    )


def chase_table(engine: Engine, sel: Selection, ps: PeriodStatus, key: str) -> None:
    """催报: tasks with no report after the deadline, with the party that owes it."""
    chase = ps.chase
    if chase.empty:
        st.success(tr("ui.chase_none", sel.lang, period=ps.period), icon=":material/check:")
        return
    st.warning(
        tr("ui.chase_intro", sel.lang, n=len(chase), period=ps.period, deadline=ps.deadline.isoformat()),
        icon=":material/notification_important:",
    )
    tbl = table(
        engine,
        ("chase", key, sel.plan, ps.period, tuple(chase["task_id"])),
        lambda: pd.DataFrame(
            {
                # Who owes the report right after the task id: on a phone the title scrolls out of view.
                "task_id": chase["task_id"],
                "reporting": chase["reporting"],
                "title": chase["title"],
                "lead": chase["lead"],
                "deadline": pd.to_datetime(pd.Series(chase["deadline"])),
            }
        ),
        sel.lang,
        None,
        {"deadline": st.column_config.DateColumn(format="YYYY-MM-DD")},
    )
    show_table(engine, tbl, name=f"chase-{ps.period}", filters=sel.filters, lang=sel.lang, indicator_ids=None, key=key)


def current_status(engine: Engine, sel: Selection, version: Version) -> PeriodStatus:
    """The current period's reporting status of the selected plan (cached per reports version)."""
    return shared(engine, sel, "period-status", version, lambda lg: period_status(engine, None, sel.plan, lg, sel.lang))


def area_tasks(engine: Engine, area_ids: list[str], sel: Selection) -> None:
    """An area page's tasks: a summary line per area, then the table (plan and reports as everywhere)."""
    from .sections import task_table as draw_task_table

    lang = sel.lang
    version = reports_version(engine)
    st.subheader(tr("ui.area_tasks", lang))
    plan_caption(engine, sel)
    summary = shared(engine, sel, "area-summary", version, lambda lg: area_summary(engine, lang, sel.plan, lg))
    summary = summary.set_index("area_id")
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
        tasks = shared(engine, sel, "task-table", version, lambda lg: task_table(engine, lang, sel.plan, lg))
        return tasks[tasks["area_id"].isin(area_ids)].reset_index(drop=True)

    draw_task_table(engine, mine, sel, key="area-tasks", cache_key=("areas", sel.plan, version, *area_ids))


def published_history(engine: Engine, ind: Indicator, sel: Selection) -> None:
    """An indicator's published values over time (source and quote on hover), beside its monthly series."""
    lang = sel.lang
    sc = chart(engine, ("published", ind.id, lang), lambda: C.published_chart(engine, ind, lang))
    if sc.chart.empty:
        return
    st.markdown(f"**{tr('ui.published_history', lang)}**")
    show_chart(
        engine, sc, filters=sel.filters, lang=lang, key=f"{ind.id}-published", note=tr("ui.published_note", lang)
    )


def published_reports(engine: Engine, sel: Selection) -> None:
    """Every report in the register of published figures (the Definitions page)."""
    lang = sel.lang
    st.caption(tr("ui.published_reports_note", lang))
    tbl = table(
        engine,
        ("published-reports",),
        lambda: published.reports(engine, lang),
        lang,
        ["report_id", "published_on", "title", "publisher", "link", "figures"],
        {"published_on": st.column_config.DateColumn(format="YYYY-MM-DD")},
    )
    show_table(
        engine, tbl, name="published-reports", filters=sel.filters, lang=lang, indicator_ids=None, key="def-reports"
    )

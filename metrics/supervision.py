"""督办: where reporting stands for a period (per task and per party), the 催报 list, and what a meeting is told.

A task owes a report for a period when it has begun by the period's end and was not completed before the period
began. Its report is approved, submitted (awaiting review), returned (awaiting resubmission) or missing; a missing
report after the period's deadline goes on the 催报 list of the party that reports on the task.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from .cycle import current_period, deadline, period_end, period_start, previous_period, today
from .engine import Engine
from .i18n import join_items, tr
from .reports import Ledger, current_ledger, data_reports
from .tasks import approved_reports, task_table

if TYPE_CHECKING:
    from .notify.model import MissingReport

PERIOD_STATUSES = ("approved", "submitted", "returned", "missing")
STORE_TO_PERIOD = {"pending": "submitted", "approved": "approved", "returned": "returned"}


@dataclass(frozen=True)
class PeriodStatus:
    """One period's reporting: each task that owes a report, and the counts per reporting party."""

    period: str
    deadline: date
    past_deadline: bool
    tasks: pd.DataFrame  # task_id, title, reporting_party, reporting, lead, status, status_label, version, deadline
    by_party: pd.DataFrame  # party, label, expected_reports, approved, submitted, returned, missing

    @property
    def chase(self) -> pd.DataFrame:
        """催报: the tasks with no report once the deadline has passed (empty before it)."""
        if not self.past_deadline:
            return self.tasks.iloc[0:0]
        return self.tasks[self.tasks["status"] == "missing"].reset_index(drop=True)


def owes_report(tasks: pd.DataFrame, engine: Engine, period: str) -> pd.Series:
    """Which tasks (rows of task_table) owe a report for a period."""
    first, last = period_start(engine.config, period), period_end(period)
    begun = pd.to_datetime(tasks["start_date"]) <= pd.Timestamp(last)
    done_before = tasks["completion_date"].notna() & (pd.to_datetime(tasks["completion_date"]) < pd.Timestamp(first))
    return begun & ~done_before


def period_status(
    engine: Engine,
    period: str | None = None,
    plan_id: str | None = None,
    ledger: Ledger | None = None,
    lang: str = "zh",
) -> PeriodStatus:
    """Reporting for a period (default: the current one) of a plan's tasks, per task and per party."""
    ledger = ledger if ledger is not None else current_ledger(engine)
    period = period or current_period(engine)
    due = deadline(engine.config, period)
    tasks = task_table(engine, lang, plan_id, ledger)
    owing = tasks[owes_report(tasks, engine, period)].reset_index(drop=True)
    store = ledger.frame[ledger.frame["period"] == period]
    newest = store.sort_values("version").groupby("task_id").tail(1).set_index("task_id")
    data = data_reports(engine)
    imported = set(data.loc[data["period"] == period, "task_id"])
    status, version = [], []
    for tid in owing["task_id"]:
        if tid in newest.index:
            status.append(STORE_TO_PERIOD.get(str(newest.at[tid, "review_state"]), "submitted"))
            version.append(int(newest.at[tid, "version"]))
        elif tid in imported:
            status.append("approved")
            version.append(1)
        else:
            status.append("missing")
            version.append(0)
    rows = owing[["task_id", "title", "reporting_party", "reporting", "lead", "status_label"]].rename(
        columns={"status_label": "task_status_label"}
    )
    rows["status"] = status
    rows["status_label"] = [tr(f"period_status.{s}", lang) for s in status]
    rows["version"] = version
    rows["deadline"] = due
    labels = engine.labels("lead_party", lang)
    counts = [
        {
            "party": p,
            "label": labels.get(p, p),
            "expected_reports": int((rows["reporting_party"] == p).sum()),
            **{s: int(((rows["reporting_party"] == p) & (rows["status"] == s)).sum()) for s in PERIOD_STATUSES},
        }
        for p in engine.config.reporting.parties
    ]
    return PeriodStatus(period, due, today(engine) > due, rows, pd.DataFrame(counts))


def missing_reports(
    engine: Engine, period: str | None = None, plan_id: str | None = None, ledger: Ledger | None = None
) -> list[MissingReport]:
    """The 催报 items for the group-chat digest: each party's tasks with no report after the deadline."""
    from .notify.model import MissingReport  # the digest's own type; notify imports the overview, which imports us

    ps = period_status(engine, period, plan_id, ledger)
    return [
        MissingReport(str(r.reporting_party), str(r.task_id), ps.period, ps.deadline) for r in ps.chase.itertuples()
    ]


def party_attention(
    engine: Engine, plan_id: str | None = None, ledger: Ledger | None = None, lang: str = "zh"
) -> pd.DataFrame:
    """Per reporting party: overdue tasks and reports missing after the current period's deadline."""
    ledger = ledger if ledger is not None else current_ledger(engine)
    tasks = task_table(engine, lang, plan_id, ledger)
    chase = period_status(engine, None, plan_id, ledger, lang).chase
    labels = engine.labels("lead_party", lang)
    return pd.DataFrame(
        [
            {
                "party": p,
                "label": labels.get(p, p),
                "overdue": int((tasks["overdue"] & (tasks["reporting_party"] == p)).sum()),
                "missing": int((chase["reporting_party"] == p).sum()),
            }
            for p in engine.config.reporting.parties
        ]
    )


def task_timeline(engine: Engine, task_id: str, ledger: Ledger | None = None) -> pd.DataFrame:
    """One task's approved reports, oldest first: period, progress, state and the three notes."""
    approved = approved_reports(engine, ledger if ledger is not None else current_ledger(engine))
    mine = approved[approved["task_id"] == task_id]
    return mine.drop(columns=["task_id"]).reset_index(drop=True)


@dataclass(frozen=True)
class MeetingSummary:
    """What the next meeting is told about the tasks: completed since the last one, overdue, missing reports."""

    since: date
    as_of: date
    period: str
    deadline: date
    completed: pd.DataFrame  # task_id, title, lead, reporting, completion_date
    overdue: pd.DataFrame  # task_id, title, lead, reporting, due_date, days_late, progress_pct, note, issues
    missing: pd.DataFrame  # task_id, title, reporting_party, reporting, deadline


def last_meeting(engine: Engine) -> date:
    """The joint meeting's last sitting: config.yaml's reporting.last_meeting, else the previous period's end."""
    configured = engine.config.reporting.last_meeting
    if configured is not None:
        return configured
    return period_end(previous_period(engine.config, current_period(engine)))


def meeting_summary(
    engine: Engine,
    since: date | None = None,
    plan_id: str | None = None,
    ledger: Ledger | None = None,
    lang: str = "zh",
) -> MeetingSummary:
    """Tasks completed after `since` (default: the last meeting), overdue tasks with their latest approved note,
    and the reports missing after the current period's deadline (催报). The meeting pack, the brief and the
    dashboard all read this one summary."""
    ledger = ledger if ledger is not None else current_ledger(engine)
    since = since if since is not None else last_meeting(engine)
    as_of = today(engine)
    tasks = task_table(engine, lang, plan_id, ledger)
    done = pd.to_datetime(tasks["completion_date"])
    completed = tasks[done.notna() & (done > pd.Timestamp(since)) & (done <= pd.Timestamp(as_of))]
    completed = completed.sort_values(["completion_date", "task_id"])[
        ["task_id", "title", "lead", "reporting", "completion_date"]
    ]
    latest = approved_reports(engine, ledger).groupby("task_id").tail(1).set_index("task_id")
    late = tasks[tasks["overdue"]].sort_values(["due_date", "task_id"]).copy()
    late["days_late"] = [(as_of - d).days for d in late["due_date"]]
    late["note"] = [str(latest.at[t, "progress_note"]) if t in latest.index else "" for t in late["task_id"]]
    late["issues"] = [str(latest.at[t, "issues"]) if t in latest.index else "" for t in late["task_id"]]
    ps = period_status(engine, None, plan_id, ledger, lang)
    return MeetingSummary(
        since,
        as_of,
        ps.period,
        ps.deadline,
        completed.reset_index(drop=True),
        late[
            ["task_id", "title", "lead", "reporting", "due_date", "days_late", "progress_pct", "note", "issues"]
        ].reset_index(drop=True),
        ps.chase[["task_id", "title", "reporting_party", "reporting", "deadline"]],
    )


# -- the meeting summary in words (the meeting pack and the brief) -------------------------------------------
# Notes are user text: placed in runs as written, never parsed as markup or formulas.
def completed_items(m: MeetingSummary, lang: str) -> list[str]:
    """Each task completed since the last meeting: id, title, lead party, completion date."""
    return [
        tr("deck.sup_completed_item", lang, task=r.task_id, title=r.title, lead=r.lead, day=r.completion_date)
        for r in m.completed.itertuples()
    ]


def missing_by_party(m: MeetingSummary, lang: str) -> list[str]:
    """Per reporting party with missing reports: '四川（2项）：T017 …、T018 …'."""
    out = []
    for party, group in m.missing.groupby("reporting", sort=False):
        items = join_items([f"{r.task_id} {r.title}" for r in group.itertuples()], lang)
        out.append(tr("deck.sup_party", lang, party=party, n=len(group), items=items))
    return out


def overdue_items(m: MeetingSummary, lang: str) -> list[str]:
    """Each overdue task in a sentence: lead party, due date, days late, progress and its latest approved note."""
    return [
        tr(
            "deck.sup_overdue_note",
            lang,
            task=r.task_id,
            title=r.title,
            lead=r.lead,
            due=r.due_date.isoformat(),
            days=r.days_late,
            progress=int(r.progress_pct),
            note=r.note or "—",
        )
        for r in m.overdue.itertuples()
    ]


def supervision_notes(m: MeetingSummary, lang: str) -> list[str]:
    """The speaker notes: the counts, every completed task, every overdue task with its note, every missing report."""
    notes = [tr("deck.sup_completed", lang), *completed_items(m, lang), tr("deck.sup_overdue", lang)]
    notes += overdue_items(m, lang)
    notes += [tr("deck.sup_missing", lang), *missing_by_party(m, lang)]
    return notes


HISTORY_COLUMNS = [
    "period",
    "version",
    "origin",
    "progress_pct",
    "state",
    "completed_on",
    "progress_note",
    "issues",
    "next_steps",
    "evidence",
    "reporter",
    "source",
    "submitted_at",
    "review_state",
    "reviewer",
    "review_comment",
    "reviewed_at",
]


def report_history(engine: Engine, task_id: str, ledger: Ledger | None = None) -> pd.DataFrame:
    """Every version of every report on one task, oldest first: the data's approved ones, then the store's."""
    ledger = ledger if ledger is not None else current_ledger(engine)
    d = data_reports(engine)
    d = d[d["task_id"] == task_id]
    data = pd.DataFrame(
        {
            "period": d["period"],
            "version": 1,
            "origin": "data",
            "progress_pct": d["progress_pct"].astype(int),
            "state": d["state"],
            "completed_on": [x.isoformat() if pd.notna(x) else None for x in d["completed_on"]],
            "progress_note": d["progress_note"].fillna(""),
            "issues": d["issues"].fillna(""),
            "next_steps": d["next_steps"].fillna(""),
            "evidence": d["evidence"].fillna(""),
            "reporter": d["reporter"],
            "source": "data",
            "submitted_at": [x.isoformat() for x in d["submitted_on"]],
            "review_state": "approved",
            "reviewer": d["reviewer"],
            "review_comment": "",
            "reviewed_at": [x.isoformat() for x in d["approved_on"]],
        }
    )
    s = ledger.frame[ledger.frame["task_id"] == task_id]
    store = s.rename(columns={"comment": "review_comment"}).assign(origin="store")
    both = pd.concat([data, store[HISTORY_COLUMNS]], ignore_index=True)
    both["version"] = both["version"].astype(int)
    both["progress_pct"] = both["progress_pct"].astype(int)
    return both.sort_values(["period", "version"], kind="stable").reset_index(drop=True)


def review_queue(
    engine: Engine, plan_id: str | None = None, ledger: Ledger | None = None, lang: str = "zh"
) -> pd.DataFrame:
    """Reports awaiting review (the newest version of each), each beside the report before it (prev_*)."""
    ledger = ledger if ledger is not None else current_ledger(engine)
    tasks = task_table(engine, lang, plan_id, ledger).set_index("task_id")
    f = ledger.frame
    pending = f[(f["review_state"] == "pending") & f["task_id"].isin(tasks.index)]
    approved = approved_reports(engine, ledger)
    rows = []
    for r in pending.sort_values(["submitted_at"]).itertuples():
        # The report before this one: an earlier version for the same period (any review), else the newest
        # approved report before it (the data's own report for this period included).
        earlier = f[(f["task_id"] == r.task_id) & (f["period"] == r.period) & (f["version"] < r.version)]
        mine = approved[approved["task_id"] == r.task_id]
        before = mine[(mine["period"] < r.period) | ((mine["period"] == r.period) & (mine["version"] < r.version))]
        prev = earlier.iloc[-1] if len(earlier) else before.iloc[-1] if len(before) else None
        rows.append(
            {
                **{c: getattr(r, c) for c in ("task_id", "period", "version", "party", "progress_pct", "state")},
                **{c: getattr(r, c) for c in ("completed_on", "progress_note", "issues", "next_steps", "evidence")},
                "reporter": r.reporter,
                "submitted_at": r.submitted_at,
                "title": tasks.at[r.task_id, "title"],
                "reporting": tasks.at[r.task_id, "reporting"],
                "prev_period": None if prev is None else prev["period"],
                "prev_version": None if prev is None else int(prev["version"]),
                "prev_progress_pct": None if prev is None else int(prev["progress_pct"]),
                "prev_state": None if prev is None else prev["state"],
                "prev_progress_note": "" if prev is None else str(prev["progress_note"]),
                "prev_review": None if prev is None else str(prev.get("review_state", "approved")),
                "prev_comment": "" if prev is None else str(prev.get("comment", "") or ""),
            }
        )
    return pd.DataFrame(rows)

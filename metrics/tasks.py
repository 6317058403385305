"""A plan's tasks: status and progress derived from approved progress reports, progress by area, the burn-up.

Nothing here is stored by hand. A task's progress, state and completion date come from its latest approved report:
the data's (task_reports.csv, the record as of the data version) or, newer, one approved in the user store since
(metrics.reports). Its status (completed / in progress / not started / overdue) then follows from those and its
dates as of the reporting clock's today (metrics.cycle).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

import pandas as pd

from .cycle import today
from .database import handout
from .engine import Engine
from .i18n import join_items, norm_lang, tr
from .periods import add_months, months_in
from .plans import plan, plan_tasks
from .reports import Ledger, current_ledger, data_reports

STATUSES = ("completed", "in_progress", "not_started", "overdue")
# An area is behind when its progress trails the time-based pace by more than this.
BEHIND_MARGIN = 0.05
APPROVED_COLUMNS = [
    "task_id",
    "period",
    "version",
    "progress_pct",
    "state",
    "completed_on",
    "progress_note",
    "issues",
    "next_steps",
    "evidence",
    "reporter",
    "reviewer",
    "approved_on",
    "origin",
]


def status_label(status: str, lang: str) -> str:
    """A task status in lang."""
    return tr(f"status.{status}", lang)


def state_label(state: str | None, lang: str) -> str:
    """A reported state (on track, at risk, blocked, completed) in lang; '' for none."""
    return tr(f"report_state.{state}", lang) if state else ""


def derive_status(tasks: pd.DataFrame, as_of: date) -> pd.Series:
    """completed / not_started / overdue / in_progress as of a date; never stored in the data."""
    ts = pd.Timestamp(as_of)
    done = tasks["completion_date"].notna() & (pd.to_datetime(tasks["completion_date"]) <= ts)
    future = pd.to_datetime(tasks["start_date"]) > ts
    late = pd.to_datetime(tasks["due_date"]) < ts
    status = pd.Series("in_progress", index=tasks.index, dtype=object)
    status[late] = "overdue"
    status[future] = "not_started"
    status[done] = "completed"
    return status


def expected_progress(tasks: pd.DataFrame, as_of: date) -> pd.Series:
    """The share of each task's start-to-due time that has passed: the pace needed to finish on time."""
    start = pd.to_datetime(tasks["start_date"])
    due = pd.to_datetime(tasks["due_date"])
    span = (due - start).dt.days.clip(lower=1)
    return ((pd.Timestamp(as_of) - start).dt.days / span).clip(0, 1)


# -- approved reports: the official record -------------------------------------------------------------
def _local_dates(moments: pd.Series, zone: str) -> pd.Series:
    """UTC ISO moments as local calendar dates."""
    return pd.to_datetime(moments, utc=True).dt.tz_convert(ZoneInfo(zone)).dt.date


def approved_reports(engine: Engine, ledger: Ledger | None = None) -> pd.DataFrame:
    """Every approved report, one per task and period: the store's newest approved version over the data's."""
    ledger = ledger if ledger is not None else current_ledger(engine)
    d = data_reports(engine)
    data = pd.DataFrame(
        {
            **{c: d[c] for c in APPROVED_COLUMNS if c in d.columns},
            "version": 1,
            "origin": "data",
        }
    )
    s = ledger.frame[ledger.frame["review_state"] == "approved"]
    store = pd.DataFrame(
        {
            **{c: s[c] for c in APPROVED_COLUMNS if c in s.columns},
            "completed_on": pd.to_datetime(s["completed_on"]).dt.date,
            "approved_on": _local_dates(s["reviewed_at"], engine.config.project.timezone),
            "origin": "store",
        }
    )
    both = pd.concat([data[APPROVED_COLUMNS], store[APPROVED_COLUMNS]], ignore_index=True)
    for col in ("progress_note", "issues", "next_steps", "evidence"):
        both[col] = both[col].fillna("").astype(str)
    both["version"] = both["version"].astype(int)
    both["progress_pct"] = both["progress_pct"].astype(int)
    both = both.sort_values(["task_id", "period", "version"], kind="stable")
    return both.drop_duplicates(["task_id", "period"], keep="last").reset_index(drop=True)


def latest_approved(approved: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Each task's newest approved report for a period that has begun by as_of, indexed by task_id."""
    begun = approved[approved["period"] <= f"{as_of:%Y-%m}"]
    return begun.groupby("task_id").tail(1).set_index("task_id")


def latest_submissions(ledger: Ledger) -> pd.DataFrame:
    """Each task's newest store version (any review state), indexed by task_id."""
    f = ledger.frame
    if f.empty:
        return pd.DataFrame(columns=f.columns).set_index("task_id")
    return (
        f.sort_values(["task_id", "period", "version"], kind="stable").groupby("task_id").tail(1).set_index("task_id")
    )


# -- the task table ---------------------------------------------------------------------------------------
def _parties(engine: Engine, codes: pd.Series, lang: str) -> pd.Series:
    """';'-separated party ids as labels joined the way lang lists them."""
    labels = engine.labels("lead_party", lang)
    return codes.map(lambda s: join_items([labels.get(p, p) for p in str(s).split(";") if p], lang))


def task_table(
    engine: Engine, lang: str = "zh", plan_id: str | None = None, ledger: Ledger | None = None
) -> pd.DataFrame:
    """A plan's tasks with labels, dates, latest approved progress and state, derived status and overdue flag,
    and where reporting stands (the newest report's period and review state)."""
    return per_ledger(engine, "task-table", lang, plan_id, ledger, lambda lg: _task_table(engine, lang, plan_id, lg))


def per_ledger(
    engine: Engine,
    name: str,
    lang: str,
    plan_id: str | None,
    ledger: Ledger | None,
    compute: Callable[[Ledger], pd.DataFrame],
) -> pd.DataFrame:
    """compute(ledger) once per data version, store version, language, plan and day; a copy for each caller."""
    # Every page's analysis needs the task table and the area summary for any period it is asked about, and
    # building them cost more Python than the rest of a page run (py-spy, benchmarks/README.md).
    ledger = ledger if ledger is not None else current_ledger(engine)
    key = (name, norm_lang(lang), plan_id, ledger.version, ledger.digest, today(engine))
    return handout(engine.cached(key, lambda: compute(ledger)))


def _task_table(engine: Engine, lang: str, plan_id: str | None, ledger: Ledger) -> pd.DataFrame:
    """task_table, computed."""
    t = plan_tasks(engine, plan_id)
    as_of = today(engine)
    latest = latest_approved(approved_reports(engine, ledger), as_of)
    got = t["task_id"].map(lambda i: latest.loc[i] if i in latest.index else None)
    has = got.notna()
    done = [
        r["completed_on"] if r is not None and r["state"] == "completed" and r["completed_on"] <= as_of else None
        for r in got
    ]
    t["completion_date"] = pd.Series(done, index=t.index, dtype=object)
    status = derive_status(t, as_of)
    progress = pd.Series([int(r["progress_pct"]) if r is not None else 0 for r in got], index=t.index)
    progress = progress.where(status != "completed", 100)
    states = pd.Series([r["state"] if r is not None else None for r in got], index=t.index, dtype=object)
    approved_period = pd.Series([r["period"] if r is not None else None for r in got], index=t.index, dtype=object)
    sub = latest_submissions(ledger)
    last_period, review = [], []
    for tid, ap in zip(t["task_id"], approved_period, strict=True):
        s = sub.loc[tid] if tid in sub.index else None
        if s is not None and (ap is None or s["period"] >= ap):
            last_period.append(s["period"])
            review.append(s["review_state"] if s["review_state"] != "approved" or s["period"] != ap else "approved")
        else:
            last_period.append(ap)
            review.append("approved" if ap is not None else None)
    areas = engine.labels("area", lang)
    leads = engine.labels("lead_party", lang)
    plans = engine.labels("plan", lang)
    return pd.DataFrame(
        {
            "task_id": t["task_id"],
            "plan_id": t["plan_id"],
            "plan": t["plan_id"].map(plans),
            "area_id": t["area_id"],
            "area": t["area_id"].map(areas),
            "title": t[f"title_{norm_lang(lang)}"],
            "lead_party": t["lead_party"],
            "lead": t["lead_party"].map(leads),
            "reporting_party": t["reporting_party"],
            "reporting": t["reporting_party"].map(leads),
            "cooperating": _parties(engine, t["cooperating"], lang),
            "start_date": t["start_date"],
            "due_date": t["due_date"],
            "completion_date": t["completion_date"],
            "progress_pct": progress.astype(int),
            "expected_pct": (expected_progress(t, as_of) * 100).round(0).astype(int),
            "status": status,
            "status_label": status.map(lambda s: status_label(s, lang)),
            "overdue": status == "overdue",
            "state": states,
            "state_label": states.map(lambda s: state_label(s, lang)),
            "last_report_period": pd.Series(last_period, index=t.index, dtype=object),
            "review_state": pd.Series(review, index=t.index, dtype=object),
            "review_state_label": [tr(f"review_state.{r}", lang) if r else "" for r in review],
            "last_note": pd.Series(
                [r["progress_note"] if r is not None else "" for r in got], index=t.index, dtype=object
            ),
            "reported": has,
        }
    )


def area_summary(
    engine: Engine, lang: str = "zh", plan_id: str | None = None, ledger: Ledger | None = None
) -> pd.DataFrame:
    """Per area: counts by status, share complete, actual vs time-based expected progress, behind flag."""
    return per_ledger(
        engine, "area-summary", lang, plan_id, ledger, lambda lg: _area_summary(engine, lang, plan_id, lg)
    )


def _area_summary(engine: Engine, lang: str, plan_id: str | None, ledger: Ledger) -> pd.DataFrame:
    """area_summary, computed."""
    t = task_table(engine, lang, plan_id, ledger)
    rows = []
    for area in engine.config.areas:
        sub = t[t["area_id"] == area.id]
        counts = {s: int((sub["status"] == s).sum()) for s in STATUSES}
        actual = float(sub["progress_pct"].mean()) / 100 if len(sub) else 0.0
        expected = float(sub["expected_pct"].mean()) / 100 if len(sub) else 0.0
        rows.append(
            {
                "area_id": area.id,
                "area": area.text("name", lang),
                "total": len(sub),
                **counts,
                "pct_complete": counts["completed"] / len(sub) if len(sub) else 0.0,
                "progress": actual,
                "expected": expected,
                "behind": actual < expected - BEHIND_MARGIN,
            }
        )
    return pd.DataFrame(rows)


def completed_by_area(
    engine: Engine, month: date, lang: str, plan_id: str | None = None, ledger: Ledger | None = None
) -> pd.DataFrame:
    """Per area: tasks completed by the end of a month out of all tasks (area_id, area, completed, total, share)."""
    t = task_table(engine, lang, plan_id, ledger)
    end = pd.Timestamp(add_months(month, 1))
    done = (pd.to_datetime(t["completion_date"]) < end).to_numpy(dtype=bool, na_value=False)
    # One pass over the tasks (a new period asks again): counts per area id, then the areas in config order.
    total = Counter(t["area_id"].tolist())
    completed = Counter(t["area_id"][done].tolist())
    rows = []
    for a in engine.config.areas:
        n, c = total[a.id], completed[a.id]
        rows.append(
            {"area_id": a.id, "area": a.text("name", lang), "completed": c, "total": n, "share": c / n if n else 0.0}
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class BurnUp:
    """Tasks completed over time against the pace needed to finish by the plan's due date."""

    actual: pd.DataFrame  # month, completed (cumulative)
    ideal: pd.DataFrame  # month, completed: a straight line from the start to all tasks at the due date
    total: int
    completed: int
    due: date
    as_of: date
    current_per_month: float  # average over the last 12 months
    required_per_month: float  # to finish the rest by the due date
    projected_completion: date | None

    @property
    def on_track(self) -> bool:
        return self.projected_completion is not None and self.projected_completion <= self.due


def burnup(engine: Engine, plan_id: str | None = None, ledger: Ledger | None = None) -> BurnUp:
    """Cumulative approved completions by month, the ideal line, current and required pace, projected finish."""
    chosen = plan(engine, plan_id)
    t = task_table(engine, "zh", chosen.id, ledger)
    as_of = today(engine)
    total = len(t)
    done = pd.to_datetime(t["completion_date"].dropna())
    done = done[done <= pd.Timestamp(as_of)]
    start = date(chosen.start.year, chosen.start.month, 1)
    last = date(as_of.year, as_of.month, 1)
    months = [add_months(start, i) for i in range(max(months_in(start, last), 1))]
    actual = pd.DataFrame(
        {
            "month": [m.strftime("%Y-%m") for m in months],
            "completed": [int((done < pd.Timestamp(add_months(m, 1))).sum()) for m in months],
        }
    )
    due_month = date(chosen.due.year, chosen.due.month, 1)
    n = months_in(start, due_month)
    ideal = pd.DataFrame(
        {
            "month": [add_months(start, i).strftime("%Y-%m") for i in range(n)],
            "completed": [round(total * (i + 1) / n, 2) for i in range(n)],
        }
    )
    completed = len(done)
    year_ago = pd.Timestamp(add_months(last, -11))
    current = float((done >= year_ago).sum()) / 12
    remaining_months = max(months_in(last, due_month) - 1, 1)
    required = (total - completed) / remaining_months
    if completed >= total:
        projected: date | None = as_of
    elif current > 0:
        projected = add_months(last, math.ceil((total - completed) / current))
    else:
        projected = None
    return BurnUp(actual, ideal, total, completed, chosen.due, as_of, current, required, projected)


def filter_tasks(
    tasks: pd.DataFrame,
    areas: list[str] | None = None,
    leads: list[str] | None = None,
    statuses: list[str] | None = None,
    overdue_only: bool = False,
) -> pd.DataFrame:
    """The rows of task_table matching the chosen areas, lead parties and statuses (empty list = all)."""
    keep = pd.Series(True, index=tasks.index)
    if areas:
        keep &= tasks["area_id"].isin(areas)
    if leads:
        keep &= tasks["lead_party"].isin(leads)
    if statuses:
        keep &= tasks["status"].isin(statuses)
    if overdue_only:
        keep &= tasks["overdue"]
    return tasks[keep].reset_index(drop=True)

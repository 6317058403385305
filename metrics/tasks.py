"""The agreement's tasks: derived status, progress by area, the burn-up and its projection."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd

from .engine import Engine
from .i18n import norm_lang, tr
from .periods import add_months, months_in

STATUSES = ("completed", "in_progress", "not_started", "overdue")
# An area is behind when its progress trails the time-based pace by more than this.
BEHIND_MARGIN = 0.05


def status_label(status: str, lang: str) -> str:
    """A task status in lang."""
    return tr(f"status.{status}", lang)


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


def task_table(engine: Engine, lang: str = "zh") -> pd.DataFrame:
    """Every task with area and lead-party labels, dates, progress, derived status and overdue flag."""
    t = engine.table("tasks").sort_values("task_id").reset_index(drop=True)
    as_of = engine.as_of
    t["status"] = derive_status(t, as_of)
    t["progress_pct"] = t["progress_pct"].where(t["status"] != "completed", 100)
    t["overdue"] = t["status"] == "overdue"
    t["expected_pct"] = (expected_progress(t, as_of) * 100).round(0)
    areas = engine.labels("area", lang)
    leads = engine.labels("lead_party", lang)
    return pd.DataFrame(
        {
            "task_id": t["task_id"],
            "area_id": t["area_id"],
            "area": t["area_id"].map(areas),
            "title": t[f"title_{norm_lang(lang)}"],
            "lead_party": t["lead_party"],
            "lead": t["lead_party"].map(leads),
            "start_date": pd.to_datetime(t["start_date"]).dt.date,
            "due_date": pd.to_datetime(t["due_date"]).dt.date,
            "completion_date": pd.to_datetime(t["completion_date"]).dt.date.where(t["completion_date"].notna(), None),
            "progress_pct": t["progress_pct"].astype(int),
            "expected_pct": t["expected_pct"].astype(int),
            "status": t["status"],
            "status_label": t["status"].map(lambda s: status_label(s, lang)),
            "overdue": t["overdue"],
        }
    )


def area_summary(engine: Engine, lang: str = "zh") -> pd.DataFrame:
    """Per area: counts by status, share complete, actual vs time-based expected progress, behind flag."""
    t = task_table(engine, lang)
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


@dataclass(frozen=True)
class BurnUp:
    """Tasks completed over time against the pace needed to finish by the agreement's due date."""

    actual: pd.DataFrame  # month, completed (cumulative)
    ideal: pd.DataFrame  # month, completed: a straight line from signing to all tasks at the due date
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


def burnup(engine: Engine) -> BurnUp:
    """Cumulative completions by month, the ideal line, current and required pace, projected finish."""
    t = engine.table("tasks")
    agreement = engine.config.project.agreement
    as_of = engine.as_of
    total = len(t)
    done = pd.to_datetime(t["completion_date"].dropna())
    done = done[done <= pd.Timestamp(as_of)]
    start = date(agreement.signed.year, agreement.signed.month, 1)
    last = date(as_of.year, as_of.month, 1)
    months = [add_months(start, i) for i in range(months_in(start, last))]
    actual = pd.DataFrame(
        {
            "month": [m.strftime("%Y-%m") for m in months],
            "completed": [int((done < pd.Timestamp(add_months(m, 1))).sum()) for m in months],
        }
    )
    due_month = date(agreement.due.year, agreement.due.month, 1)
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
    return BurnUp(actual, ideal, total, completed, agreement.due, as_of, current, required, projected)


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

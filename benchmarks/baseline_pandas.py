"""The baseline a typical team would write: raw rows in pandas DataFrames, filtered and grouped per request.

Each headline indicator is re-implemented by hand from its dataset, the way it would be without a metrics
layer: read every CSV once at start-up, then for each request mask the rows by period and place and group by
month. The numbers must equal the engine's (benchmarks/measure.py checks them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from metrics.periods import Filters, Period, add_months, resolve
from metrics.tasks import STATUSES, derive_status

from .scenarios import Numbers, TaskNumbers

FIRST_MONTH = date(2021, 1, 1)  # config.yaml project.period_start
AGREEMENT_SIGNED = date(2021, 1, 1)


@dataclass(frozen=True)
class Spec:
    """How one headline indicator is computed from its raw dataset."""

    dataset: str
    kind: str  # flow, stock or distinct_count
    measure: str  # the summed column, or the entity column for distinct counts
    province: str | None  # the column the province filter applies to
    city: str | None = None  # the column the city filter applies to
    where: tuple[str, tuple[str, ...]] | None = None


SPECS: dict[str, Spec] = {
    "online_recruit_positions": Spec("job_postings", "flow", "positions", "province", "city_id"),
    "online_recruit_enterprises": Spec("job_postings", "distinct_count", "enterprise_id", "province", "city_id"),
    "cross_province_transactions": Spec("service_transactions", "flow", "transactions", "handled_province"),
    "cardholders": Spec("card_holders", "stock", "cardholders", "province", "city_id"),
    "insurance_transfers": Spec("insurance_transfers", "flow", "transfers", "to_province"),
    "talent_introduced_cq": Spec(
        "programme_activity", "flow", "value", "province", where=("programme", ("talents_introduced",))
    ),
    "digital_skill_talents": Spec(
        "programme_activity", "flow", "value", "province", where=("programme", ("digital_skill_talents",))
    ),
    "benefit_eligibility_local": Spec("benefit_certifications", "flow", "certifications", "province"),
    "researchers_placed_cq": Spec(
        "programme_activity", "flow", "value", "province", where=("programme", ("researchers_placed",))
    ),
    "data_exchange_records": Spec(
        "data_exchange", "flow", "records", "to_province", where=("dataset", ("pension_enrolment", "pension_benefit"))
    ),
}
TASKS_COMPLETED = "agreement_tasks_completed"
MONTH_COLUMNS = {"month"}
DATE_COLUMNS = {"start_date", "due_date", "completion_date", "updated_on"}


def load(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Read every CSV the Overview needs into memory, parsing months and dates."""
    frames = {}
    for name in {s.dataset for s in SPECS.values()} | {"tasks"}:
        df = pd.read_csv(data_dir / f"{name}.csv")
        for col in df.columns:
            if col in MONTH_COLUMNS:
                df[col] = pd.to_datetime(df[col], format="%Y-%m")
            elif col in DATE_COLUMNS:
                df[col] = pd.to_datetime(df[col], format="%Y-%m-%d")
        frames[name] = df
    frames["tasks"] = agreement_tasks(frames["tasks"], data_dir)
    return frames


def agreement_tasks(tasks: pd.DataFrame, data_dir: Path) -> pd.DataFrame:
    """The agreement's tasks with the completion date of their latest approved report (task_reports.csv)."""
    reports = pd.read_csv(data_dir / "task_reports.csv", dtype={"period": str})
    latest = reports.sort_values(["task_id", "period"]).groupby("task_id").tail(1).set_index("task_id")
    done = latest["completed_on"].where(latest["state"] == "completed")
    mine = tasks[tasks["plan_id"] == "agreement"].copy()
    mine["completion_date"] = pd.to_datetime(mine["task_id"].map(done), format="%Y-%m-%d")
    return mine.reset_index(drop=True)


def last_month(frames: dict[str, pd.DataFrame]) -> date:
    """The latest month in the data (every dataset's month column and the tasks' update date)."""
    latest = max(
        [df["month"].max() for df in frames.values() if "month" in df.columns] + [frames["tasks"]["updated_on"].max()]
    )
    return date(latest.year, latest.month, 1)


def _scoped(df: pd.DataFrame, spec: Spec, filters: Filters) -> pd.DataFrame:
    if spec.where is not None:
        df = df[df[spec.where[0]].isin(spec.where[1])]
    if filters.province and spec.province:
        df = df[df[spec.province] == filters.province]
    if filters.city and spec.city:
        df = df[df[spec.city] == filters.city]
    return df


def _in(df: pd.DataFrame, period: Period) -> pd.DataFrame:
    return df[(df["month"] >= pd.Timestamp(period.start)) & (df["month"] <= pd.Timestamp(period.end))]


def _total(df: pd.DataFrame, spec: Spec) -> float | None:
    if df.empty:
        return None
    if spec.kind == "distinct_count":
        return float(df[spec.measure].nunique())
    if spec.kind == "stock":
        df = df[df["month"] == df["month"].max()]
    return float(df[spec.measure].sum())


def _by_month(df: pd.DataFrame, spec: Spec) -> dict[str, float]:
    grouped = df.groupby("month")[spec.measure]
    s = grouped.nunique() if spec.kind == "distinct_count" else grouped.sum()
    return {m.strftime("%Y-%m"): float(v) for m, v in s.items()}


def indicator(
    frames: dict[str, pd.DataFrame], spec: Spec, filters: Filters, period: Period
) -> tuple[float | None, float | None, dict[str, float]]:
    """(value, previous-period value, monthly series) for one indicator."""
    df = _scoped(frames[spec.dataset], spec, filters)
    current = _in(df, period)
    return _total(current, spec), _total(_in(df, period.previous()), spec), _by_month(current, spec)


def tasks_completed(
    tasks: pd.DataFrame, period: Period, last: date
) -> tuple[float | None, float | None, dict[str, float]]:
    """Completed tasks at each month's end (a stock): the period's last month, and the monthly path."""
    done = tasks["completion_date"].dropna()

    def at(month: date) -> float:
        return float((done < pd.Timestamp(add_months(month, 1))).sum())

    def months(p: Period) -> list[date]:
        out, m = [], max(p.start, FIRST_MONTH)
        while m <= min(p.end, last):
            out.append(m)
            m = add_months(m, 1)
        return out

    cur, prev = months(period), months(period.previous())
    return (at(cur[-1]) if cur else None, at(prev[-1]) if prev else None, {m.strftime("%Y-%m"): at(m) for m in cur})


def headline(frames: dict[str, pd.DataFrame], filters: Filters) -> Numbers:
    """Every headline indicator for one filter set."""
    last = last_month(frames)
    period = resolve(filters, FIRST_MONTH, last)
    out = {TASKS_COMPLETED: tasks_completed(frames["tasks"], period, last)}
    out.update({ind: indicator(frames, spec, filters, period) for ind, spec in SPECS.items()})
    return out


def task_summary(frames: dict[str, pd.DataFrame], as_of: date) -> TaskNumbers:
    """Tasks by area and status, and the burn-up of completions by month."""
    tasks = frames["tasks"]
    status = derive_status(tasks, as_of)
    by_area = {
        a: {s: int(((tasks["area_id"] == a) & (status == s)).sum()) for s in STATUSES}
        for a in tasks["area_id"].unique()
    }
    done = tasks["completion_date"].dropna()
    done = done[done <= pd.Timestamp(as_of)]
    last = date(as_of.year, as_of.month, 1)
    burn, m = {}, AGREEMENT_SIGNED
    while m <= last:
        burn[m.strftime("%Y-%m")] = int((done < pd.Timestamp(add_months(m, 1))).sum())
        m = add_months(m, 1)
    return TaskNumbers(by_area, len(done), burn)


def overview(frames: dict[str, pd.DataFrame], filters: Filters, as_of: date) -> tuple[Numbers, TaskNumbers]:
    """Everything the Overview page shows for one filter set, the pandas way."""
    return headline(frames, filters), task_summary(frames, as_of)

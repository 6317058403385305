"""Plans (任务清单): the agreement's 97 tasks and the annual lists beside it, from plans.csv and tasks.csv.

Every task view takes a plan; None means config.yaml's reporting.default_plan (the agreement).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from .database import handout
from .engine import Engine
from .i18n import localized, norm_lang
from .periods import FilterError


class UnknownPlan(FilterError):
    """No plan has this id (a user error: one line, exit 2 in the CLI)."""


@dataclass(frozen=True)
class Plan:
    """A list of tasks with its name, span and issuing body."""

    id: str
    name_zh: str
    name_en: str
    issuer_zh: str
    issuer_en: str
    start: date
    due: date
    illustrative: bool

    def name(self, lang: str) -> str:
        """The plan's name in lang."""
        return localized(self, "name", lang)

    def issuer(self, lang: str) -> str:
        """Who issued it, in lang."""
        return localized(self, "issuer", lang)


def plans(engine: Engine) -> list[Plan]:
    """Every plan, the default one first, then in the order of plans.csv."""

    def load() -> list[Plan]:
        df = engine.table("plans")
        found = [
            Plan(
                str(r.plan_id),
                str(r.name_zh),
                str(r.name_en),
                str(r.issuer_zh),
                str(r.issuer_en),
                pd.Timestamp(r.start_date).date(),
                pd.Timestamp(r.due_date).date(),
                bool(int(r.illustrative)),
            )
            for r in df.itertuples()
        ]
        default = engine.config.reporting.default_plan
        return sorted(found, key=lambda p: p.id != default)

    return engine.cached(("plans",), load)


def default_plan(engine: Engine) -> str:
    """The plan shown unless another is chosen (reporting.default_plan)."""
    return engine.config.reporting.default_plan


def plan(engine: Engine, plan_id: str | None = None) -> Plan:
    """The plan with this id (None: the default); UnknownPlan if there is none."""
    wanted = plan_id or default_plan(engine)
    for p in plans(engine):
        if p.id == wanted:
            return p
    raise UnknownPlan(f"unknown plan {wanted!r}; choose one of {', '.join(p.id for p in plans(engine))}")


def plan_tasks(engine: Engine, plan_id: str | None = None) -> pd.DataFrame:
    """The tasks of one plan, by task id, with dates as dates."""
    chosen = plan(engine, plan_id).id

    def load() -> pd.DataFrame:
        t = engine.table("tasks")
        t = t[t["plan_id"] == chosen].sort_values("task_id").reset_index(drop=True)
        for col in ("start_date", "due_date", "updated_on"):
            t[col] = pd.to_datetime(t[col]).dt.date
        t["cooperating"] = t["cooperating"].fillna("")
        return t

    return handout(engine.cached(("plan-tasks", chosen), load))


def milestones(engine: Engine, task_ids: list[str], lang: str) -> pd.DataFrame:
    """The milestones of some tasks: task_id, due_date, title."""
    df = engine.table("task_milestones")
    df = df[df["task_id"].isin(task_ids)]
    return pd.DataFrame(
        {
            "task_id": df["task_id"],
            "due_date": pd.to_datetime(df["due_date"]).dt.date,
            "title": df[f"title_{norm_lang(lang)}"],
        }
    ).sort_values(["task_id", "due_date"], ignore_index=True)

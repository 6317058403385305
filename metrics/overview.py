"""What the Overview page needs, in one call: headline cards and what needs attention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from .config import Indicator
from .engine import Engine, IndicatorValue
from .periods import Filters
from .reports import Ledger, current_ledger
from .supervision import party_attention, period_status
from .targets import TargetProgress, target_progress
from .tasks import area_summary, task_table


@dataclass(frozen=True)
class Card:
    """A KPI card: the value, its previous-period change, a monthly sparkline and target progress."""

    indicator: Indicator
    value: IndicatorValue
    sparkline: pd.DataFrame  # key (YYYY-MM), label, value
    target: TargetProgress | None


def card(engine: Engine, ind: Indicator, filters: Filters) -> Card:
    """One indicator's card for the filters."""
    return Card(
        ind,
        engine.value(ind.id, filters),
        engine.series(ind.id, filters, by="month"),
        target_progress(engine, ind, filters),
    )


def headline_cards(engine: Engine, filters: Filters) -> list[Card]:
    """One card per headline indicator, in the order the config declares."""
    return [card(engine, ind, filters) for ind in engine.config.headline_indicators()]


@dataclass(frozen=True)
class Attention:
    """Overdue tasks, areas behind the pace needed, and per reporting party: overdue tasks and missing reports."""

    overdue: pd.DataFrame
    behind: pd.DataFrame
    parties: pd.DataFrame  # party, label, overdue, missing (reports missing after the current period's deadline)
    period: str  # the current reporting period
    deadline: date


def attention(engine: Engine, lang: str = "zh", plan_id: str | None = None, ledger: Ledger | None = None) -> Attention:
    """What needs attention now, from the approved reports (the store's included)."""
    ledger = ledger if ledger is not None else current_ledger(engine)
    tasks = task_table(engine, lang, plan_id, ledger)
    areas = area_summary(engine, lang, plan_id, ledger)
    ps = period_status(engine, None, plan_id, ledger, lang)
    return Attention(
        tasks[tasks["overdue"]].reset_index(drop=True),
        areas[areas["behind"]].reset_index(drop=True),
        party_attention(engine, plan_id, ledger, lang),
        ps.period,
        ps.deadline,
    )

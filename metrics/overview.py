"""What the Overview page needs, in one call: headline cards and what needs attention."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .config import Indicator
from .engine import Engine, IndicatorValue
from .periods import Filters
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
    """Overdue tasks and areas behind the pace needed to finish by their due dates."""

    overdue: pd.DataFrame
    behind: pd.DataFrame


def attention(engine: Engine, lang: str = "zh") -> Attention:
    """What needs attention now."""
    tasks = task_table(engine, lang)
    areas = area_summary(engine, lang)
    return Attention(tasks[tasks["overdue"]].reset_index(drop=True), areas[areas["behind"]].reset_index(drop=True))

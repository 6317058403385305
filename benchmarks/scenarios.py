"""What is measured: the Overview page's data for four filter sets, through the engine."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics import Engine, Filters
from metrics.overview import attention, headline_cards
from metrics.tasks import area_summary, burnup

# The page's default, then three sets an official would plausibly pick.
FILTER_SETS: dict[str, Filters] = {
    "default": Filters(),
    "sichuan": Filters(province="sichuan"),
    "cq_2023": Filters(start="2023-01", end="2023-08", province="chongqing"),
    "chengdu_2022": Filters(start="2022-01", end="2022-12", province="sichuan", city="chengdu"),
}

# Headline numbers as {indicator: (value, previous, {YYYY-MM: value})}, the shape both sides are compared in.
Numbers = dict[str, tuple[float | None, float | None, dict[str, float]]]


@dataclass(frozen=True)
class TaskNumbers:
    """The agreement-task figures the Overview shows, reduced to comparable numbers."""

    status_by_area: dict[str, dict[str, int]]
    completed: int
    burnup: dict[str, int]


def task_bundle(engine: Engine, lang: str = "zh") -> tuple[pd.DataFrame, object, object]:
    """Area summary, burn-up and attention: the same for every filter set, so computed once per data version."""
    return engine.cached(
        ("overview-tasks", lang), lambda: (area_summary(engine, lang), burnup(engine), attention(engine, lang))
    )


def overview(engine: Engine, filters: Filters, lang: str = "zh") -> tuple[list, tuple]:
    """Everything the Overview page shows for one filter set."""
    return headline_cards(engine, filters), task_bundle(engine, lang)


def card_numbers(cards: list) -> Numbers:
    """Headline cards reduced to plain numbers."""
    return {
        c.indicator.id: (
            c.value.value,
            c.value.prev.base,
            dict(zip(c.sparkline["key"], c.sparkline["value"].astype(float), strict=True)),
        )
        for c in cards
    }


def task_numbers(bundle: tuple) -> TaskNumbers:
    """The task bundle reduced to plain numbers."""
    areas, burn, _ = bundle
    statuses = ("completed", "in_progress", "not_started", "overdue")
    by_area = {r["area_id"]: {s: int(r[s]) for s in statuses} for _, r in areas.iterrows()}
    return TaskNumbers(
        by_area, int(burn.completed), dict(zip(burn.actual["month"], burn.actual["completed"], strict=True))
    )

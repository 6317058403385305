"""What the Overview page needs, in one call: headline cards and what needs attention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from .config import Indicator
from .engine import Engine, IndicatorValue
from .i18n import join_items, tr
from .periods import Filters
from .provenance import dataset_as_of
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


MAX_NAMES = 3  # tasks/areas named in the attention line before "and others"


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


def _names(items: list[str], lang: str) -> str:
    text = join_items(items[:MAX_NAMES], lang)
    return text + tr("ui.more_items", lang) if len(items) > MAX_NAMES else text


def attention_lines(engine: Engine, att: Attention, lang: str) -> tuple[list[str], str]:
    """What needs attention as sentences (overdue tasks, areas behind pace, parties' overdue tasks and missing
    reports; none when all is well) and the line saying as of when."""
    lines = []
    if len(att.overdue):
        items = [f"{t} {title}" for t, title in zip(att.overdue["task_id"], att.overdue["title"], strict=True)]
        lines.append(tr("ui.attention_overdue", lang, n=len(att.overdue), items=_names(items, lang)))
    if len(att.behind):
        b = att.behind
        items = [
            tr("ui.attention_area", lang, area=area, actual=f"{p:.0%}", expected=f"{e:.0%}")
            for area, p, e in zip(b["area"], b["progress"], b["expected"], strict=True)
        ]
        lines.append(tr("ui.attention_behind", lang, n=len(b), items=_names(items, lang)))
    parties = att.parties
    if int(parties["overdue"].sum()) or int(parties["missing"].sum()):
        items = [
            tr("ui.attention_party", lang, party=label, overdue=overdue, missing=missing)
            for label, overdue, missing in zip(parties["label"], parties["overdue"], parties["missing"], strict=True)
        ]
        sep = tr("ui.attention_party_sep", lang)
        deadline = att.deadline.isoformat()
        lines.append(tr("ui.attention_parties", lang, items=sep.join(items), period=att.period, deadline=deadline))
    as_of = dataset_as_of(engine, "tasks")
    return lines, tr("ui.attention_as_of", lang, as_of=as_of.label() if as_of else "")

"""Progress against a declared target, counted the way the target is declared (cumulative or per year)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .config import Indicator, Target
from .engine import Engine
from .periods import Filters, Period


@dataclass(frozen=True)
class TargetProgress:
    """How far an indicator has come towards its target by the end of a period."""

    target: Target
    counted_from: date  # the first month counted towards the target
    counted_to: date    # the last month (the period's end)
    actual: float | None

    @property
    def share(self) -> float | None:
        """Progress as a share of the target (lower-is-better targets: target ÷ actual)."""
        if self.actual is None:
            return None
        if self.target.direction == "lower":
            return self.target.value / self.actual if self.actual else None
        return self.actual / self.target.value


def counting_start(engine: Engine, target: Target, period: Period) -> date:
    """Where counting towards the target starts: its start (or the signing), or 1 January for annual targets."""
    if target.basis == "annual":
        return date(period.end.year, 1, 1)
    start = target.start or engine.config.project.agreement.signed
    return date(start.year, start.month, 1)


def target_progress(engine: Engine, ind: Indicator, filters: Filters) -> TargetProgress | None:
    """The indicator counted towards its target up to the period's end, at the filters' places; None if no target."""
    target = ind.target
    if target is None:
        return None
    period = engine.period(filters)
    start = counting_start(engine, target, period)
    actual = engine.total(ind.id, start, period.end, filters)
    return TargetProgress(target, start, period.end, actual)

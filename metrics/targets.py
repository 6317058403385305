"""Progress against a declared target, counted the way the target is declared (cumulative or per year), and
measured against 序时进度: the share of the target's time that has elapsed at the period's end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .config import Indicator, Target
from .engine import Engine
from .periods import Filters, Period, months_in
from .status import Status, pace_status


@dataclass(frozen=True)
class TargetProgress:
    """How far an indicator has come towards its target by the end of a period, against the time elapsed."""

    target: Target
    counted_from: date  # the first month counted towards the target
    counted_to: date  # the last month (the period's end)
    actual: float | None
    elapsed: float  # 序时进度: the share of the target's months elapsed by counted_to
    status: Status

    @property
    def share(self) -> float | None:
        """Progress as a share of the target (lower-is-better targets: target ÷ actual)."""
        return target_share(self.target, self.actual)

    @property
    def gap_points(self) -> float | None:
        """Progress minus time elapsed, in percentage points (negative: behind pace)."""
        return None if self.share is None else (self.share - self.elapsed) * 100


def target_share(target: Target, actual: float | None) -> float | None:
    """actual ÷ target (or target ÷ actual when lower is better)."""
    if actual is None:
        return None
    if target.direction == "lower":
        return target.value / actual if actual else None
    return actual / target.value


def counting_window(engine: Engine, target: Target, period: Period) -> tuple[date, date]:
    """The months a target counts at a period's end, and its last month (a year for annual targets)."""
    if target.basis == "annual":
        return date(period.end.year, 1, 1), date(period.end.year, 12, 1)
    start = target.start or engine.config.project.agreement.signed
    return date(start.year, start.month, 1), date(target.due.year, target.due.month, 1)


def time_elapsed(first: date, last: date, at: date) -> float:
    """The share of the months first..last that have passed by the end of month at (0 to 1)."""
    if at < first:
        return 0.0
    return min(months_in(first, at) / months_in(first, last), 1.0)


def target_progress(engine: Engine, ind: Indicator, filters: Filters) -> TargetProgress | None:
    """The indicator counted towards its target up to the period's end, at the filters' places; None if no target."""
    target = ind.target
    if target is None:
        return None
    period = engine.period(filters)
    start, last = counting_window(engine, target, period)
    actual = engine.total(ind.id, start, period.end, filters)
    elapsed = time_elapsed(start, last, period.end)
    share = target_share(target, actual)
    return TargetProgress(target, start, period.end, actual, elapsed, pace_status(share, elapsed, engine.config.status))

"""The reporting cycle (填报周期): what today is, which period it falls in, when a period's reports are due.

A period is named YYYY-MM: a month, or for a quarterly cycle the quarter's last month (2023-09 is Q3 2023).
Reports for a period are due by config.yaml's reporting.deadline_day of the period's last month.
"""

from __future__ import annotations

from datetime import date, timedelta

from .config import Config
from .engine import Engine
from .periods import FilterError, add_months, month_str, parse_month
from .provenance import local_now


class PeriodError(ValueError):
    """Not a reporting period of the cycle; the message is one line."""


def today(engine: Engine) -> date:
    """The reporting clock: the data's as-of date (clock: data, the shipped sample) or the local date."""
    if engine.config.reporting.clock == "data":
        return engine.as_of
    return local_now(engine.config).date()


def months_per_period(config: Config) -> int:
    """1 for a monthly cycle, 3 for a quarterly one."""
    return 3 if config.reporting.cycle == "quarterly" else 1


def period_of(config: Config, day: date) -> str:
    """The period a day falls in: its month, or its quarter's last month."""
    step = months_per_period(config)
    last = ((day.month - 1) // step + 1) * step
    return f"{day.year:04d}-{last:02d}"


def current_period(engine: Engine) -> str:
    """The period today falls in (on the shipped sample: 2023-08)."""
    return period_of(engine.config, today(engine))


def period_start(config: Config, period: str) -> date:
    """The first day of a period."""
    return add_months(parse_month(period), 1 - months_per_period(config))


def period_end(period: str) -> date:
    """The last day of a period."""
    return add_months(parse_month(period), 1) - timedelta(days=1)


def deadline(config: Config, period: str) -> date:
    """The day a period's reports are due."""
    return parse_month(period).replace(day=config.reporting.deadline_day)


def previous_period(config: Config, period: str) -> str:
    """The period before this one."""
    return month_str(add_months(parse_month(period), -months_per_period(config)))


def check_period(config: Config, text: str, current: str) -> str:
    """text as a period of the cycle that has begun (YYYY-MM); PeriodError saying why not."""
    try:
        first = parse_month(str(text), "the period")
    except FilterError as e:
        raise PeriodError(str(e)) from None
    period = month_str(first)
    if period_of(config, first) != period:
        raise PeriodError(f"{text} is not a reporting period: the cycle is quarterly, name a quarter's last month")
    if period > current:
        raise PeriodError(f"the period {period} has not begun (the current period is {current})")
    return period

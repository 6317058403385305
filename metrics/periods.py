"""Filters and month arithmetic: the period, the previous period of equal length."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

# ASCII digits only: \d would also take full-width digits (２０２３) that nobody means to type into a script.
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
MIN_YEAR, MAX_YEAR = 1900, 2100


class FilterError(ValueError):
    """A user-supplied filter is malformed; the message is one line."""


def parse_month(text: str, what: str = "month") -> date:
    """'YYYY-MM' to the first day of that month."""
    m = _MONTH.fullmatch(text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12 or not MIN_YEAR <= int(m.group(1)) <= MAX_YEAR:
        raise FilterError(f"{what} must be a month like 2023-08 (years {MIN_YEAR}–{MAX_YEAR}), got {text!r}")
    return date(int(m.group(1)), int(m.group(2)), 1)


def month_str(d: date) -> str:
    """A date as 'YYYY-MM'."""
    return f"{d.year:04d}-{d.month:02d}"


def add_months(d: date, n: int) -> date:
    """The first day of the month n months after d's month."""
    k = d.year * 12 + d.month - 1 + n
    return date(k // 12, k % 12 + 1, 1)


def months_in(start: date, end: date) -> int:
    """How many months from start to end inclusive."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


@dataclass(frozen=True)
class Filters:
    """What the user chose: a month range, a province and a city (None means all)."""

    start: str | None = None
    end: str | None = None
    province: str | None = None
    city: str | None = None

    def __post_init__(self) -> None:
        # Months are checked here; places need the config and the cities (Engine.check_filters).
        s = parse_month(self.start, "--from") if self.start else None
        e = parse_month(self.end, "--to") if self.end else None
        if s and e and s > e:
            raise FilterError(f"--from {self.start} is after --to {self.end}")

    def with_(self, **changes: str | None) -> Filters:
        """A copy with some fields changed."""
        return replace(self, **changes)


@dataclass(frozen=True)
class Period:
    """A resolved inclusive month range and the previous range of equal length."""

    start: date
    end: date

    @property
    def months(self) -> int:
        return months_in(self.start, self.end)

    def previous(self) -> Period:
        """The period of equal length just before this one (环比)."""
        return Period(add_months(self.start, -self.months), add_months(self.start, -1))

    def shifted(self, months: int) -> Period:
        """The same months moved by months (-12: the same period a year earlier, 同比)."""
        return Period(add_months(self.start, months), add_months(self.end, months))

    def covers(self, month: date) -> bool:
        """True when month falls inside the period."""
        return self.start <= month <= self.end

    def label(self) -> str:
        """'2021-01 – 2023-08'."""
        return f"{month_str(self.start)} – {month_str(self.end)}"


def resolve(filters: Filters, first: date, last: date) -> Period:
    """The user's period, with open ends defaulting to the data's first and last months."""
    start = parse_month(filters.start) if filters.start else first
    end = parse_month(filters.end) if filters.end else last
    if start > end:
        raise FilterError(f"the period starts ({month_str(start)}) after it ends ({month_str(end)})")
    return Period(start, end)


def clip(period: Period, last: date) -> Period:
    """The part of a period the data covers: its end moved back to the data's last month (FilterError if none)."""
    if period.start > last:
        raise FilterError(f"there is no data after {month_str(last)}: the data end in {month_str(last)}")
    return Period(period.start, min(period.end, last))

"""Distinct counts from pre-counted runs: each entity once per window, at its first active month in it."""

from __future__ import annotations

from datetime import date

from metrics.periods import Period
from metrics.runs import runs_of

JAN, FEB, MAR, APR = (date(2023, m, 1) for m in (1, 2, 3, 4))
# Entity A is active in Jan, Feb and Apr; B in Feb only; C in Feb and Mar.
ROWS = [
    (JAN, None, 1),  # A
    (FEB, JAN, 1),  # A again
    (FEB, None, 2),  # B and C
    (MAR, FEB, 1),  # C again
    (APR, FEB, 1),  # A again, after a gap
]


def test_a_window_counts_each_entity_once() -> None:
    runs = runs_of(ROWS)
    assert runs.count(Period(JAN, APR)) == 3
    assert runs.count(Period(FEB, APR)) == 3  # A, B, C all first seen in Feb within the window
    assert runs.count(Period(MAR, APR)) == 2  # C in Mar; A in Apr (its previous month is before the window)
    assert runs.count(Period(APR, APR)) == 1
    assert runs.count(Period(JAN, JAN)) == 1


def test_a_window_without_activity_has_no_value() -> None:
    assert runs_of(ROWS).count(Period(date(2022, 1, 1), date(2022, 12, 1))) is None
    assert runs_of([]).count(Period(JAN, APR)) is None


def test_the_month_series_counts_every_active_entity_in_its_month() -> None:
    runs = runs_of(ROWS)
    assert runs.series(Period(JAN, APR)) == [(JAN, 1.0), (FEB, 3.0), (MAR, 1.0), (APR, 1.0)]
    assert runs.series(Period(MAR, MAR)) == [(MAR, 1.0)]
    assert runs.series(Period(date(2024, 1, 1), date(2024, 2, 1))) == []

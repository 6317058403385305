"""A distinct-count indicator's pre-counted runs at one place scope: fetched once, counted for any window.

Each row of a runs table is (month, previous active month, entities). An entity enters a window's distinct count
once, at the month whose previous active month is before the window, so any window's count is a sum over the
rows: counting it here, from one cached fetch per scope, spares a database round trip for every new period
(tests/test_runs.py; tests/test_bench_engine.py checks every indicator against plain SQL over the rollups).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np

from .database import Database
from .periods import Period
from .sqlfiles import render

# The fetch spans every month: a runs table only holds months with data. Four-digit years: Python writes
# year 1 as "1-01-01", which Spark's date parameters refuse.
ALL_MONTHS = {"lo": date(1000, 1, 1), "hi": date(9999, 12, 31)}


@dataclass(frozen=True)
class Runs:
    """The rows of a runs table at one scope, as arrays, with the entities active in each month."""

    month: np.ndarray  # datetime64[D], ascending
    prev: np.ndarray  # datetime64[D], NaT for an entity's first month
    n: np.ndarray  # float64 entities
    months: tuple[date, ...]  # distinct months, ascending
    per_month: tuple[float, ...]  # entities active in each of them

    def count(self, period: Period) -> float | None:
        """Distinct entities active in period (None when no entity is)."""
        start, end = np.datetime64(period.start, "D"), np.datetime64(period.end, "D")
        first = (self.month >= start) & (self.month <= end) & (np.isnat(self.prev) | (self.prev < start))
        return float(self.n[first].sum()) if first.any() else None

    def series(self, period: Period) -> list[tuple[date, float]]:
        """(month, distinct entities that month) for each month of period with data."""
        lo, hi = bisect_left(self.months, period.start), bisect_right(self.months, period.end)
        return [(self.months[i], self.per_month[i]) for i in range(lo, hi)]


def runs_of(rows: list[tuple[date, date | None, float]]) -> Runs:
    """Runs from (month, prev_month, n) rows ordered by month."""
    month = np.array([r[0] for r in rows], dtype="datetime64[D]")
    prev = np.array([r[1] for r in rows], dtype="datetime64[D]")
    n = np.array([float(r[2]) for r in rows], dtype=float)
    months, starts = np.unique(month, return_index=True)
    sums = np.add.reduceat(n, starts) if len(n) else np.array([], dtype=float)
    return Runs(month, prev, n, tuple(m.item() for m in months), tuple(float(s) for s in sums))


def fetch_runs(db: Database, scoped: str, places: Mapping[str, object]) -> Runs:
    """One indicator's runs at one place scope (scoped: its WITH clause over $lo..$hi), in one query."""
    rows = db.cursor().execute(render("distinct_runs", scoped=scoped), {**ALL_MONTHS, **places}).fetchall()
    return runs_of(rows)

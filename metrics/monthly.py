"""Additive indicators month by month at one place scope, fetched in batches, and month key labels."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from .config import Config, Indicator
from .database import Database
from .periods import Period
from .sqlfiles import indicator_table, render

Scope = tuple[str | None, str | None]  # (province, city) filters that apply


@dataclass(frozen=True)
class Monthly:
    """An additive indicator per month at one place scope: a = sum(value) or sum(num), b = sum(den)."""

    months: tuple[date, ...]
    a: tuple[float | None, ...]
    b: tuple[float | None, ...]

    def span(self, period: Period) -> slice:
        """The positions of the months inside period."""
        return slice(bisect_left(self.months, period.start), bisect_right(self.months, period.end))

    def month_value(self, kind: str, i: int) -> float | None:
        """The indicator for one month."""
        if kind != "ratio":
            a = self.a[i]
            return None if a is None else float(a)
        return ratio(self.a[i], self.b[i])

    def total(self, kind: str, period: Period) -> float | None:
        """The indicator over period: flows summed, stocks at the last month, ratios as a ratio of sums."""
        sel = self.span(period)
        if sel.start >= sel.stop:
            return None
        if kind == "stock":
            return self.month_value(kind, sel.stop - 1)
        a = [x for x in self.a[sel] if x is not None]
        if kind != "ratio":
            return float(sum(a)) if a else None
        b = [x for x in self.b[sel] if x is not None]
        return ratio(sum(a) if a else None, sum(b) if b else None)


def ratio(num: float | None, den: float | None) -> float | None:
    """num / nullif(den, 0), as the SQL does."""
    if num is None or den is None or den == 0:
        return None
    return float(num) / float(den)


def batch_of(ind: Indicator) -> bool:
    """Which batch an indicator is fetched with: headline indicators together, the rest together."""
    # The Overview asks for the headline ones; the CLI and area pages for the rest. Each part of the union
    # costs about 0.3 ms, so one batch for all would slow the Overview down.
    return bool(ind.headline)


def fetch_monthly(db: Database, config: Config, scope: Scope, batch: bool) -> dict[str, Monthly]:
    """Every additive indicator of one batch, month by month at scope, in one query."""
    parts = []
    inds = [i for i in config.indicators if i.kind != "distinct_count" and batch_of(i) == batch]
    for n, ind in enumerate(inds):
        where = [render("scope_province").strip()] if ind.by_province else []
        where += [render("scope_city").strip()] if "city" in ind.dimensions else []
        measures = ("sum(num)", "sum(den)") if ind.kind == "ratio" else ("sum(value)", "null::double")
        parts.append(
            render(
                "monthly_part",
                part=str(n),
                a=measures[0],
                b=measures[1],
                table=indicator_table(ind.id),
                scope=" and ".join(where) or "true",
            )
        )
    sql = "\nunion all\n".join(parts)
    params = {k: v for k, v in zip(("province", "city"), scope, strict=True) if f"${k}" in sql}
    rows = db.cursor().execute(sql, params).fetchall()
    grouped: dict[int, list[tuple]] = {n: [] for n in range(len(inds))}
    for part, month, a, b in rows:
        grouped[part].append((month, a, b))
    out = {}
    for n, ind in enumerate(inds):
        got = sorted(grouped[n], key=lambda r: r[0])
        out[ind.id] = Monthly(tuple(r[0] for r in got), tuple(r[1] for r in got), tuple(r[2] for r in got))
    return out


class MonthKeys:
    """'YYYY-MM' labels as a string array, sliced from one made once: building them afresh costs more."""

    def __init__(self, first: date, last: date) -> None:
        # Ten years either side of the calendar covers any month the contracts allow in practice.
        start = date(first.year - 10, 1, 1)
        n = 12 * (last.year - start.year + 11)
        months = [date(start.year + i // 12, i % 12 + 1, 1) for i in range(n)]
        self._text = pd.array([f"{d.year:04d}-{d.month:02d}" for d in months], dtype="str")
        self._index = {d: i for i, d in enumerate(months)}

    def of(self, months: list[date]) -> pd.api.extensions.ExtensionArray:
        """The labels of months, in order."""
        try:
            at = [self._index[m] for m in months]
        except KeyError:  # a month outside the usual range
            return pd.array([f"{d.year:04d}-{d.month:02d}" for d in months], dtype="str")
        if at and at[-1] - at[0] == len(at) - 1:  # consecutive months, the usual case: a slice copies nothing
            return self._text[at[0] : at[-1] + 1]
        return self._text.take(np.array(at, dtype=np.intp))

"""The indicator engine: answers any indicator for any filters (value, series, breakdowns) from the warehouse."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Literal, TypeVar

import numpy as np
import pandas as pd

from .cache import LruCache
from .config import Config, Indicator
from .database import CACHE_ENTRIES, Database, needs_build
from .labels import Labels
from .monthly import MonthKeys, Monthly, Scope, batch_of, fetch_monthly
from .periods import FilterError, Filters, Period, clip, month_str, resolve
from .runs import Runs, fetch_runs
from .sqlfiles import AGGREGATES, ident, indicator_table, render
from .warehouse import Paths, Progress, distinct_table

T = TypeVar("T")
SERIES_COLUMNS = pd.Index(["key", "label", "value"])
CROSSTAB_COLUMNS = pd.Index(["key1", "label1", "key2", "label2", "value"])


class UnknownIndicator(KeyError):
    """No indicator has this id."""


class UnknownDimension(ValueError):
    """The indicator cannot be broken down by this dimension."""


Reason = Literal["no_value", "no_base", "partial_base", "zero_base"]


@dataclass(frozen=True)
class Comparison:
    """A value against a base: 同比 (the same months a year earlier) or 环比 (the previous period of equal length)."""

    kind: Literal["yoy", "previous"]
    period: Period  # the base's months
    value: float | None
    base: float | None
    covered: bool = True  # the data cover the whole base period (else the comparison is not like for like)

    @property
    def reason(self) -> Reason | None:
        """Why the comparison cannot be made (said in words on every surface), or None when it can."""
        if self.value is None:
            return "no_value"
        if not self.covered:
            return "partial_base"
        if self.base is None:
            return "no_base"
        if self.base == 0:
            return "zero_base"
        return None

    @property
    def delta(self) -> float | None:
        """value − base, or None when the comparison cannot be made."""
        if self.reason not in (None, "zero_base") or self.value is None or self.base is None:
            return None
        return self.value - self.base

    @property
    def delta_pct(self) -> float | None:
        """The relative change, or None when it cannot be made (also against a base of zero)."""
        if self.reason is not None or self.delta is None or self.base is None:
            return None
        return self.delta / abs(self.base)


@dataclass(frozen=True)
class IndicatorValue:
    """An indicator for a period (clipped to what the data cover), with 同比, 环比 and 累计."""

    indicator_id: str
    value: float | None
    period: Period  # the months counted: the request, its end moved back to the data's last month
    requested: Period  # what was asked for
    yoy: Comparison  # 同比
    prev: Comparison  # 环比
    cumulative: float | None  # 累计: from the agreement's signing to the period's end
    cumulative_period: Period
    province_applied: bool
    city_applied: bool

    @property
    def has_data(self) -> bool:
        return self.value is not None

    @property
    def clipped(self) -> bool:
        """True when the request ran past the data's last month."""
        return self.period.end < self.requested.end

    def comparison(self, kind: str) -> Comparison:
        """The comparison by kind: 'yoy' (同比, the default everywhere) or 'previous' (环比)."""
        return self.prev if kind == "previous" else self.yoy


def _fast_frame(arrays: list, columns: pd.Index) -> pd.DataFrame:
    """A frame from ready-made arrays of equal length, with a fresh range index."""
    try:
        # The dict constructor re-checks and re-infers everything and costs about five times as much, and
        # selecting columns by a list of names (df[[...]]) costs about twice as much again: the Overview builds
        # one frame per card, so this is most of the engine's own time there.
        return pd.DataFrame._from_arrays(
            arrays, columns=columns, index=pd.RangeIndex(len(arrays[0])), verify_integrity=False
        )
    except (AttributeError, TypeError):  # a pandas without this (private) fast path
        return pd.DataFrame(dict(zip(columns, arrays, strict=True)))


def _frame(
    keys: pd.api.extensions.ExtensionArray, values: np.ndarray, labels: pd.api.extensions.ExtensionArray | None = None
) -> pd.DataFrame:
    """A key, label, value frame from ready-made arrays (labels: the keys themselves unless given)."""
    return _fast_frame([keys, keys.copy() if labels is None else labels, values], SERIES_COLUMNS)


class Engine:
    """Answers any indicator for any filters from a read-only, hardened DuckDB database."""

    def __init__(
        self,
        config_path: Path | str | None = None,
        data_dir: Path | str | None = None,
        cache_dir: Path | str | None = None,
        progress: Progress | None = None,
    ) -> None:
        """Open the database for these inputs, building it first if needed (progress hears how far it got)."""
        self.db = Database(config_path, data_dir, cache_dir, progress)
        self.config: Config = self.db.config
        self.labels_of = Labels(self.db)
        self._memo = LruCache(CACHE_ENTRIES)
        self._month_keys = MonthKeys(self.first_month, self.last_month)

    # -- what was built ---------------------------------------------------------------------
    @property
    def database(self) -> Path:
        """The database file; its name carries the hash of every input, so it names the data version."""
        return self.db.path

    @property
    def paths(self) -> Paths:
        """Where the config, data and cache live."""
        return self.db.paths

    @property
    def as_of(self) -> date:
        """The latest date any dataset covers."""
        return self.db.meta.as_of

    @property
    def datasets_as_of(self) -> dict[str, str | None]:
        """Each dataset's own as-of date (ISO), or None."""
        return self.db.meta.datasets_as_of

    @property
    def first_month(self) -> date:
        """The calendar's first month."""
        return self.db.meta.first_month

    @property
    def last_month(self) -> date:
        """The calendar's last month (the data's as-of month)."""
        return self.db.meta.last_month

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """compute() once per database: for results that depend on the data but not on the filters."""
        return self._memo.get(key, compute)

    def clear_cache(self, memo: bool = False) -> None:
        """Forget cached query results (and, with memo, labels and what cached() kept): for cold timings."""
        self.db.cache.clear()
        if memo:
            self._memo.clear()
            self.labels_of.clear()

    def close(self) -> None:
        """Close the database connection."""
        self.db.close()

    # -- the question ------------------------------------------------------------------------
    def indicator(self, indicator_id: str) -> Indicator:
        """The declared indicator; UnknownIndicator if there is none."""
        try:
            return self.config.indicator(indicator_id)
        except KeyError:
            raise UnknownIndicator(indicator_id) from None

    def check_filters(self, filters: Filters) -> Filters:
        """The filters if they name places the dashboard could show; a city brings its province with it."""
        provinces = self.config.province_ids()
        if filters.province is not None and filters.province not in provinces:
            raise FilterError(f"province must be one of all, {', '.join(provinces)}; got {filters.province!r}")
        if filters.city is None:
            return filters
        home = self.city_province(filters.city)
        if home is None:
            raise FilterError(f"unknown city {filters.city!r} (see `python -m metrics series cardholders --by city`)")
        if filters.province not in (None, home):
            raise FilterError(f"city {filters.city!r} is in {home}, not in {filters.province}")
        return replace(filters, province=home)

    def city_province(self, city: str) -> str | None:
        """The province a city or district belongs to, or None for an unknown id."""
        homes = self.cached(
            "city-provinces",
            lambda: dict(zip(*(self.cities()[c].astype(str) for c in ("city_id", "province")), strict=True)),
        )
        return homes.get(city)

    def requested_period(self, filters: Filters) -> Period:
        """The filters' period with open ends filled from the data."""
        return resolve(filters, self.first_month, self.last_month)

    def period(self, filters: Filters) -> Period:
        """The months counted for the filters: their period up to the data's last month (FilterError if none)."""
        return clip(self.requested_period(filters), self.last_month)

    def signing_month(self) -> date:
        """The month the agreement was signed: where 累计 (cumulative) counts from."""
        signed = self.config.project.agreement.signed
        return date(signed.year, signed.month, 1)

    def scope(self, ind: Indicator, filters: Filters) -> Scope:
        """The place filters that apply to this indicator: (province, city)."""
        return (filters.province if ind.by_province else None, filters.city if "city" in ind.dimensions else None)

    def _params(self, ind: Indicator, period: Period, filters: Filters) -> dict[str, object]:
        province, city = self.scope(ind, filters)
        return {"start": period.start, "end": period.end, "province": province, "city": city}

    # -- values -------------------------------------------------------------------------------
    def _monthly(self, ind: Indicator, filters: Filters) -> Monthly:
        """An additive indicator's months at the filters' places: one query per batch, then cached."""
        scope = (filters.province, filters.city)
        batch = batch_of(ind)
        got = self.db.cache.get(("monthly", scope, batch), lambda: fetch_monthly(self.db, self.config, scope, batch))
        return got[ind.id]

    def _distinct_table(self, ind: Indicator, filters: Filters) -> str:
        province, city = self.scope(ind, filters)
        return distinct_table(ind.id, "city" if city else "province" if province else "all")

    def _runs(self, ind: Indicator, filters: Filters) -> Runs:
        """A distinct-count indicator's runs at the filters' places: one query per scope, then cached."""
        province, city = self.scope(ind, filters)
        return self.db.cache.get(
            ("runs", ind.id, province, city),
            lambda: fetch_runs(self.db, self._scoped(ind, filters, "$lo", "$hi"), {"province": province, "city": city}),
        )

    def _pair(self, ind: Indicator, a: Period, b: Period, filters: Filters) -> tuple[float | None, float | None]:
        """The indicator over two windows: flows summed, stocks at each window's end, distinct counts recounted."""
        if ind.kind == "distinct_count":
            runs = self._runs(ind, filters)
            return runs.count(a), runs.count(b)
        m = self._monthly(ind, filters)
        return m.total(ind.kind, a), m.total(ind.kind, b)

    def _covered(self, ind: Indicator, base: Period) -> bool:
        """Whether the data cover a base period: its end for a stock, all of it otherwise."""
        return (base.end if ind.kind == "stock" else base.start) >= self.first_month

    def value(self, indicator_id: str, filters: Filters = Filters()) -> IndicatorValue:
        """The indicator for the filters' period, with 同比, 环比 and 累计, all counted the same way."""
        ind = self.indicator(indicator_id)
        requested = self.requested_period(filters)
        period = clip(requested, self.last_month)
        yoy, prev = period.shifted(-12), period.previous()
        cumulative = Period(min(self.signing_month(), period.end), period.end)
        value, previous = self._pair(ind, period, prev, filters)
        year_ago, total = self._pair(ind, yoy, cumulative, filters)
        return IndicatorValue(
            indicator_id=ind.id,
            value=value,
            period=period,
            requested=requested,
            yoy=Comparison("yoy", yoy, value, year_ago, self._covered(ind, yoy)),
            prev=Comparison("previous", prev, value, previous, self._covered(ind, prev)),
            cumulative=total,
            cumulative_period=cumulative,
            province_applied=ind.by_province and filters.province is not None,
            city_applied="city" in ind.dimensions and filters.city is not None,
        )

    def values(self, filters: Filters = Filters(), ids: list[str] | None = None) -> list[IndicatorValue]:
        """Every indicator's value (or those in ids), in declaration order."""
        wanted = ids or [i.id for i in self.config.indicators]
        return [self.value(i, filters) for i in wanted]

    def total(self, indicator_id: str, start: date, end: date, filters: Filters = Filters()) -> float | None:
        """The indicator over the months start..end at the filters' places (e.g. since a target's start)."""
        if start > end:
            return None
        window = replace(filters, start=month_str(start), end=month_str(end))
        return self.value(indicator_id, window).value

    # -- series and breakdowns ------------------------------------------------------------
    def dimensions(self, indicator_id: str) -> list[str]:
        """What the indicator can be broken down by: month first, then its declared dimensions."""
        return ["month", *self.indicator(indicator_id).dimensions]

    def _check_by(self, ind: Indicator, by: str) -> None:
        if by not in self.dimensions(ind.id):
            raise UnknownDimension(
                f"{ind.id} cannot be broken down by {by!r}; choose one of {', '.join(self.dimensions(ind.id))}"
            )

    def _scoped(self, ind: Indicator, filters: Filters, start: str = "$start", end: str = "$end") -> str:
        """The WITH clause every read query starts from: the indicator's rows in the period and places."""
        table = self._distinct_table(ind, filters) if ind.kind == "distinct_count" else indicator_table(ind.id)
        return render("scoped", table=table, start=start, end=end)

    def series(
        self, indicator_id: str, filters: Filters = Filters(), by: str = "month", lang: str = "zh"
    ) -> pd.DataFrame:
        """The indicator by month or by a declared dimension: columns key, label, value."""
        ind = self.indicator(indicator_id)
        self._check_by(ind, by)
        period = self.period(filters)
        if by == "month":
            return self._month_series(ind, period, filters)
        table = indicator_table(ind.id)
        scoped = render("scoped", table=table, start="$start", end="$end")
        sql = render(
            "grouped_latest" if ind.kind == "stock" else "grouped",
            scoped=scoped,
            key=ident(by),
            agg=AGGREGATES[ind.kind],
        )
        df = self.db.frame(sql, self._params(ind, period, filters))
        keys = df["key"].astype(str).tolist()  # a missing key stays missing (NaN), as in the data
        values = df["value"].to_numpy(dtype=float, na_value=np.nan)
        ordered = by in self.config.dimensions and self.config.dimensions[by].ordered
        # Ordered dimensions by key, the others largest first; missing ones last, ties as the query gave them.
        order = (
            sorted(range(len(keys)), key=lambda i: (not isinstance(keys[i], str), str(keys[i])))
            if ordered
            else np.argsort(-values, kind="stable")
        )
        label = self._labeller(by, lang)
        return _frame(
            pd.array([keys[i] for i in order], dtype="str"),
            values[order],
            pd.array([label(keys[i]) for i in order], dtype="str"),
        )

    def crosstab(
        self, indicator_id: str, rows: str, cols: str, filters: Filters = Filters(), lang: str = "zh"
    ) -> pd.DataFrame:
        """The indicator by two dimensions (e.g. month × province, from × to): key1, label1, key2, label2, value."""
        ind = self.indicator(indicator_id)
        for by in (rows, cols):
            self._check_by(ind, by)
        period = self.period(filters)
        latest = ind.kind == "stock" and "month" not in (rows, cols)
        scoped = render("scoped", table=indicator_table(ind.id), start="$start", end="$end")
        sql = render(
            "grouped2_latest" if latest else "grouped2",
            scoped=scoped,
            key1=ident(rows),
            key2=ident(cols),
            agg=AGGREGATES[ind.kind],
        )
        df = self.db.frame(sql, self._params(ind, period, filters))
        for n, by in (("1", rows), ("2", cols)):
            if by == "month":
                df["key" + n] = pd.to_datetime(df["key" + n]).dt.strftime("%Y-%m")
                df["label" + n] = df["key" + n]
            else:
                df["key" + n] = df["key" + n].astype(str)
                df["label" + n] = df["key" + n].map(self._labeller(by, lang))
        df["value"] = df["value"].astype(float)
        return _fast_frame([df[c].array for c in CROSSTAB_COLUMNS], CROSSTAB_COLUMNS)

    def _month_series(self, ind: Indicator, period: Period, filters: Filters) -> pd.DataFrame:
        """key (YYYY-MM), label, value for each month with data, from the cached monthly aggregates or runs."""
        if ind.kind == "distinct_count":
            pairs: list[tuple[date, float | None]] = list(self._runs(ind, filters).series(period))
        else:
            m = self._monthly(ind, filters)
            sel = m.span(period)
            pairs = [(m.months[i], m.month_value(ind.kind, i)) for i in range(sel.start, sel.stop)]
        keys = self._month_keys.of([d for d, _ in pairs])
        values = np.array([np.nan if v is None else v for _, v in pairs], dtype=float)
        return _frame(keys, values)

    # -- reference data -----------------------------------------------------------------------
    def labels(self, dimension: str, lang: str = "zh") -> dict[str, str]:
        """Display labels of a dimension's values in lang."""
        return self.labels_of.of(dimension, lang)

    def _labeller(self, dimension: str, lang: str) -> Callable[[str], str]:
        """A function from a value id to its label (the id itself when it has none)."""
        labels = self.labels(dimension, lang)
        return lambda k: labels.get(k, k)

    def dimension_name(self, dimension: str, lang: str = "zh") -> str:
        """The display name of a dimension (or of month)."""
        return self.labels_of.dimension_name(dimension, lang)

    def cities(self, province: str | None = None) -> pd.DataFrame:
        """The cities (districts for Chongqing), optionally of one province."""
        return self.db.frame(render("cities"), {"province": province})

    def table(self, dataset: str) -> pd.DataFrame:
        """A whole curated dataset (for small reference tables such as tasks)."""
        if dataset not in self.config.datasets:
            raise KeyError(dataset)
        return self.db.frame(render("select_all", table=ident(dataset)))


__all__ = ["Engine", "IndicatorValue", "needs_build", "UnknownIndicator", "UnknownDimension"]

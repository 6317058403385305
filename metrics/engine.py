"""The indicator engine: values, previous-period deltas, series and breakdowns from DuckDB."""

from __future__ import annotations

import json
import os
import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from .config import DEFAULT_CONFIG, STANDARD_COLUMNS, Config, Indicator, load_config
from .periods import Filters, Period, resolve
from .sqlfiles import AGGREGATES, ident, indicator_table, render
from .warehouse import (Paths, Progress, database_path, distinct_table, ensure_database, open_readonly,
                        resolve_paths)

# Results are small (months x places) and the database never changes under an Engine (its file name is the
# input hash), so caching them per Engine is always correct. Bounded so a long-running server stays small.
CACHE_ENTRIES = 1024
CACHE_MAX_ROWS = 5_000


class UnknownIndicator(KeyError):
    """No indicator has this id."""


class UnknownDimension(ValueError):
    """The indicator cannot be broken down by this dimension."""


@dataclass(frozen=True)
class IndicatorValue:
    """An indicator's value for a period, with the previous period's for the delta."""

    indicator_id: str
    value: float | None
    previous: float | None
    period: Period
    previous_period: Period
    province_applied: bool
    city_applied: bool

    @property
    def has_data(self) -> bool:
        return self.value is not None

    @property
    def delta(self) -> float | None:
        """value − previous, or None when either is missing."""
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def delta_pct(self) -> float | None:
        """Relative change against the previous period, or None when undefined."""
        if self.delta is None or not self.previous:
            return None
        return self.delta / abs(self.previous)


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
            return None if self.a[i] is None else float(self.a[i])
        return _ratio(self.a[i], self.b[i])

    def total(self, kind: str, period: Period) -> float | None:
        """The indicator over period, exactly as total.sql / total_latest.sql would compute it."""
        sel = self.span(period)
        if sel.start >= sel.stop:
            return None
        if kind == "stock":
            return self.month_value(kind, sel.stop - 1)
        a = [x for x in self.a[sel] if x is not None]
        if kind != "ratio":
            return float(sum(a)) if a else None
        b = [x for x in self.b[sel] if x is not None]
        return _ratio(sum(a) if a else None, sum(b) if b else None)


def _ratio(num: float | None, den: float | None) -> float | None:
    """num / nullif(den, 0), as the SQL does."""
    if num is None or den is None or den == 0:
        return None
    return float(num) / float(den)


SERIES_COLUMNS = pd.Index(["key", "label", "value"])


def _frame(keys: pd.api.extensions.ExtensionArray, values: np.ndarray) -> pd.DataFrame:
    """A key, label, value frame from ready-made arrays."""
    try:
        # The dict constructor re-checks and re-infers everything and costs about five times as much;
        # the Overview builds one frame per card, so this is most of the engine's own time there.
        return pd.DataFrame._from_arrays([keys, keys.copy(), values], columns=SERIES_COLUMNS,
                                         index=pd.RangeIndex(len(values)), verify_integrity=False)
    except (AttributeError, TypeError):  # a pandas without this (private) fast path
        return pd.DataFrame({"key": keys, "label": keys, "value": values})


class _Cache:
    """A small thread-safe LRU; values are computed outside the lock (a rare double compute is harmless)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._data: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def peek(self, key: Hashable) -> object | None:
        """The cached value, or None."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        return None

    def put(self, key: Hashable, value: object) -> None:
        """Remember value, dropping the least recently used entries beyond the size."""
        with self._lock:
            self._data[key] = value
            while len(self._data) > self._size:
                self._data.popitem(last=False)

    def get(self, key: Hashable, compute: Callable[[], object]) -> object:
        """The cached value, computing and remembering it on a miss."""
        hit = self.peek(key)
        if hit is None:
            hit = compute()
            self.put(key, hit)
        return hit

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


def config_file(config_path: Path | str | None = None) -> Path:
    """The config to use: the argument, else $CHUANYU_CONFIG, else the project's config.yaml."""
    return Path(config_path or os.environ.get("CHUANYU_CONFIG") or DEFAULT_CONFIG)


def needs_build(config_path: Path | str | None = None, data_dir: Path | str | None = None,
                cache_dir: Path | str | None = None) -> bool:
    """True when an Engine for these inputs would first build its database: a UI shows progress then."""
    path = config_file(config_path)
    cfg = load_config(path)
    return not database_path(cfg, resolve_paths(cfg, path, data_dir, cache_dir)).is_file()


class Engine:
    """Answers any indicator for any filters from a read-only, hardened DuckDB database."""

    def __init__(self, config_path: Path | str | None = None, data_dir: Path | str | None = None,
                 cache_dir: Path | str | None = None, progress: Progress | None = None) -> None:
        """Open the database for these inputs, building it first if needed (progress hears how far it got)."""
        config_path = config_file(config_path)
        self.config: Config = load_config(config_path)
        self.paths: Paths = resolve_paths(self.config, config_path, data_dir, cache_dir)
        self.database = ensure_database(self.config, self.paths, progress)
        self._con = open_readonly(self.database)
        self._local = threading.local()
        self._cache = _Cache(CACHE_ENTRIES)
        self._memo = _Cache(CACHE_ENTRIES)
        meta = json.loads(self._query("select meta from _meta").iloc[0, 0])
        self.as_of: date = date.fromisoformat(meta["as_of"])
        self.datasets_as_of: dict[str, str | None] = meta["datasets_as_of"]
        self.built_at: str = meta["built_at"]
        months = self._query("select min(month) as a, max(month) as b from calendar")
        # DuckDB's .df() may hand back a date or a Timestamp; Timestamp() accepts both.
        self.first_month: date = pd.Timestamp(months.iloc[0, 0]).date()
        self.last_month: date = pd.Timestamp(months.iloc[0, 1]).date()
        self._labels: dict[tuple[str, str], dict[str, str]] = {}

    # -- plumbing -------------------------------------------------------------------------
    def _cursor(self) -> duckdb.DuckDBPyConnection:
        # One DuckDB connection is not thread-safe; each thread gets its own cursor.
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._con.cursor()
            self._local.cursor = cur
        return cur

    def _query(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        key = ("df", sql, tuple(sorted((params or {}).items())))
        hit = self._cache.peek(key)
        if hit is not None:
            # Callers may change the frame they get, so the cached one is never handed out.
            return hit.copy()
        df = self._cursor().execute(sql, params or {}).df()
        if len(df) <= CACHE_MAX_ROWS:
            self._cache.put(key, df.copy())
        return df

    def _rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        """Plain rows, cached: for the engine's own small aggregate queries."""
        key = ("rows", sql, tuple(sorted((params or {}).items())))
        return self._cache.get(key, lambda: self._cursor().execute(sql, params or {}).fetchall())

    def cached(self, key: Hashable, compute: Callable[[], object]) -> object:
        """compute() once per database: for results that depend on the data but not on the filters."""
        return self._memo.get(key, compute)

    def clear_cache(self, memo: bool = False) -> None:
        """Forget cached query results (and, with memo, what cached() kept): for timing cold queries."""
        self._cache.clear()
        if memo:
            self._memo.clear()
            self._labels.clear()

    def close(self) -> None:
        """Close the database connection."""
        self._con.close()

    def indicator(self, indicator_id: str) -> Indicator:
        """The declared indicator; UnknownIndicator if there is none."""
        try:
            return self.config.indicator(indicator_id)
        except KeyError:
            raise UnknownIndicator(indicator_id) from None

    def period(self, filters: Filters) -> Period:
        """The filters' period with open ends filled from the data."""
        return resolve(filters, self.first_month, self.last_month)

    def _params(self, ind: Indicator, period: Period, filters: Filters) -> dict[str, object]:
        return {
            "start": period.start,
            "end": period.end,
            "province": filters.province if ind.by_province else None,
            "city": filters.city if "city" in ind.dimensions else None,
        }

    # -- values ---------------------------------------------------------------------------
    def _scope(self, ind: Indicator, filters: Filters) -> tuple[str | None, str | None]:
        """The place filters that apply to this indicator."""
        return (filters.province if ind.by_province else None,
                filters.city if "city" in ind.dimensions else None)

    def _monthly(self, ind: Indicator, filters: Filters) -> Monthly:
        """An additive indicator's months at this scope: one query per batch of indicators, then cached."""
        # Headline indicators are asked for together (the Overview), the rest together (the CLI, area pages);
        # each part of the union costs about 0.3 ms, so one batch for all would slow the Overview down.
        batch = bool(ind.headline)
        scope = (filters.province, filters.city)
        return self._cache.get(("monthly", scope, batch), lambda: self._fetch_monthly(scope, batch))[ind.id]

    def _fetch_monthly(self, scope: tuple[str | None, str | None], batch: bool) -> dict[str, Monthly]:
        parts = []
        inds = [i for i in self.config.indicators if i.kind != "distinct_count" and bool(i.headline) == batch]
        for n, ind in enumerate(inds):
            where = [render("scope_province").strip()] if ind.by_province else []
            where += [render("scope_city").strip()] if "city" in ind.dimensions else []
            measures = ("sum(num)", "sum(den)") if ind.kind == "ratio" else ("sum(value)", "null::double")
            parts.append(render("monthly_part", part=str(n), a=measures[0], b=measures[1],
                                table=indicator_table(ind.id), scope=" and ".join(where) or "true"))
        sql = "\nunion all\n".join(parts)
        params = {k: v for k, v in zip(("province", "city"), scope) if f"${k}" in sql}
        rows = self._cursor().execute(sql, params).fetchall()
        grouped: dict[int, list[tuple]] = {n: [] for n in range(len(inds))}
        for part, month, a, b in rows:
            grouped[part].append((month, a, b))
        out = {}
        for n, ind in enumerate(inds):
            got = sorted(grouped[n], key=lambda r: r[0])
            out[ind.id] = Monthly(tuple(r[0] for r in got), tuple(r[1] for r in got), tuple(r[2] for r in got))
        return out

    def _distinct_table(self, ind: Indicator, filters: Filters) -> str:
        province, city = self._scope(ind, filters)
        return distinct_table(ind.id, "city" if city else "province" if province else "all")

    def _totals(self, ind: Indicator, period: Period, prev: Period,
                filters: Filters) -> tuple[float | None, float | None]:
        """The indicator over period and over prev."""
        if ind.kind != "distinct_count":
            m = self._monthly(ind, filters)
            return m.total(ind.kind, period), m.total(ind.kind, prev)
        params = self._params(ind, period, filters) | {"prev_start": prev.start, "prev_end": prev.end}
        value, n_rows, previous, n_prev = self._rows(
            render("distinct_total", table=self._distinct_table(ind, filters)), params)[0]
        return (None if not n_rows or value is None else float(value),
                None if not n_prev or previous is None else float(previous))

    def _total_sql(self, ind: Indicator, period: Period, filters: Filters) -> float | None:
        """The reference path: the total straight from the indicator's rollup (tests compare the two)."""
        name = "total_latest" if ind.kind == "stock" else "total"
        sql = render(name, agg=AGGREGATES[ind.kind], table=indicator_table(ind.id))
        row = self._query(sql, self._params(ind, period, filters)).iloc[0]
        if int(row["n_rows"]) == 0 or pd.isna(row["value"]):
            return None
        return float(row["value"])

    def value(self, indicator_id: str, filters: Filters = Filters()) -> IndicatorValue:
        """The indicator for the filters' period and for the previous period of equal length."""
        ind = self.indicator(indicator_id)
        period = self.period(filters)
        prev = period.previous()
        value, previous = self._totals(ind, period, prev, filters)
        return IndicatorValue(
            indicator_id=ind.id,
            value=value,
            previous=previous,
            period=period,
            previous_period=prev,
            province_applied=ind.by_province and filters.province is not None,
            city_applied="city" in ind.dimensions and filters.city is not None,
        )

    def values(self, filters: Filters = Filters(), ids: list[str] | None = None) -> list[IndicatorValue]:
        """Every indicator's value (or those in ids), in declaration order."""
        wanted = ids or [i.id for i in self.config.indicators]
        return [self.value(i, filters) for i in wanted]

    # -- series and breakdowns ------------------------------------------------------------
    def dimensions(self, indicator_id: str) -> list[str]:
        """What the indicator can be broken down by: month first, then its declared dimensions."""
        return ["month", *self.indicator(indicator_id).dimensions]

    def series(self, indicator_id: str, filters: Filters = Filters(), by: str = "month",
               lang: str = "zh") -> pd.DataFrame:
        """The indicator by month or by a declared dimension: columns key, label, value."""
        ind = self.indicator(indicator_id)
        if by not in self.dimensions(ind.id):
            raise UnknownDimension(
                f"{ind.id} cannot be broken down by {by!r}; choose one of {', '.join(self.dimensions(ind.id))}")
        period = self.period(filters)
        if by == "month":
            return self._month_series(ind, period, filters)
        latest = ind.kind == "stock"
        sql = render("grouped_latest" if latest else "grouped", key=ident(by),
                     agg=AGGREGATES[ind.kind], table=indicator_table(ind.id))
        df = self._query(sql, self._params(ind, period, filters))
        df["key"] = df["key"].astype(str)
        labels = self.labels(by, lang)
        df["label"] = df["key"].map(lambda k: labels.get(k, k))
        df = df.sort_values("value", ascending=False, kind="stable")
        df["value"] = df["value"].astype(float)
        return df[["key", "label", "value"]].reset_index(drop=True)

    def crosstab(self, indicator_id: str, rows: str, cols: str, filters: Filters = Filters(),
                 lang: str = "zh") -> pd.DataFrame:
        """The indicator by two dimensions (e.g. month × province, from × to): key1, label1, key2, label2, value."""
        ind = self.indicator(indicator_id)
        for by in (rows, cols):
            if by not in self.dimensions(ind.id):
                raise UnknownDimension(
                    f"{ind.id} cannot be broken down by {by!r}; choose one of {', '.join(self.dimensions(ind.id))}")
        period = self.period(filters)
        latest = ind.kind == "stock" and "month" not in (rows, cols)
        sql = render("grouped2_latest" if latest else "grouped2", key1=ident(rows), key2=ident(cols),
                     agg=AGGREGATES[ind.kind], table=indicator_table(ind.id))
        df = self._query(sql, self._params(ind, period, filters))
        for n, by in (("1", rows), ("2", cols)):
            if by == "month":
                df["key" + n] = pd.to_datetime(df["key" + n]).dt.strftime("%Y-%m")
                df["label" + n] = df["key" + n]
            else:
                df["key" + n] = df["key" + n].astype(str)
                labels = self.labels(by, lang)
                df["label" + n] = df["key" + n].map(lambda k: labels.get(k, k))
        df["value"] = df["value"].astype(float)
        return df[["key1", "label1", "key2", "label2", "value"]]

    def _month_series(self, ind: Indicator, period: Period, filters: Filters) -> pd.DataFrame:
        """key (YYYY-MM), label, value for each month with data, from the cached monthly aggregates."""
        if ind.kind == "distinct_count":
            rows = self._rows(render("distinct_series", table=self._distinct_table(ind, filters)),
                              self._params(ind, period, filters))
            pairs = [(m, None if v is None else float(v)) for m, v in rows]
        else:
            m = self._monthly(ind, filters)
            sel = m.span(period)
            pairs = [(m.months[i], m.month_value(ind.kind, i)) for i in range(sel.start, sel.stop)]
        keys = self._month_keys([d for d, _ in pairs])
        values = np.array([np.nan if v is None else v for _, v in pairs], dtype=float)
        return _frame(keys, values)

    def _month_keys(self, months: list[date]) -> pd.api.extensions.ExtensionArray:
        """'YYYY-MM' labels as a string array, taken from one made once: building it afresh costs more."""
        text, index = self.cached("month-keys", self._all_month_keys)  # type: ignore[misc]
        try:
            at = [index[m] for m in months]
        except KeyError:  # a month outside the usual range
            return pd.array([f"{d.year:04d}-{d.month:02d}" for d in months], dtype="str")
        if at and at[-1] - at[0] == len(at) - 1:  # consecutive months, the usual case: a slice copies nothing
            return text[at[0]:at[-1] + 1]
        return text.take(np.array(at, dtype=np.intp))

    def _all_month_keys(self) -> tuple[pd.api.extensions.ExtensionArray, dict[date, int]]:
        # Ten years either side of the calendar covers any month the contracts allow in practice.
        first = date(self.first_month.year - 10, 1, 1)
        n = 12 * (self.last_month.year - first.year + 11)
        months = [date(first.year + i // 12, i % 12 + 1, 1) for i in range(n)]
        text = pd.array([f"{d.year:04d}-{d.month:02d}" for d in months], dtype="str")
        return text, {d: i for i, d in enumerate(months)}

    def labels(self, dimension: str, lang: str = "zh") -> dict[str, str]:
        """Display labels of a dimension's values in lang."""
        cache_key = (dimension, lang)
        if cache_key in self._labels:
            return self._labels[cache_key]
        dim = self.config.dimensions.get(dimension)
        out: dict[str, str] = {}
        if dim is not None:
            if dim.labels_from == "provinces":
                out.update({k: (p.name_zh if lang == "zh" else p.name_en)
                            for k, p in self.config.provinces.items()})
            elif dim.labels_from == "areas":
                out.update({a.id: (a.name_zh if lang == "zh" else a.name_en) for a in self.config.areas})
            if dim.labels:
                out.update({k: (v.zh if lang == "zh" else v.en) for k, v in dim.labels.items()})
            if dim.lookup:
                lk = dim.lookup
                sql = render("lookup", key=ident(lk.key), label=ident(lk.zh if lang == "zh" else lk.en),
                             table=ident(lk.dataset))
                df = self._query(sql)
                out.update(dict(zip(df["key"].astype(str), df["label"].astype(str))))
        self._labels[cache_key] = out
        return out

    def dimension_name(self, dimension: str, lang: str = "zh") -> str:
        """The display name of a dimension (or of month)."""
        if dimension == "month":
            return "月份" if lang == "zh" else "Month"
        dim = self.config.dimensions[dimension]
        return dim.name_zh if lang == "zh" else dim.name_en

    def cities(self, province: str | None = None) -> pd.DataFrame:
        """The cities (districts for Chongqing), optionally of one province."""
        return self._query(render("cities"), {"province": province})

    def table(self, dataset: str) -> pd.DataFrame:
        """A whole curated dataset (for small reference tables such as tasks)."""
        if dataset not in self.config.datasets:
            raise KeyError(dataset)
        return self._query(render("select_all", table=ident(dataset)))


__all__ = ["Engine", "IndicatorValue", "needs_build", "UnknownIndicator", "UnknownDimension", "STANDARD_COLUMNS"]

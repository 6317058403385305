"""The indicator engine: values, previous-period deltas, series and breakdowns from DuckDB."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from .config import DEFAULT_CONFIG, STANDARD_COLUMNS, Config, Indicator, load_config
from .periods import Filters, Period, resolve
from .sqlfiles import AGGREGATES, ident, indicator_table, render
from .warehouse import Paths, ensure_database, open_readonly, resolve_paths


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


class Engine:
    """Answers any indicator for any filters from a read-only, hardened DuckDB database."""

    def __init__(self, config_path: Path | str | None = None, data_dir: Path | str | None = None,
                 cache_dir: Path | str | None = None) -> None:
        config_path = Path(config_path or DEFAULT_CONFIG)
        self.config: Config = load_config(config_path)
        self.paths: Paths = resolve_paths(self.config, config_path, data_dir, cache_dir)
        self.database = ensure_database(self.config, self.paths)
        self._con = open_readonly(self.database)
        self._local = threading.local()
        meta = json.loads(self._query("select meta from _meta").iloc[0, 0])
        self.as_of: date = date.fromisoformat(meta["as_of"])
        self.datasets_as_of: dict[str, str | None] = meta["datasets_as_of"]
        self.built_at: str = meta["built_at"]
        months = self._query("select min(month) as a, max(month) as b from calendar")
        self.first_month: date = months.iloc[0, 0].date() if hasattr(months.iloc[0, 0], "date") else months.iloc[0, 0]
        self.last_month: date = months.iloc[0, 1].date() if hasattr(months.iloc[0, 1], "date") else months.iloc[0, 1]
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
        return self._cursor().execute(sql, params or {}).df()

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
    def _total(self, ind: Indicator, period: Period, filters: Filters) -> float | None:
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
        return IndicatorValue(
            indicator_id=ind.id,
            value=self._total(ind, period, filters),
            previous=self._total(ind, prev, filters),
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
        latest = ind.kind == "stock" and by != "month"
        sql = render("grouped_latest" if latest else "grouped", key=ident(by),
                     agg=AGGREGATES[ind.kind], table=indicator_table(ind.id))
        df = self._query(sql, self._params(ind, period, filters))
        if by == "month":
            df["key"] = pd.to_datetime(df["key"]).dt.strftime("%Y-%m")
            df["label"] = df["key"]
        else:
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


__all__ = ["Engine", "IndicatorValue", "UnknownIndicator", "UnknownDimension", "STANDARD_COLUMNS"]

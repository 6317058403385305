"""A test oracle: each indicator's total and monthly series straight from its rollup table with plain SQL,
to check the engine's fast paths (cached monthly aggregates, pre-counted distinct runs) against."""

from __future__ import annotations

from pathlib import Path

from metrics import Engine, Filters, Period
from metrics.config import Indicator
from metrics.sqlfiles import AGGREGATES, ident, indicator_table, render

ORACLE_SQL = Path(__file__).resolve().parent / "sql"


def _params(engine: Engine, ind: Indicator, period: Period, filters: Filters) -> dict[str, object]:
    province, city = engine.scope(ind, filters)
    return {"start": period.start, "end": period.end, "province": province, "city": city}


def oracle_total(engine: Engine, ind: Indicator, period: Period, filters: Filters) -> float | None:
    """The indicator over period, as one aggregate over its rollup (stocks: the last month with data)."""
    name = "oracle_total_latest" if ind.kind == "stock" else "oracle_total"
    sql = (
        (ORACLE_SQL / f"{name}.sql")
        .read_text(encoding="utf-8")
        .format(agg=AGGREGATES[ind.kind], table=indicator_table(ind.id))
    )
    value, n_rows = engine.db.cursor().execute(sql, _params(engine, ind, period, filters)).fetchone()
    return None if not n_rows or value is None else float(value)


def oracle_series(engine: Engine, ind: Indicator, filters: Filters) -> dict[str, float]:
    """The monthly series straight from the rollup table."""
    scoped = render("scoped", table=indicator_table(ind.id), start="$start", end="$end")
    sql = render("grouped", scoped=scoped, key=ident("month"), agg=AGGREGATES[ind.kind])
    df = engine.db.cursor().execute(sql, _params(engine, ind, engine.period(filters), filters)).df()
    return {f"{k.year:04d}-{k.month:02d}": float(v) for k, v in zip(df["key"], df["value"], strict=True)}

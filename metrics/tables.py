"""Tidy tables of indicator values and series, shared by the CLI, the exports and the dashboard."""

from __future__ import annotations

import pandas as pd

from .catalog import area_name
from .comparisons import change_text
from .engine import Engine
from .formatting import plain_number
from .i18n import tr
from .periods import Filters, month_str
from .provenance import indicator_as_of, scope_of, source_text
from .targets import target_progress

NUMERIC_COLUMNS = (
    "value",
    "yoy_previous",
    "yoy_change",
    "yoy_change_pct",
    "prev_period_value",
    "prev_change_pct",
    "cumulative_value",
    "target_value",
    "target_progress_pct",
    "time_elapsed_pct",
)


def kind_label(kind: str, lang: str) -> str:
    """How an aggregation kind reads to a person."""
    return tr(f"kind.{kind}", lang)


def values_frame(engine: Engine, filters: Filters, lang: str = "zh", ids: list[str] | None = None) -> pd.DataFrame:
    """One row per indicator, as official reports state it: 本期值, 同比, 环比, 累计, target progress against
    序时进度 and status, the period counted (clipped to the data), the place covered and the source."""
    filters = engine.check_filters(filters)
    rows = []
    for v in engine.values(filters, ids):
        ind = engine.indicator(v.indicator_id)
        scope = scope_of(engine, ind, filters, lang)
        progress = target_progress(engine, ind, filters)
        rows.append(
            {
                "indicator_id": ind.id,
                "name": ind.text("name", lang),
                "area": area_name(engine.config, ind.area, lang),
                "kind": ind.kind,
                "value": plain_number(v.value),
                "unit": ind.text("unit", lang),
                "period_start": month_str(v.period.start),
                "period_end": month_str(v.requested.end),
                "coverage_end": month_str(v.period.end),
                "yoy_previous": plain_number(v.yoy.base),
                "yoy_change": plain_number(v.yoy.delta),
                "yoy_change_pct": _pct(v.yoy.delta_pct),
                "yoy_note": change_text(v.yoy, lang, ind.format),
                "prev_period_value": plain_number(v.prev.base),
                "prev_change_pct": _pct(v.prev.delta_pct),
                "cumulative_value": plain_number(v.cumulative),
                "target_value": plain_number(ind.target.value) if ind.target else None,
                "target_due": ind.target.due.isoformat() if ind.target else None,
                "target_progress_pct": _pct(progress.share if progress else None),
                "time_elapsed_pct": _pct(progress.elapsed if progress else None),
                "status": progress.status if progress else "none",
                "province": scope.province or "all",
                "city": scope.city,
                "scope": scope.label,
                "source": source_text(ind, lang),
                "source_date": ind.source.date.isoformat(),
                "quote": ind.source.quote_zh,
                "as_of": indicator_as_of(engine, ind).label(),
            }
        )
    df = pd.DataFrame(rows)
    # Object columns keep whole numbers as ints (97, not 97.0) and missing values as empty cells.
    for col in NUMERIC_COLUMNS:
        df[col] = pd.Series([r[col] for r in rows], dtype=object)
    return df


def _pct(share: float | None) -> float | int | None:
    """A share as a percentage (0.652 -> 65.2): every *_pct column of the contract holds percentages."""
    return plain_number(None if share is None else round(share * 100, 4))


def series_frame(
    engine: Engine, indicator_id: str, filters: Filters, by: str = "month", lang: str = "zh"
) -> pd.DataFrame:
    """The indicator broken down by month or a dimension, with id, unit, period and the place covered."""
    filters = engine.check_filters(filters)
    ind = engine.indicator(indicator_id)
    period = engine.period(filters)
    scope = scope_of(engine, ind, filters, lang)
    df = engine.series(indicator_id, filters, by=by, lang=lang)
    df["value"] = df["value"].map(plain_number).astype(object)
    df.insert(0, "indicator_id", ind.id)
    df.insert(1, "by", by)
    df["unit"] = ind.text("unit", lang)
    df["period_start"] = month_str(period.start)
    df["period_end"] = month_str(period.end)
    df["province"] = scope.province or "all"
    df["city"] = scope.city
    df["scope"] = scope.label
    df["as_of"] = indicator_as_of(engine, ind).label()
    return df

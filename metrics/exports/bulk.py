"""Tables of many indicators at once: all values for the filters, or all indicators by month or a dimension."""

from __future__ import annotations

import pandas as pd

from ..engine import Engine
from ..periods import Filters
from ..tables import series_frame, values_frame


def all_values(engine: Engine, filters: Filters, lang: str = "zh") -> pd.DataFrame:
    """One row per indicator: value, previous period, change, unit, scope, source (metrics.tables.values_frame)."""
    return values_frame(engine, filters, lang)


def all_series(engine: Engine, filters: Filters, by: str = "month", lang: str = "zh") -> pd.DataFrame:
    """Every indicator that can be broken down by `by`, stacked: indicator_id, name, by, key, label, value, ..."""
    frames = []
    for ind in engine.config.indicators:
        if by not in engine.dimensions(ind.id):
            continue
        df = series_frame(engine, ind.id, filters, by=by, lang=lang)
        df.insert(1, "name", ind.text("name", lang))
        frames.append(df)
    if not frames:
        return pd.DataFrame(columns=["indicator_id", "name", "by", "key", "label", "value"])
    return pd.concat(frames, ignore_index=True)

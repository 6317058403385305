"""Tidy frames that charts and downloads are drawn from: monthly by group, flows, task completion by area."""

from __future__ import annotations

import pandas as pd

from .catalog import flow_dimension, splits_by_province
from .engine import Engine
from .i18n import tr
from .periods import Filters
from .reports import Ledger
from .tasks import completed_by_area

MONTHLY_COLUMNS = ["month", "group", "group_label", "value"]
FLOW_COLUMNS = ["from_key", "from_label", "to_key", "to_label", "value"]


def monthly_frame(engine: Engine, indicator_id: str, filters: Filters, lang: str) -> pd.DataFrame:
    """Monthly values, one group per province when the indicator splits by province, else one total line.

    Columns: month, group, group_label, value.
    """
    ind = engine.indicator(indicator_id)
    if splits_by_province(ind):
        x = engine.crosstab(ind.id, "month", "province", filters, lang)
        return x.rename(columns={"key1": "month", "key2": "group", "label2": "group_label"})[MONTHLY_COLUMNS]
    s = engine.series(ind.id, filters, by="month", lang=lang)
    return pd.DataFrame(
        {"month": s["key"], "group": "total", "group_label": tr("word.total", lang), "value": s["value"]}
    )


def flow_frame(engine: Engine, indicator_id: str, filters: Filters, lang: str) -> pd.DataFrame:
    """A flow between the provinces: from_key, from_label, to_key, to_label, value (empty if not a flow)."""
    ind = engine.indicator(indicator_id)
    source = flow_dimension(ind)
    if source is None:
        return pd.DataFrame(columns=FLOW_COLUMNS)
    x = engine.crosstab(ind.id, source, "province", filters, lang)
    x = x[x["value"] > 0]
    return x.rename(columns={"key1": "from_key", "label1": "from_label", "key2": "to_key", "label2": "to_label"})[
        FLOW_COLUMNS
    ].reset_index(drop=True)


def area_progress(
    engine: Engine, filters: Filters, lang: str, plan_id: str | None = None, ledger: Ledger | None = None
) -> pd.DataFrame:
    """Per area: a plan's tasks completed by the period's end out of all its tasks (area_id, area, completed, total,
    share), from the approved reports (the store's since the data version included)."""
    return completed_by_area(engine, engine.period(filters).end, lang, plan_id, ledger)

"""Tidy frames that charts and downloads are drawn from: monthly by group, flows, task completion by area."""

from __future__ import annotations

import pandas as pd

from .catalog import TASKS_COMPLETED, TASKS_TOTAL, flow_dimension, splits_by_province
from .engine import Engine
from .i18n import tr
from .periods import Filters

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


def area_progress(engine: Engine, filters: Filters, lang: str) -> pd.DataFrame:
    """Per area: tasks completed by the period's end out of all tasks (area_id, area, completed, total, share)."""
    done = engine.series(TASKS_COMPLETED, filters, by="area", lang=lang)
    total = engine.series(TASKS_TOTAL, filters, by="area", lang=lang)
    done_by = dict(zip(done["key"], done["value"], strict=True))
    total_by = dict(zip(total["key"], total["value"], strict=True))
    rows = []
    for a in engine.config.areas:
        n = int(total_by.get(a.id, 0))
        c = int(done_by.get(a.id, 0))
        rows.append(
            {"area_id": a.id, "area": a.text("name", lang), "completed": c, "total": n, "share": c / n if n else 0.0}
        )
    return pd.DataFrame(rows)

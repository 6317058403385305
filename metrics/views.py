"""Pure shapes the dashboard pages draw: which indicators a page shows, flows, area progress, definitions.

Everything here goes through the Engine, so the dashboard, the CLI and the exports agree. No streamlit.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from .config import Area, Config, Indicator
from .engine import Engine
from .formatting import format_number
from .periods import Filters, add_months, month_str
from .tables import kind_label

# Dimensions that name the *other* end of a flow whose receiving end is the `province` dimension.
FLOW_SOURCE_DIMENSIONS = ("from_province", "home_province")
# Dimensions drawn by their own charts, so not offered as an "other" breakdown.
PLACE_DIMENSIONS = ("province", "city", *FLOW_SOURCE_DIMENSIONS)
# Derived views read by indicator SQL, mapped to the dataset they come from.
VIEW_DATASETS = {"milestones_monthly": "milestones"}
# The agreement's task indicators (declared in config.yaml) behind the progress figures.
TASKS_TOTAL = "agreement_tasks_total"
TASKS_COMPLETED = "agreement_tasks_completed"
_TABLE_REF = re.compile(r"\b(?:from|join)\s+([a-z_][a-z0-9_]*)", re.IGNORECASE)


def lang_pick(zh: str, en: str, lang: str) -> str:
    """zh or en text by lang."""
    return zh if lang == "zh" else en


def page_areas(config: Config, page: str) -> list[Area]:
    """The agreement areas shown on one area page, in declared order."""
    return [a for a in config.areas if (a.page or a.id) == page]


def page_indicators(config: Config, page: str) -> list[Indicator]:
    """The indicators of the areas on one page, in declared order."""
    ids = {a.id for a in page_areas(config, page)}
    return [i for i in config.indicators if i.area in ids]


def area_pages(config: Config) -> list[str]:
    """The distinct area pages, in the order their first area is declared."""
    return list(dict.fromkeys(a.page or a.id for a in config.areas))


def indicator_datasets(config: Config, ind: Indicator) -> list[str]:
    """The curated datasets an indicator's SQL reads (views mapped to their dataset)."""
    names = [VIEW_DATASETS.get(n.lower(), n.lower()) for n in _TABLE_REF.findall(ind.sql_text())]
    return [n for n in dict.fromkeys(names) if n in config.datasets]


def indicator_as_of(engine: Engine, ind: Indicator) -> str:
    """The latest as-of date among the indicator's datasets, else the data's as-of date."""
    dates = [engine.datasets_as_of.get(d) for d in indicator_datasets(engine.config, ind)]
    known = [d for d in dates if d]
    return max(known) if known else engine.as_of.isoformat()


def illustrative_notes(config: Config, ind: Indicator, lang: str) -> list[str]:
    """What is published and what is illustrative in each dataset behind an indicator."""
    out = []
    for name in indicator_datasets(config, ind):
        ds = config.datasets[name]
        out.append(lang_pick(ds.illustrative_zh, ds.illustrative_en, lang))
    return out


def flow_dimension(ind: Indicator) -> str | None:
    """The dimension naming where a flow comes from, when the indicator is a flow between the provinces."""
    if not ind.by_province or "province" not in ind.dimensions:
        return None
    return next((d for d in FLOW_SOURCE_DIMENSIONS if d in ind.dimensions), None)


def other_dimensions(ind: Indicator) -> list[str]:
    """Declared dimensions that are not places: industry, insurance type, item, batch…"""
    return [d for d in ind.dimensions if d not in PLACE_DIMENSIONS]


def monthly_by_group(engine: Engine, indicator_id: str, filters: Filters, lang: str) -> pd.DataFrame:
    """Monthly values, one group per province when split by province, else one total line.

    Columns: month, group, group_label, value.
    """
    ind = engine.indicator(indicator_id)
    if ind.by_province and "province" in ind.dimensions:
        x = engine.crosstab(ind.id, "month", "province", filters, lang)
        return x.rename(columns={"key1": "month", "key2": "group", "label2": "group_label"})[
            ["month", "group", "group_label", "value"]]
    s = engine.series(ind.id, filters, by="month", lang=lang)
    label = lang_pick("合计", "Total", lang)
    return pd.DataFrame({"month": s["key"], "group": "total", "group_label": label, "value": s["value"]})


def flow_frame(engine: Engine, indicator_id: str, filters: Filters, lang: str) -> pd.DataFrame:
    """A flow between the provinces: from_key, from_label, to_key, to_label, value (empty if not a flow)."""
    ind = engine.indicator(indicator_id)
    source = flow_dimension(ind)
    cols = ["from_key", "from_label", "to_key", "to_label", "value"]
    if source is None:
        return pd.DataFrame(columns=cols)
    x = engine.crosstab(ind.id, source, "province", filters, lang)
    x = x[x["value"] > 0]
    return x.rename(columns={"key1": "from_key", "label1": "from_label", "key2": "to_key",
                             "label2": "to_label"})[cols].reset_index(drop=True)


def area_progress(engine: Engine, filters: Filters, lang: str) -> pd.DataFrame:
    """Per area: tasks completed by the period's end out of all tasks (area_id, area, completed, total, share)."""
    done = engine.series(TASKS_COMPLETED, filters, by="area", lang=lang)
    total = engine.series(TASKS_TOTAL, filters, by="area", lang=lang)
    done_by = dict(zip(done["key"], done["value"]))
    total_by = dict(zip(total["key"], total["value"]))
    rows = []
    for a in engine.config.areas:
        n = int(total_by.get(a.id, 0))
        c = int(done_by.get(a.id, 0))
        rows.append({"area_id": a.id, "area": lang_pick(a.name_zh, a.name_en, lang), "completed": c,
                     "total": n, "share": c / n if n else 0.0})
    return pd.DataFrame(rows)


def month_options(engine: Engine) -> list[str]:
    """Months a user may pick: from the data's (or agreement's) start to the agreement's due month or last data."""
    agreement = engine.config.project.agreement
    first = min(engine.first_month, date(agreement.signed.year, agreement.signed.month, 1))
    last = max(engine.last_month, date(agreement.due.year, agreement.due.month, 1))
    out, m = [], first
    while m <= last:
        out.append(month_str(m))
        m = add_months(m, 1)
    return out


def indicator_definitions(engine: Engine, lang: str) -> pd.DataFrame:
    """One row per indicator: names, area, unit, kind, dimensions, target, source, quote and as-of date."""
    cfg = engine.config
    rows = []
    for ind in cfg.indicators:
        area = cfg.area(ind.area)
        rows.append({
            "indicator_id": ind.id,
            "name_zh": ind.name_zh,
            "name_en": ind.name_en,
            "area": lang_pick(area.name_zh, area.name_en, lang) if area else lang_pick("协议总体", "Agreement", lang),
            "unit": ind.unit(lang),
            "kind": kind_label(ind.kind, lang),
            "dimensions": ", ".join(engine.dimension_name(d, lang) for d in ind.dimensions),
            "by_province": ind.by_province,
            "target": _target_text(ind, lang),
            "source": lang_pick(ind.source.title_zh, ind.source.title_en, lang),
            "source_date": ind.source.date.isoformat(),
            "quote": ind.source.quote_zh,
            "datasets": ", ".join(indicator_datasets(cfg, ind)),
            "as_of": indicator_as_of(engine, ind),
            "description": ind.description(lang),
        })
    return pd.DataFrame(rows)


def _target_text(ind: Indicator, lang: str) -> str:
    if ind.target is None:
        return ""
    value = format_number(ind.target.value, lang, ind.format)
    return f"{value} {ind.unit(lang)} ({ind.target.due.isoformat()})"


def dataset_contracts(engine: Engine, lang: str) -> pd.DataFrame:
    """One row per dataset: title, file, description, key, as-of column and date, published vs illustrative."""
    rows = []
    for name, ds in engine.config.datasets.items():
        rows.append({
            "dataset": name,
            "title": lang_pick(ds.title_zh, ds.title_en, lang),
            "file": ds.file,
            "description": lang_pick(ds.description_zh, ds.description_en, lang),
            "primary_key": ", ".join(ds.primary_key),
            "as_of_column": ds.as_of_column or "",
            "as_of": engine.datasets_as_of.get(name) or "",
            "illustrative": lang_pick(ds.illustrative_zh, ds.illustrative_en, lang),
        })
    return pd.DataFrame(rows)


def dataset_columns(config: Config, dataset: str, lang: str) -> pd.DataFrame:
    """One dataset's column contract: name, label, type, required, allowed values, reference, range."""
    ds = config.datasets[dataset]
    rows = []
    for c in ds.columns:
        rows.append({
            "column": c.name,
            "label": lang_pick(c.name_zh, c.name_en, lang),
            "type": c.type,
            "required": c.required,
            "allowed": ", ".join(c.allowed) if c.allowed else "",
            "references": c.references or "",
            "min": "" if c.min is None else str(c.min),
            "max": "" if c.max is None else str(c.max),
        })
    return pd.DataFrame(rows)


def filter_tasks(tasks: pd.DataFrame, areas: list[str] | None = None, leads: list[str] | None = None,
                 statuses: list[str] | None = None, overdue_only: bool = False) -> pd.DataFrame:
    """The rows of tasks.task_table matching the chosen areas, lead parties and statuses (empty list = all)."""
    keep = pd.Series(True, index=tasks.index)
    if areas:
        keep &= tasks["area_id"].isin(areas)
    if leads:
        keep &= tasks["lead_party"].isin(leads)
    if statuses:
        keep &= tasks["status"].isin(statuses)
    if overdue_only:
        keep &= tasks["overdue"]
    return tasks[keep].reset_index(drop=True)


def indicator_groups(config: Config, lang: str) -> list[tuple[str, str]]:
    """(area id, area name) for every area that has indicators, the agreement-wide ones first."""
    used = {i.area for i in config.indicators}
    groups = [("agreement", lang_pick("协议总体", "The agreement as a whole", lang))] if "agreement" in used else []
    return groups + [(a.id, lang_pick(a.name_zh, a.name_en, lang)) for a in config.areas if a.id in used]

"""Tidy tables of indicator values and series, shared by the CLI, the exports and the dashboard."""

from __future__ import annotations

import pandas as pd

from .engine import Engine
from .formatting import plain_number
from .i18n import pick
from .periods import Filters, month_str

# Machine column id -> (zh header, en header).
HEADERS: dict[str, tuple[str, str]] = {
    "indicator_id": ("指标代码", "Indicator id"),
    "name": ("指标", "Indicator"),
    "area": ("方面", "Area"),
    "kind": ("汇总方式", "Aggregation"),
    "value": ("数值", "Value"),
    "unit": ("单位", "Unit"),
    "previous_value": ("上期数值", "Previous period"),
    "delta": ("变化", "Change"),
    "delta_pct": ("变化率", "Change (%)"),
    "period_start": ("起始月份", "From"),
    "period_end": ("截止月份", "To"),
    "province": ("省市", "Province"),
    "scope": ("范围", "Scope"),
    "target": ("目标值", "Target"),
    "target_due": ("目标期限", "Target due"),
    "source": ("来源", "Source"),
    "source_date": ("来源日期", "Source date"),
    "quote": ("原文", "Quote"),
    "as_of": ("数据截至", "Data as of"),
    "by": ("分组维度", "Breakdown"),
    "key": ("分组代码", "Key"),
    "label": ("分组", "Group"),
}

NUMERIC_COLUMNS = ("value", "previous_value", "delta", "delta_pct", "target")

KIND_LABELS = {
    "flow": ("流量(期间合计)", "flow (sum over period)"),
    "stock": ("存量(期末值)", "stock (period-end value)"),
    "distinct_count": ("去重计数", "distinct count"),
    "ratio": ("比率(合计之比)", "ratio (of sums)"),
}


def kind_label(kind: str, lang: str) -> str:
    """How an aggregation kind reads to a person."""
    return pick(KIND_LABELS[kind], lang)


def province_label(engine: Engine, province: str | None, lang: str) -> str:
    """'四川' / 'Sichuan', or 'both' when no province is chosen."""
    if province is None:
        return "川渝两地" if lang == "zh" else "Both"
    p = engine.config.provinces[province]
    return p.name_zh if lang == "zh" else p.name_en


def values_frame(engine: Engine, filters: Filters, lang: str = "zh", ids: list[str] | None = None) -> pd.DataFrame:
    """One row per indicator with value, previous value, delta, unit, period, scope and source."""
    rows = []
    for v in engine.values(filters, ids):
        ind = engine.indicator(v.indicator_id)
        area = engine.config.area(ind.area)
        if v.province_applied:
            scope = province_label(engine, filters.province, lang)
        elif filters.province and not ind.by_province:
            scope = "不分省市(两地合计)" if lang == "zh" else "not split by province (both)"
        else:
            scope = province_label(engine, None, lang)
        rows.append({
            "indicator_id": ind.id,
            "name": ind.name(lang),
            "area": (area.name_zh if lang == "zh" else area.name_en) if area else
                    ("协议总体" if lang == "zh" else "Agreement"),
            "kind": ind.kind,
            "value": plain_number(v.value),
            "unit": ind.unit(lang),
            "previous_value": plain_number(v.previous),
            "delta": plain_number(v.delta),
            "delta_pct": plain_number(v.delta_pct),
            "period_start": month_str(v.period.start),
            "period_end": month_str(v.period.end),
            "province": filters.province or "all",
            "scope": scope,
            "target": plain_number(ind.target.value) if ind.target else None,
            "target_due": ind.target.due.isoformat() if ind.target else None,
            "source": ind.source.title_zh if lang == "zh" else ind.source.title_en,
            "source_date": ind.source.date.isoformat(),
            "quote": ind.source.quote_zh,
            "as_of": engine.as_of.isoformat(),
        })
    df = pd.DataFrame(rows)
    # Object columns keep whole numbers as ints (97, not 97.0) and missing values as empty cells.
    for col in NUMERIC_COLUMNS:
        df[col] = pd.Series([r[col] for r in rows], dtype=object)
    return df


def series_frame(engine: Engine, indicator_id: str, filters: Filters, by: str = "month",
                 lang: str = "zh") -> pd.DataFrame:
    """The indicator broken down by month or a dimension, with id, unit and period columns."""
    ind = engine.indicator(indicator_id)
    period = engine.period(filters)
    df = engine.series(indicator_id, filters, by=by, lang=lang)
    df["value"] = df["value"].map(plain_number).astype(object)
    df.insert(0, "indicator_id", ind.id)
    df.insert(1, "by", by)
    df["unit"] = ind.unit(lang)
    df["period_start"] = month_str(period.start)
    df["period_end"] = month_str(period.end)
    df["province"] = filters.province or "all"
    df["as_of"] = engine.as_of.isoformat()
    return df


def localise_headers(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Rename machine column ids to zh or en headers."""
    idx = 0 if lang == "zh" else 1
    return df.rename(columns={c: HEADERS[c][idx] for c in df.columns if c in HEADERS})

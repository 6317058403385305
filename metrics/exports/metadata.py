"""Provenance shared by every export: filters, as-of, generation time, sample note, indicator definitions."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from ..engine import Engine
from ..formatting import plain_number
from ..periods import Filters
from ..tables import kind_label, province_label


def city_label(engine: Engine, city: str | None, lang: str) -> str:
    """A city's display name, or 'all' in lang."""
    if city is None:
        return "全部" if lang == "zh" else "All"
    return engine.labels("city", lang).get(city, city)


def filters_text(engine: Engine, filters: Filters, lang: str) -> list[tuple[str, str]]:
    """The filters as (label, value) pairs: period, province, city."""
    zh = lang == "zh"
    return [
        ("期间" if zh else "Period", engine.period(filters).label()),
        ("省市" if zh else "Province", province_label(engine, filters.province, lang)),
        ("市(州)/区县" if zh else "City / district", city_label(engine, filters.city, lang)),
    ]


def sample_note(engine: Engine, lang: str) -> str | None:
    """The sample-data note when the project runs on sample data, else None."""
    p = engine.config.project
    if not p.sample_data:
        return None
    return p.sample_note_zh if lang == "zh" else p.sample_note_en


def metadata_rows(engine: Engine, *, filters: Filters, lang: str, generated: datetime) -> list[tuple[str, str]]:
    """(label, value) rows for a metadata sheet: project, filters, as-of, generated time, sample note."""
    zh = lang == "zh"
    p = engine.config.project
    rows = [("项目" if zh else "Project", p.title_zh if zh else p.title_en)]
    rows += filters_text(engine, filters, lang)
    rows += [
        ("数据截至" if zh else "Data as of", engine.as_of.isoformat()),
        ("生成时间" if zh else "Generated at", generated.isoformat(timespec="seconds")),
        ("语言" if zh else "Language", "中文" if zh else "English"),
    ]
    note = sample_note(engine, lang)
    if note:
        rows.append(("示例数据说明" if zh else "Sample data", note))
    return rows


DEFINITION_HEADERS = {
    "indicator_id": ("指标代码", "Indicator id"),
    "name": ("指标", "Indicator"),
    "area": ("方面", "Area"),
    "unit": ("单位", "Unit"),
    "kind": ("汇总方式", "Aggregation"),
    "description": ("定义", "Definition"),
    "source": ("来源", "Source"),
    "source_date": ("来源日期", "Source date"),
    "quote": ("原文(中文)", "Quote (original Chinese)"),
    "target": ("目标值", "Target"),
    "target_due": ("目标期限", "Target due"),
}


def definitions_frame(engine: Engine, indicator_ids: list[str], lang: str) -> pd.DataFrame:
    """One row per indicator: id, name, area, unit, aggregation, definition, source, date, quote, target."""
    rows = []
    for ind_id in indicator_ids:
        ind = engine.indicator(ind_id)
        area = engine.config.area(ind.area)
        rows.append({
            "indicator_id": ind.id,
            "name": ind.name(lang),
            "area": (area.name_zh if lang == "zh" else area.name_en) if area else
                    ("协议总体" if lang == "zh" else "Agreement"),
            "unit": ind.unit(lang),
            "kind": kind_label(ind.kind, lang),
            "description": ind.description(lang),
            "source": ind.source.title_zh if lang == "zh" else ind.source.title_en,
            "source_date": ind.source.date.isoformat(),
            "quote": ind.source.quote_zh,
            "target": plain_number(ind.target.value) if ind.target else None,
            "target_due": ind.target.due.isoformat() if ind.target else None,
        })
    idx = 0 if lang == "zh" else 1
    df = pd.DataFrame(rows, columns=list(DEFINITION_HEADERS))
    return df.rename(columns={k: v[idx] for k, v in DEFINITION_HEADERS.items()})

"""Definitions generated from config.yaml: every indicator (for the Definitions page and XLSX About sheets)
and every dataset's contract."""

from __future__ import annotations

import pandas as pd

from .catalog import area_name, indicator_datasets
from .config import Config, Indicator
from .engine import Engine
from .formatting import format_number, plain_number
from .i18n import paren, tr
from .provenance import indicator_as_of, source_text
from .tables import kind_label


def target_text(ind: Indicator, lang: str) -> str:
    """'1000 人 (2025-12-31)', or '' when there is no target."""
    if ind.target is None:
        return ""
    value = format_number(ind.target.value, lang, ind.format)
    return f"{value} {ind.text('unit', lang)}{paren(ind.target.due.isoformat(), lang)}"


def indicator_definitions(engine: Engine, lang: str, ids: list[str] | None = None) -> pd.DataFrame:
    """One row per indicator (or those in ids): names, area, unit, kind, dimensions, target, source, as-of."""
    cfg = engine.config
    wanted = [engine.indicator(i) for i in ids] if ids is not None else cfg.indicators
    rows = []
    for ind in wanted:
        rows.append(
            {
                "indicator_id": ind.id,
                "name": ind.text("name", lang),
                "name_zh": ind.name_zh,
                "name_en": ind.name_en,
                "area": area_name(cfg, ind.area, lang),
                "unit": ind.text("unit", lang),
                "kind": kind_label(ind.kind, lang),
                "dimensions": ", ".join(engine.dimension_name(d, lang) for d in ind.dimensions),
                "by_province": ind.by_province,
                "target": plain_number(ind.target.value) if ind.target else None,
                "target_due": ind.target.due.isoformat() if ind.target else None,
                "target_text": target_text(ind, lang),
                "source": source_text(ind, lang),
                "source_date": ind.source.date.isoformat(),
                "quote": ind.source.quote_zh,
                "datasets": ", ".join(indicator_datasets(cfg, ind)),
                "as_of": indicator_as_of(engine, ind).label(),
                "description": ind.text("description", lang),
            }
        )
    return pd.DataFrame(rows)


def dataset_contracts(engine: Engine, lang: str) -> pd.DataFrame:
    """One row per dataset: title, file, description, key, as-of column and date, published vs illustrative."""
    rows = []
    for name, ds in engine.config.datasets.items():
        rows.append(
            {
                "dataset": name,
                "title": ds.text("title", lang),
                "file": ds.file,
                "description": ds.text("description", lang),
                "primary_key": ", ".join(ds.primary_key),
                "as_of_column": ds.as_of_column or "",
                "as_of": engine.datasets_as_of.get(name) or "",
                "illustrative": ds.text("illustrative", lang),
            }
        )
    return pd.DataFrame(rows)


def dataset_columns(config: Config, dataset: str, lang: str) -> pd.DataFrame:
    """One dataset's column contract: name, display name, type, required, allowed values, reference, range."""
    ds = config.datasets[dataset]
    rows = []
    for c in ds.columns:
        rows.append(
            {
                "column": c.name,
                "display_name": c.text("name", lang),
                "type": tr(f"type.{c.type}", lang),
                "required": c.required,
                "allowed": ", ".join(c.allowed) if c.allowed else "",
                "references": c.references or "",
                "min": "" if c.min is None else str(c.min),
                "max": "" if c.max is None else str(c.max),
            }
        )
    return pd.DataFrame(rows)

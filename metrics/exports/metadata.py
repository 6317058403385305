"""Provenance shared by every export: filters, as-of, generation time, sample note, indicator definitions."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from ..columns import localise_headers
from ..definitions import indicator_definitions
from ..engine import Engine
from ..i18n import tr
from ..periods import Filters
from ..provenance import city_name, data_as_of, local_time_text, province_name

# The definition columns an About sheet carries, in order.
DEFINITION_COLUMNS = [
    "indicator_id",
    "name",
    "area",
    "unit",
    "kind",
    "description",
    "source",
    "quote",
    "target",
    "target_due",
    "as_of",
]


def filters_text(engine: Engine, filters: Filters, lang: str) -> list[tuple[str, str]]:
    """The filters as (label, value) pairs: period, province, city."""
    return [
        (tr("word.period", lang), engine.period(filters).label()),
        (tr("word.province", lang), province_name(engine.config, filters.province, lang)),
        (tr("word.city", lang), city_name(engine, filters.city, lang)),
    ]


def sample_note(engine: Engine, lang: str) -> str | None:
    """The sample-data note when the project runs on sample data, else None."""
    p = engine.config.project
    return p.text("sample_note", lang) if p.sample_data else None


def metadata_rows(engine: Engine, *, filters: Filters, lang: str, generated: datetime) -> list[tuple[str, str]]:
    """(label, value) rows for a metadata sheet: project, filters, as-of, local generation time, sample note."""
    rows = [(tr("meta.project", lang), engine.config.project.text("title", lang))]
    rows += filters_text(engine, filters, lang)
    rows += [
        (tr("word.as_of", lang), data_as_of(engine).label()),
        (tr("meta.generated", lang), local_time_text(generated, engine.config)),
        (tr("meta.language", lang), tr("meta.language_name", lang)),
    ]
    note = sample_note(engine, lang)
    if note:
        rows.append((tr("meta.sample_data", lang), note))
    return rows


def definitions_frame(engine: Engine, indicator_ids: list[str], lang: str) -> pd.DataFrame:
    """One row per indicator for an About sheet, with headers in lang."""
    return localise_headers(indicator_definitions(engine, lang, indicator_ids)[DEFINITION_COLUMNS], engine.config, lang)

"""Which indicators belong where: pages and areas, the datasets behind each indicator, its kinds of breakdown."""

from __future__ import annotations

import re

from .config import Area, Config, Indicator
from .i18n import tr

# Dimensions that name the *other* end of a flow whose receiving end is the `province` dimension.
FLOW_SOURCE_DIMENSIONS = ("from_province", "home_province")
# Dimensions drawn by their own charts, so not offered as an "other" breakdown.
PLACE_DIMENSIONS = ("province", "city", *FLOW_SOURCE_DIMENSIONS)
# Derived views read by indicator SQL, mapped to the dataset they come from.
VIEW_DATASETS = {"milestones_monthly": "milestones"}
# The agreement's task indicators (declared in config.yaml) behind the progress figures.
TASKS_TOTAL = "agreement_tasks_total"
TASKS_COMPLETED = "agreement_tasks_completed"
AGREEMENT_AREA = "agreement"  # the pseudo-area of indicators about the agreement as a whole
_TABLE_REF = re.compile(r"\b(?:from|join)\s+([a-z_][a-z0-9_]*)", re.IGNORECASE)


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


def area_name(config: Config, area_id: str, lang: str) -> str:
    """An area's name, or 'the agreement as a whole' for the agreement-wide indicators."""
    area = config.area(area_id)
    return area.text("name", lang) if area else tr("word.agreement", lang)


def indicator_groups(config: Config, lang: str) -> list[tuple[str, str]]:
    """(area id, area name) for every area that has indicators, the agreement-wide ones first."""
    used = {i.area for i in config.indicators}
    ids = ([AGREEMENT_AREA] if AGREEMENT_AREA in used else []) + [a.id for a in config.areas if a.id in used]
    return [(a, area_name(config, a, lang)) for a in ids]


def indicator_datasets(config: Config, ind: Indicator) -> list[str]:
    """The curated datasets an indicator's SQL reads (views mapped to their dataset)."""
    names = [VIEW_DATASETS.get(n.lower(), n.lower()) for n in _TABLE_REF.findall(ind.sql_text())]
    return [n for n in dict.fromkeys(names) if n in config.datasets]


def illustrative_notes(config: Config, ind: Indicator, lang: str) -> list[str]:
    """What is published and what is illustrative in each dataset behind an indicator (sample data only)."""
    if not config.project.sample_data:
        return []
    return [config.datasets[name].text("illustrative", lang) for name in indicator_datasets(config, ind)]


def flow_dimension(ind: Indicator) -> str | None:
    """The dimension naming where a flow comes from, when the indicator is a flow between the provinces."""
    if not ind.by_province or "province" not in ind.dimensions:
        return None
    return next((d for d in FLOW_SOURCE_DIMENSIONS if d in ind.dimensions), None)


def other_dimensions(ind: Indicator) -> list[str]:
    """Declared dimensions that are not places: industry, insurance type, item, batch…"""
    return [d for d in ind.dimensions if d not in PLACE_DIMENSIONS]


def splits_by_province(ind: Indicator) -> bool:
    """True when the indicator has a value per province (a Sichuan vs Chongqing comparison makes sense)."""
    return ind.by_province and "province" in ind.dimensions

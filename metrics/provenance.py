"""What every number says about itself, defined once: its as-of date, the place it covers, its source, its time.

Cards, tables, charts, CSV/XLSX, images, slides and the CLI all call these functions, so they never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from .catalog import indicator_datasets
from .config import Config, Indicator
from .engine import Engine
from .i18n import paren, tr
from .periods import Filters, month_str


# -- as-of ------------------------------------------------------------------------------------------
@dataclass(frozen=True, order=True)
class AsOf:
    """How recent the data is: a day (tasks updated on 2023-08-29) or a month (monthly data up to 2023-08)."""

    date: date
    monthly: bool = False

    def label(self) -> str:
        """'2023-08-29', or '2023-08' for monthly data (a month's first day is not its as-of date)."""
        return month_str(self.date) if self.monthly else self.date.isoformat()


def dataset_as_of(engine: Engine, dataset: str) -> AsOf | None:
    """A dataset's as-of: the latest value of its as-of column, as a month when that column holds months."""
    text = engine.datasets_as_of.get(dataset)
    if not text:
        return None
    ds = engine.config.datasets[dataset]
    monthly = ds.as_of_column is not None and ds.column(ds.as_of_column).type == "month"
    return AsOf(date.fromisoformat(text), monthly)


def data_as_of(engine: Engine) -> AsOf:
    """The data version's as-of: the most recent of every dataset's (the sidebar, file names, deck title)."""
    found = [a for a in (dataset_as_of(engine, d) for d in engine.config.datasets) if a is not None]
    # On the same date a day is more precise than a month's first day.
    return max(found, key=lambda a: (a.date, not a.monthly)) if found else AsOf(engine.as_of)


def indicator_as_of(engine: Engine, ind: Indicator) -> AsOf:
    """An indicator's as-of: the most recent as-of of the datasets it reads."""
    found = [a for a in (dataset_as_of(engine, d) for d in indicator_datasets(engine.config, ind)) if a]
    return max(found, key=lambda a: (a.date, not a.monthly)) if found else data_as_of(engine)


# -- scope --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scope:
    """The place a value covers: a province and city id (None = not narrowed) and how to say it."""

    province: str | None
    city: str | None
    label: str
    as_chosen: bool  # False when the value covers other places than the user chose (e.g. not split by city)


def scope_of(engine: Engine, ind: Indicator, filters: Filters, lang: str) -> Scope:
    """Where an indicator's value for these filters comes from, in words ('成都', '四川(不分城市)', ...)."""
    cfg = engine.config
    if filters.city and "city" in ind.dimensions:
        return Scope(filters.province, filters.city, engine.labels("city", lang).get(filters.city, filters.city), True)
    if filters.province and not ind.by_province:
        return Scope(None, None, tr("scope.not_split_by_province", lang), False)
    if filters.province:
        name = province_name(cfg, filters.province, lang)
        if filters.city:
            return Scope(filters.province, None, tr("scope.not_split_by_city", lang, province=name), False)
        return Scope(filters.province, None, name, True)
    if ind.places and len(ind.places) == 1:
        return Scope(ind.places[0], None, province_name(cfg, ind.places[0], lang), True)
    return Scope(None, None, tr("word.both", lang), True)


def province_name(config: Config, province: str | None, lang: str) -> str:
    """'四川' / 'Sichuan', or 'both' when no province is chosen."""
    return config.provinces[province].text("name", lang) if province else tr("word.both", lang)


def city_name(engine: Engine, city: str | None, lang: str) -> str:
    """A city's display name, or 'all' in lang."""
    return engine.labels("city", lang).get(city, city) if city else tr("word.all", lang)


# -- sources and time ---------------------------------------------------------------------------------
def source_text(ind: Indicator, lang: str) -> str:
    """'<source title> (<date>)' in lang."""
    return f"{ind.source.text('title', lang)}{paren(ind.source.date.isoformat(), lang)}"


def tasks_source(config: Config, lang: str) -> str:
    """The tasks dataset's title: the source of every task figure."""
    ds = config.datasets.get("tasks")
    return ds.text("title", lang) if ds else ""


def local_now(config: Config) -> datetime:
    """Now, in the project's time zone (Asia/Shanghai by default): what people read on slides and sheets."""
    return datetime.now(ZoneInfo(config.project.timezone))


def local_time_text(moment: datetime, config: Config) -> str:
    """'2026-11-29 14:02 (Asia/Shanghai)': a moment in the project's zone, to the minute."""
    zone = config.project.timezone
    return f"{moment.astimezone(ZoneInfo(zone)).strftime('%Y-%m-%d %H:%M')} ({zone})"

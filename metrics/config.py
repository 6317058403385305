"""The single declaration: load and validate config.yaml into typed models."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .i18n import localized, norm_lang

# libyaml's safe loader is several times faster than the pure-Python one; same safety.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG = PROJECT_ROOT / "config.yaml"
SQL_DIR = Path(__file__).resolve().parent / "sql"

IDENT = r"^[a-z][a-z0-9_]{0,62}$"
Ident = Annotated[str, Field(pattern=IDENT)]
Kind = Literal["flow", "stock", "distinct_count", "ratio"]
ColumnType = Literal["string", "integer", "number", "date", "month"]

# Columns every indicator query yields besides its declared dimensions.
STANDARD_COLUMNS = ("month", "province", "city")
MEASURE_COLUMNS: dict[str, tuple[str, ...]] = {
    "flow": ("value",),
    "stock": ("value",),
    "distinct_count": ("entity",),
    "ratio": ("num", "den"),
}


@lru_cache(maxsize=512)
def _read_sql(path: Path) -> str:
    # SQL files only change with a deploy; pages ask for them on every run (definitions, exports).
    return path.read_text(encoding="utf-8")


class ConfigError(ValueError):
    """config.yaml is malformed; the message names the key."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(Strict):
    """A model with bilingual fields named <field>_zh and <field>_en."""

    def text(self, field: str, lang: str) -> str:
        """The field in lang (e.g. text("name", "en") reads name_en)."""
        return localized(self, field, lang)


class Label(Strict):
    zh: str
    en: str

    def text(self, lang: str) -> str:
        """The label in lang."""
        return str(getattr(self, norm_lang(lang)))


class Province(Localized):
    name_zh: str
    name_en: str
    color: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")


class Area(Localized):
    id: Ident
    name_zh: str
    name_en: str
    page: str | None = None


class Column(Localized):
    name: Ident
    name_zh: str
    name_en: str
    type: ColumnType
    required: bool = True
    allowed: list[str] | None = None
    references: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$|^areas$")
    min: float | date | None = None
    max: float | date | None = None
    unique: bool = False


class Dataset(Localized):
    file: str
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    illustrative_zh: str
    illustrative_en: str
    published_figures: list[str] = []
    primary_key: list[Ident]
    as_of_column: Ident | None = None
    columns: list[Column]

    @model_validator(mode="after")
    def _keys_are_columns(self) -> Dataset:
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError("duplicate column names")
        for k in self.primary_key:
            if k not in names:
                raise ValueError(f"primary_key column {k!r} is not a declared column")
        if self.as_of_column and self.as_of_column not in names:
            raise ValueError(f"as_of_column {self.as_of_column!r} is not a declared column")
        return self

    def column(self, name: str) -> Column:
        """The column called name."""
        return next(c for c in self.columns if c.name == name)


class Lookup(Strict):
    dataset: Ident
    key: Ident
    zh: Ident
    en: Ident


class Dimension(Localized):
    name_zh: str
    name_en: str
    labels: dict[str, Label] | None = None
    labels_from: Literal["areas", "provinces"] | None = None
    lookup: Lookup | None = None
    ordered: bool = False  # values have an order of their own (batches): sort by key, not by value


class View(Strict):
    name: Ident
    sql_file: str
    description: str


class Source(Localized):
    title_zh: str
    title_en: str
    date: date
    quote_zh: str
    figure_id: str | None = None


class Target(Localized):
    """A goal: value by due, counted since start (cumulative) or within each calendar year (annual)."""

    value: float = Field(gt=0)
    due: date
    start: date | None = None  # default: the agreement's signing
    basis: Literal["cumulative", "annual"] = "cumulative"
    direction: Literal["higher", "lower"] = "higher"
    illustrative: bool = False
    note_zh: str | None = None
    note_en: str | None = None


class Indicator(Localized):
    id: Ident
    name_zh: str
    name_en: str
    short_name_zh: str | None = None  # where space is tight (tiles, phone); the full name is in the tooltip
    short_name_en: str | None = None
    area: Ident
    unit_zh: str
    unit_en: str
    kind: Kind
    sql: str | None = None
    sql_file: str | None = None
    dimensions: list[Ident] = []
    by_province: bool = True
    format: Literal["integer", "percent", "decimal"] = "integer"
    places: list[Ident] | None = None  # the provinces the data covers, when not all of them
    headline: int | None = None
    target: Target | None = None
    source: Source
    description_zh: str
    description_en: str

    def short_name(self, lang: str) -> str:
        """The short display name in lang, or the full name when none is declared."""
        return (
            localized(self, "short_name", lang)
            if self.short_name_zh and self.short_name_en
            else self.text("name", lang)
        )

    @model_validator(mode="after")
    def _one_sql(self) -> Indicator:
        if self.sql and self.sql_file:
            raise ValueError("give either sql or sql_file, not both")
        return self

    def sql_path(self) -> Path:
        """Where this indicator's SQL file lives (metrics/sql/<id>.sql unless sql_file says otherwise)."""
        return SQL_DIR / (self.sql_file or f"{self.id}.sql")

    def sql_text(self) -> str:
        """The indicator's base SELECT, inline or from its file."""
        return self.sql if self.sql else _read_sql(self.sql_path())


class StatusRule(Strict):
    """The one method behind red/amber/green (stated in words by metrics.status.method_text)."""

    amber_points: float = Field(default=10, ge=0, le=100)  # how far behind 序时进度 is still amber


class Reporting(Strict):
    """Progress reporting (填报): the default plan, the cycle, the deadline and what "today" is."""

    default_plan: Ident = "agreement"  # the plan every page, chart, export and command shows unless told otherwise
    cycle: Literal["monthly", "quarterly"] = "monthly"  # a period is a month, or a quarter named by its last month
    deadline_day: int = Field(default=25, ge=1, le=28)  # reports for a period are due by this day of its last month
    # "data": today is the data's as-of date (the shipped sample stands still on 2023-08-29); "calendar": the clock.
    clock: Literal["data", "calendar"] = "data"
    parties: list[Ident] = ["ministry", "sichuan", "chongqing"]  # who reports (lead_party values)
    # The joint meeting's last sitting: the meeting pack and the brief list tasks completed after it. Unset, the
    # last meeting is taken to be the end of the period before the current one (a meeting hears each period).
    last_meeting: date | None = None


class Agreement(Localized):
    name_zh: str
    name_en: str
    signed: date
    due: date


class Project(Localized):
    title_zh: str
    title_en: str
    period_start: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    data_dir: str = "data"
    sample_data: bool = True
    sample_note_zh: str
    sample_note_en: str
    timezone: str = "Asia/Shanghai"  # times on slides, sheets and screens are local to the users
    issuing_body_zh: str = ""  # who issues the brief (简报)
    issuing_body_en: str = ""
    agreement: Agreement

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {v!r} (an IANA name such as Asia/Shanghai)") from None
        return v


class Config(Strict):
    version: Literal[1]
    project: Project
    provinces: dict[Ident, Province]
    areas: list[Area]
    dimensions: dict[Ident, Dimension]
    datasets: dict[Ident, Dataset]
    views: list[View] = []
    status: StatusRule = StatusRule()
    reporting: Reporting = Reporting()
    indicators: list[Indicator]

    @field_validator("indicators")
    @classmethod
    def _unique_ids(cls, v: list[Indicator]) -> list[Indicator]:
        seen: set[str] = set()
        for ind in v:
            if ind.id in seen:
                raise ValueError(f"duplicate indicator id {ind.id!r}")
            seen.add(ind.id)
        return v

    @model_validator(mode="after")
    def _cross_references(self) -> Config:
        area_ids = {a.id for a in self.areas} | {"agreement"}
        for i, ind in enumerate(self.indicators):
            where = f"indicators[{i}] ({ind.id})"
            if ind.area not in area_ids:
                raise ValueError(f"{where}.area: unknown area {ind.area!r}")
            for d in ind.dimensions:
                if d not in self.dimensions:
                    raise ValueError(f"{where}.dimensions: unknown dimension {d!r}")
            for p in ind.places or []:
                if p not in self.provinces:
                    raise ValueError(f"{where}.places: unknown province {p!r}")
            if not ind.sql and not ind.sql_path().is_file():
                raise ValueError(f"{where}.sql_file: missing SQL file {ind.sql_path()}")
        for name, ds in self.datasets.items():
            for c in ds.columns:
                if c.references and c.references != "areas":
                    ref_ds, ref_col = c.references.split(".")
                    if ref_ds not in self.datasets or ref_col not in [x.name for x in self.datasets[ref_ds].columns]:
                        raise ValueError(f"datasets.{name}.columns.{c.name}.references: unknown {c.references!r}")
        for dname, dim in self.dimensions.items():
            if dim.lookup and dim.lookup.dataset not in self.datasets:
                raise ValueError(f"dimensions.{dname}.lookup.dataset: unknown dataset {dim.lookup.dataset!r}")
        for v in self.views:
            if not (SQL_DIR / v.sql_file).is_file():
                raise ValueError(f"views ({v.name}).sql_file: missing SQL file {SQL_DIR / v.sql_file}")
        return self

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id; KeyError if unknown."""
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    def province_ids(self) -> list[str]:
        """The declared provinces, in order."""
        return list(self.provinces)

    def area(self, area_id: str) -> Area | None:
        """The area with this id, or None for the agreement-wide pseudo-area."""
        return next((a for a in self.areas if a.id == area_id), None)

    def headline_indicators(self) -> list[Indicator]:
        """Indicators shown as KPI cards, in their declared order."""
        return sorted((i for i in self.indicators if i.headline), key=lambda i: i.headline or 0)


def _describe_loc(raw: dict, loc: tuple) -> str:
    parts: list[str] = []
    node: object = raw
    for item in loc:
        if isinstance(item, int):
            label = f"[{item}]"
            if isinstance(node, list) and item < len(node) and isinstance(node[item], dict):
                ident = node[item].get("id") or node[item].get("name")
                if ident:
                    label += f" ({ident})"
            parts.append(label)
            node = node[item] if isinstance(node, list) and item < len(node) else None
        else:
            parts.append(("." if parts else "") + str(item))
            node = node.get(item) if isinstance(node, dict) else None
    return "".join(parts)


def load_config(path: Path | str = DEFAULT_CONFIG) -> Config:
    """Read and validate the config; raise ConfigError naming the bad key."""
    path = Path(path)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except FileNotFoundError as e:
        raise ConfigError(f"{path}: file not found") from e
    except yaml.YAMLError as e:
        raise ConfigError(f"{path}: not valid YAML: {e}") from e
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: the top level must be a mapping")
    # Top-level keys starting with "x-" only hold YAML anchors for reuse.
    raw = {k: v for k, v in raw.items() if not str(k).startswith("x-")}
    try:
        return Config.model_validate(raw)
    except ValidationError as e:
        lines = []
        for err in e.errors():
            where = _describe_loc(raw, tuple(err["loc"])) or "(top level)"
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown key"
            lines.append(f"{path.name}: {where}: {msg}")
        raise ConfigError("\n".join(lines)) from None


def is_identifier(name: str) -> bool:
    """True when name is safe to use as a SQL identifier."""
    return re.match(IDENT, name) is not None

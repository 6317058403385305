"""File names that say what is inside: the subject, the filters and the as-of date."""

from __future__ import annotations

import re

from ..engine import Engine
from ..periods import Filters, month_str
from ..provenance import data_as_of

# Anything but letters (any script), digits, '-' and '_' becomes '-': no path separators, no shell surprises.
_UNSAFE = re.compile(r"[^\w\-]+", re.UNICODE)


def slug(text: str, limit: int = 60) -> str:
    """A file-name-safe form of text (Chinese kept), at most limit characters."""
    out = _UNSAFE.sub("-", text.strip()).strip("-_")
    return out[:limit].rstrip("-_") or "export"


def filters_slug(engine: Engine, filters: Filters) -> str:
    """'2021-01_2023-08_all' or '2023-01_2023-06_sichuan_<city>': the resolved period, province and city."""
    period = engine.period(filters)
    parts = [month_str(period.start), month_str(period.end), filters.province or "all"]
    if filters.city:
        parts.append(slug(filters.city, 30))
    return "_".join(parts)


def export_name(engine: Engine, name: str, filters: Filters, ext: str, lang: str | None = None) -> str:
    """'<name>_<from>_<to>_<province>[_<city>][_<lang>]_asof-<date>.<ext>'."""
    parts = [slug(name), filters_slug(engine, filters)]
    if lang:
        parts.append(lang)
    parts.append(f"asof-{data_as_of(engine).label()}")
    return "_".join(parts) + "." + ext.lstrip(".")

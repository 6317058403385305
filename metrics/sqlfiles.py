"""SQL templates kept in .sql files; only validated config identifiers are ever spliced in."""

from __future__ import annotations

from functools import cache

from .config import SQL_DIR, is_identifier

AGGREGATES = {
    "flow": "sum(value)",
    "stock": "sum(value)",
    "distinct_count": "count(distinct entity)",
    "ratio": "sum(num) / nullif(sum(den), 0)",
}


@cache
def template(name: str) -> str:
    """The text of metrics/sql/query/<name>.sql."""
    return (SQL_DIR / "query" / f"{name}.sql").read_text(encoding="utf-8")


def ident(name: str) -> str:
    """Quote a config identifier for SQL; refuse anything that is not a plain identifier."""
    if not is_identifier(name):
        raise ValueError(f"not a safe identifier: {name!r}")
    return f'"{name}"'


def indicator_table(indicator_id: str) -> str:
    """The quoted name of an indicator's pre-aggregated table."""
    return ident(f"ind_{indicator_id}")


def render(name: str, **parts: str) -> str:
    """Fill a template's {placeholders} with already-quoted identifiers or fixed fragments."""
    return template(name).format(**parts)

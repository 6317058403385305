"""How a column of any table reads to a person: one label per column id, for screens, CSV, XLSX and the CLI."""

from __future__ import annotations

import pandas as pd

from .config import Config
from .i18n import catalogue, paren, tr

# Columns that hold an indicator's own number: their header carries the unit when there is one.
VALUE_COLUMNS = ("value", "yoy_previous", "yoy_change", "prev_period_value", "cumulative_value", "target_value")


def column_label(config: Config | None, column: str, lang: str, unit: str | None = None) -> str:
    """A column id as people read it: the catalogue's header, a dimension's or dataset column's name, else the id.

    With a unit, value columns say it: '数值(人)', 'Value (people)'.
    """
    key = f"col.{column}"
    if key in catalogue():
        label = tr(key, lang)
    elif config is None:
        label = column
    elif column in config.dimensions:
        label = config.dimensions[column].text("name", lang)
    else:
        label = next(
            (c.text("name", lang) for ds in config.datasets.values() for c in ds.columns if c.name == column), column
        )
    return label + paren(unit, lang) if unit and column in VALUE_COLUMNS else label


def single_unit(df: pd.DataFrame) -> str | None:
    """The unit every row of a tidy table shares (its 'unit' column), or None."""
    if "unit" not in df.columns:
        return None
    units = df["unit"].dropna().unique()
    return str(units[0]) if len(units) == 1 and str(units[0]) else None


def localise_headers(df: pd.DataFrame, config: Config | None, lang: str) -> pd.DataFrame:
    """A copy with every column id renamed to its label in lang (value columns with the shared unit)."""
    unit = single_unit(df)
    return df.rename(columns={c: column_label(config, str(c), lang, unit) for c in df.columns})

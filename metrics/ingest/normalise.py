"""Tidy what Excel on Chinese Windows writes (2023/9/1, 2023年9月, 1,234, full-width digits) and write canonical CSV."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from typing import SupportsInt

import pandas as pd

from ..config import Column, Dataset

THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")


def tidy_cell(text: str, col: Column) -> str:
    """One cell in the shape the contract reads; left as it was when it does not fit a known shape."""
    text = text.strip()
    if col.type == "string" or not text:
        return text
    folded = unicodedata.normalize("NFKC", text).strip()  # full-width digits and punctuation
    if col.type in ("integer", "number"):
        return folded.replace(",", "") if THOUSANDS.match(folded) else folded
    m = DATE.match(folded)
    if m:
        y, mo, d = (int(x) for x in m.groups())
        return f"{y:04d}-{mo:02d}-{d:02d}"
    m = MONTH.match(folded)
    if m:
        y, mo = (int(x) for x in m.groups())
        return f"{y:04d}-{mo:02d}"
    return folded


# Cells already in the shape tidy_cell would give (ASCII digits only: [0-9], not \\d, which is Unicode in re).
CANONICAL_SHAPES = {
    "integer": r"[+-]?[0-9]+",
    "number": r"[+-]?[0-9]+(\.[0-9]+)?",
    "date": r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
    "month": r"[0-9]{4}-[0-9]{2}",
}


def tidy_column(values: pd.Series, col: Column) -> list[str]:
    """tidy_cell over a column; cells already in canonical shape are only stripped (most of a large file)."""
    text = values.astype(str).str.strip()
    if col.type == "string":
        return text.tolist()
    done = (text == "") | text.str.fullmatch(CANONICAL_SHAPES[col.type]).fillna(False).astype(bool)
    out = text.tolist()
    for i in (~done).to_numpy().nonzero()[0]:
        out[i] = tidy_cell(out[i], col)
    return out


def tidy_frame(df: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    """A copy with every contract column's cells tidied; other columns untouched."""
    out = df.copy()
    for col in ds.columns:
        if col.name in out.columns and isinstance(out[col.name], pd.Series):
            out[col.name] = tidy_column(out[col.name], col)
    return out


def canonical_cell(value: str | SupportsInt | None, text: str, col: Column) -> str:
    """The stored form of a valid cell: ISO dates, YYYY-MM months, whole numbers without .0."""
    if text == "" or value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if col.type == "integer":
        return str(int(value))
    if col.type == "date":
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if col.type == "month":
        return pd.Timestamp(value).strftime("%Y-%m")
    if col.type == "number":
        return text.removeprefix("+")
    return text


def canonical_column(raw: pd.Series, values: pd.Series, col: Column) -> list[str]:
    """canonical_cell over a column, whole columns at a time (a cell loop took a third of a 15 MB upload)."""
    raw = raw.astype(str).str.strip()
    if col.type == "integer":
        shown = values.astype("Int64").astype("string")
    elif col.type == "date":
        shown = values.dt.strftime("%Y-%m-%d").astype("string")
    elif col.type == "month":
        shown = values.dt.strftime("%Y-%m").astype("string")
    elif col.type == "number":
        shown = raw.str.removeprefix("+").astype("string").where(values.notna())
    else:
        shown = raw.astype("string").where(values.notna())
    return shown.where(raw != "").fillna("").tolist()


def canonical_frame(text: pd.DataFrame, typed: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    """Text cells in contract column order and canonical form, from a validated frame."""
    out = {}
    for col in ds.columns:
        if col.name in typed.columns:
            out[col.name] = canonical_column(text[col.name], typed[col.name], col)
        else:
            raw = [str(v).strip() for v in text[col.name]]
            out[col.name] = [canonical_cell(t, t, col) for t in raw]
    return pd.DataFrame(out, index=text.index, dtype=object)


def to_csv(df: pd.DataFrame, ds: Dataset) -> bytes:
    """UTF-8 CSV with the machine header, LF line ends and minimal quoting, like the shipped data."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    names = [c.name for c in ds.columns]
    w.writerow(names)
    w.writerows(df[names].itertuples(index=False, name=None))
    return buf.getvalue().encode("utf-8")

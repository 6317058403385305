"""Safe tabular output: UTF-8 with BOM for Excel, and text cells neutralised against formula injection."""

from __future__ import annotations

import io
import re

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def neutralise(cell: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with a quote; numbers pass through."""
    if not isinstance(cell, str) or not cell.startswith(TRIGGERS):
        return cell
    if cell.startswith("-") and PLAIN_NUMBER.match(cell):
        return cell
    return "'" + cell


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell neutralised and numeric columns untouched."""
    out = df.copy()
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]):
            # A comprehension, not .map: map would re-infer the dtype and turn 97 into 97.0.
            out[col] = pd.Series([neutralise(v) for v in out[col]], index=out.index, dtype=object)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV bytes with a UTF-8 BOM, safe to open in Excel on Chinese Windows."""
    buf = io.StringIO()
    neutralise_frame(df).to_csv(buf, index=False, lineterminator="\r\n")
    return buf.getvalue().encode("utf-8-sig")

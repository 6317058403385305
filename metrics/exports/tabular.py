"""CSV and XLSX bytes for any tidy table: localised headers, optional ids, safe text, a metadata sheet."""

from __future__ import annotations

import io
import math
import unicodedata
from datetime import date, datetime
from typing import Literal, SupportsFloat

import pandas as pd
import xlsxwriter

from ..columns import VALUE_COLUMNS, column_label, single_unit
from ..csvout import TRIGGERS, to_csv_bytes
from ..engine import Engine
from ..formatting import plain_number
from ..i18n import tr
from ..periods import Filters
from ..provenance import data_as_of, local_now
from .metadata import definitions_frame, metadata_rows

HeaderMode = Literal["lang", "id-row", "ids"]
HEADER_MODES: tuple[str, ...] = ("lang", "id-row", "ids")

# Shares (0.652) shown as 65.2%; columns named *_pct already hold percentages (65.2) and read as numbers.
PERCENT_COLUMNS = {"pct_complete", "progress", "expected", "share"}


def _plain(cell: object) -> object:
    """Whole numbers as int, NaN/NaT as None, everything else untouched."""
    if cell is None or cell is pd.NaT:
        return None
    if isinstance(cell, bool):
        return cell
    # Numpy scalars (anything with a dtype) all define __float__.
    if isinstance(cell, (int, float)) or (hasattr(cell, "dtype") and isinstance(cell, SupportsFloat)):
        try:
            return plain_number(float(cell))  # numpy scalars too
        except (TypeError, ValueError):
            return cell
    return cell


def plain_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose number columns hold plain ints/floats (97, not 97.0) and None for missing."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = _plain_dates(out[col])
            continue
        if pd.api.types.is_bool_dtype(out[col]):
            continue
        if pd.api.types.is_numeric_dtype(out[col]) or out[col].dtype == object:
            out[col] = pd.Series([_plain(v) for v in out[col]], index=out.index, dtype=object)
    return out


def _plain_dates(col: pd.Series) -> pd.Series:
    # Midnight-only timestamps are dates (the dashboard's task dates): write 2022-10-02, not
    # "2022-10-02 00:00:00"; a missing one is None, never NaT (a datetime that write_datetime cannot take).
    present = col.dropna()
    if not (present == present.dt.normalize()).all():
        return pd.Series([None if pd.isna(v) else v for v in col], index=col.index, dtype=object)
    return pd.Series([None if pd.isna(v) else v.date() for v in col], index=col.index, dtype=object)


def csv_bytes(engine: Engine, df: pd.DataFrame, lang: str = "zh", header: HeaderMode = "lang") -> bytes:
    """UTF-8-with-BOM CSV, text cells neutralised, headers in lang, ids as a second row or as the header."""
    data = plain_frame(df)
    ids = [str(c) for c in data.columns]
    if header == "ids":
        return to_csv_bytes(data)
    unit = single_unit(df)
    labels = [column_label(engine.config, c, lang, unit) for c in ids]
    if header == "id-row":
        data = pd.concat([pd.DataFrame([ids], columns=data.columns, dtype=object), data], ignore_index=True)
    data.columns = labels
    return to_csv_bytes(data)


# -- XLSX -------------------------------------------------------------------------------------
def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _sheet_name(text: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    return "".join("_" if ch in "[]:*?/\\" else ch for ch in text)[:31] or "Sheet"


class _Styles:
    """The few cell formats a workbook needs, created once."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        base = {"font_name": "Microsoft YaHei", "font_size": 10, "valign": "top"}
        self.text = wb.add_format(base)
        self.quoted = wb.add_format({**base, "quote_prefix": True})
        self.wrap = wb.add_format({**base, "text_wrap": True})
        self.header = wb.add_format({**base, "bold": True, "bg_color": "#e8eef4", "bottom": 1, "text_wrap": True})
        self.ids = wb.add_format({**base, "italic": True, "font_color": "#6b7785", "bg_color": "#f4f6f8"})
        self.integer = wb.add_format({**base, "num_format": "#,##0"})
        self.decimal = wb.add_format({**base, "num_format": "#,##0.00##"})
        self.percent = wb.add_format({**base, "num_format": "0.0%"})
        self.date = wb.add_format({**base, "num_format": "yyyy-mm-dd"})
        self.title = wb.add_format({**base, "bold": True, "font_size": 13})
        self.key = wb.add_format({**base, "bold": True})


def _is_percent(engine: Engine, column: str, row: pd.Series, default_fmt: str | None) -> bool:
    if column in PERCENT_COLUMNS:
        return True
    if column not in VALUE_COLUMNS:
        return False
    ind_id = row.get("indicator_id")
    if isinstance(ind_id, str):
        try:
            return engine.indicator(ind_id).format == "percent"
        except KeyError:
            return False
    return default_fmt == "percent"


def _write_cell(ws, r: int, c: int, value: object, st: _Styles, percent: bool) -> None:
    """Numbers as numbers with a format, dates as dates, text always as text (never a formula)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        ws.write_blank(r, c, None, st.text)
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value, st.text)
    elif isinstance(value, (int, float)):
        fmt = st.percent if percent else (st.integer if float(value).is_integer() else st.decimal)
        ws.write_number(r, c, value, fmt)
    elif isinstance(value, (datetime, date)):
        ws.write_datetime(r, c, datetime(value.year, value.month, value.day), st.date)
    else:
        text = str(value)
        # Stored as text either way; the quote prefix keeps Excel from turning it into a formula on edit.
        ws.write_string(r, c, text, st.quoted if text.startswith(TRIGGERS) else st.text)


def _write_table(
    engine: Engine,
    ws,
    df: pd.DataFrame,
    st: _Styles,
    lang: str,
    header: HeaderMode,
    default_fmt: str | None,
    first_row: int = 0,
) -> None:
    data = plain_frame(df)
    ids = [str(c) for c in data.columns]
    unit = single_unit(df)
    labels = [column_label(engine.config, col, lang, unit) for col in ids]
    r = first_row
    if header != "ids":
        for c, label in enumerate(labels):
            ws.write_string(r, c, label, st.header)
        r += 1
    if header in ("id-row", "ids"):
        for c, col in enumerate(ids):
            ws.write_string(r, c, col, st.header if header == "ids" else st.ids)
        r += 1
    ws.freeze_panes(r, 0)
    top = r - 1  # the last header row carries the filter buttons
    for _, row in data.iterrows():
        for c, col in enumerate(ids):
            _write_cell(ws, r, c, row[col], st, _is_percent(engine, col, row, default_fmt))
        r += 1
    if ids and top >= 0:
        ws.autofilter(top, 0, max(r - 1, top), len(ids) - 1)
    for c, col in enumerate(ids):
        texts = [labels[c], *(str(v) for v in data[col].head(200) if v is not None)]
        ws.set_column(c, c, min(max(_width(t) for t in texts) + 2, 50))


def _write_metadata(
    engine: Engine,
    ws,
    st: _Styles,
    *,
    title: str,
    filters: Filters,
    lang: str,
    indicator_ids: list[str],
    generated: datetime,
) -> None:
    ws.write_string(0, 0, title, st.title)
    r = 2
    for key, value in metadata_rows(engine, filters=filters, lang=lang, generated=generated):
        ws.write_string(r, 0, key, st.key)
        ws.write_string(r, 1, value, st.wrap)
        r += 1
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 60)
    if indicator_ids:
        r += 1
        ws.write_string(r, 0, tr("xlsx.definitions", lang), st.title)
        defs = definitions_frame(engine, indicator_ids, lang)
        for c, col in enumerate(defs.columns):
            ws.write_string(r + 1, c, str(col), st.header)
        for i, row in enumerate(defs.itertuples(index=False)):
            for c, value in enumerate(row):
                _write_cell(ws, r + 2 + i, c, _plain(value), st, False)
        for c in range(2, len(defs.columns)):
            ws.set_column(c, c, 28, st.wrap)


def xlsx_bytes(
    engine: Engine,
    df: pd.DataFrame,
    *,
    title: str,
    filters: Filters,
    lang: str = "zh",
    indicator_ids: list[str] | None = None,
    header: HeaderMode = "lang",
    extra_sheets: dict[str, pd.DataFrame] | None = None,
    generated: datetime | None = None,
) -> bytes:
    """An XLSX workbook: the data sheet(s) with number formats, then a metadata sheet with provenance."""
    if indicator_ids is None and "indicator_id" in df.columns:
        indicator_ids = list(dict.fromkeys(str(i) for i in df["indicator_id"].dropna()))
    ids = [i for i in (indicator_ids or []) if i in {x.id for x in engine.config.indicators}]
    default_fmt = engine.indicator(ids[0]).format if len(ids) == 1 else None
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    st = _Styles(wb)
    sheets = {tr("xlsx.data", lang): df, **(extra_sheets or {})}
    for name, frame in sheets.items():
        _write_table(engine, wb.add_worksheet(_sheet_name(name)), frame, st, lang, header, default_fmt)
    meta = wb.add_worksheet(_sheet_name(tr("xlsx.about", lang)))
    _write_metadata(
        engine,
        meta,
        st,
        title=title,
        filters=filters,
        lang=lang,
        indicator_ids=ids,
        generated=generated or local_now(engine.config),
    )
    wb.set_properties({"title": title, "comments": f"as of {data_as_of(engine).label()}"})
    wb.close()
    return buf.getvalue()

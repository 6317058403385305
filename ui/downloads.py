"""Download widgets for the dashboard: CSV, XLSX, PNG, SVG and the meeting pack.

Every byte comes from metrics.exports; this module only wires buttons. Files are produced on click (deferred
download data), never on every rerun.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from metrics import Engine, Filters
from metrics.exports import images
from metrics.exports.bulk import all_series, all_values
from metrics.exports.charts import export_figure
from metrics.exports.names import export_name
from metrics.exports.tabular import csv_bytes, xlsx_bytes
from metrics.figures import ChartText
from metrics.i18n import pick

MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "svg": "image/svg+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
}
TEXT = {
    "csv": ("CSV", "CSV"),
    "xlsx": ("Excel", "Excel"),
    "png": ("PNG", "PNG"),
    "svg": ("SVG", "SVG"),
    "csv_help": ("UTF-8(带BOM),Excel可直接打开;公式字符已转义", "UTF-8 with BOM, opens in Excel; formulas escaped"),
    "xlsx_help": ("含数据表与说明表(定义、单位、来源、筛选条件、数据截至)",
                  "Data sheet plus an About sheet (definitions, units, sources, filters, as-of)"),
    "png_help": ("高清图片(2倍),含标题、单位、期间、来源与数据截至", "High-resolution (2×) with title, unit, period, "
                                                                 "source and as-of"),
    "svg_help": ("矢量图,含标题与脚注", "Vector image with title and footnote"),
    "bulk_title": ("全部指标", "all-indicators"),
    "bulk_label": ("下载全部指标数值", "Download all indicator values"),
    "id_row": ("附机器可读代码行", "Add a machine-readable id row"),
    "deck_build": ("生成会议材料(PPTX)", "Build the meeting pack (PPTX)"),
    "deck_building": ("正在生成会议材料…", "Building the meeting pack…"),
    "deck_ready": ("已生成,用时 {s:.1f} 秒", "Ready in {s:.1f} s"),
    "deck_download": ("下载 PPTX", "Download PPTX"),
    "pdf_download": ("下载 PDF", "Download PDF"),
    "deck_name": ("会议材料", "meeting-pack"),
}


def _t(key: str, lang: str) -> str:
    return pick(TEXT[key], lang)


def _fkey(filters: Filters) -> tuple:
    return (filters.start, filters.end, filters.province, filters.city)


def _engine_key(engine: Engine) -> str:
    # The database file name carries the input hash: a new config or data set is a new cache entry.
    return str(engine.database)


def _button(label: str, data: Callable[[], bytes] | bytes, file_name: str, ext: str, key: str,
            help_text: str | None = None) -> None:
    st.download_button(label, data=data, file_name=file_name, mime=MIME[ext], key=key, help=help_text,
                       on_click="ignore", icon=":material/download:", width="content")


def _row():
    """A compact horizontal row of buttons."""
    return st.container(horizontal=True, gap="small")


def _table_buttons(engine: Engine, df: pd.DataFrame, *, name: str, title: str, lang: str, filters: Filters,
                   indicator_ids: list[str] | None, key: str) -> None:
    ids = list(indicator_ids or []) or None
    _button(_t("csv", lang), lambda: csv_bytes(engine, df, lang), export_name(engine, name, filters, "csv", lang),
            "csv", f"{key}-csv", _t("csv_help", lang))
    _button(_t("xlsx", lang),
            lambda: xlsx_bytes(engine, df, title=title, filters=filters, lang=lang, indicator_ids=ids),
            export_name(engine, name, filters, "xlsx", lang), "xlsx", f"{key}-xlsx", _t("xlsx_help", lang))


@st.cache_resource(show_spinner=False)
def _prewarm() -> bool:
    """Start Chromium in the background once per server so the first image click is fast (about 0.3 s, not 4 s).

    Skipped under pytest (tests must not spawn Chromium behind their back) and with CHUANYU_IMAGE_PREWARM=0.
    """
    wanted = os.environ.get("CHUANYU_IMAGE_PREWARM", "0" if "pytest" in sys.modules else "1") == "1"
    if wanted:
        threading.Thread(target=_start_quietly, name="kaleido-prewarm", daemon=True).start()
    return wanted


def _start_quietly() -> None:
    try:
        images.renderer().start()
    except images.ImageExportUnavailable:
        pass  # the first click reports it


def _image(fig: go.Figure, text: ChartText, fmt: str) -> Callable[[], bytes]:
    def make() -> bytes:
        return images.render(export_figure(fig, text), fmt)  # type: ignore[arg-type]
    return make


def chart_downloads(engine: Engine, fig: go.Figure, data: pd.DataFrame, *, text: ChartText, name: str, lang: str,
                    filters: Filters, indicator_ids: list[str] | None, key: str) -> None:
    """CSV + XLSX of the chart's data, PNG + SVG of the chart rendered on the server on click."""
    can_render = images.images_available()
    with _row():
        _table_buttons(engine, data, name=name, title=text.title, lang=lang, filters=filters,
                       indicator_ids=indicator_ids, key=key)
        if can_render:
            _prewarm()
            for fmt in ("png", "svg"):
                _button(_t(fmt, lang), _image(fig, text, fmt), export_name(engine, name, filters, fmt, lang), fmt,
                        f"{key}-{fmt}", _t(f"{fmt}_help", lang))
    if not can_render:
        st.info(images.enable_hint(lang), icon=":material/image_not_supported:")


def table_downloads(engine: Engine, df: pd.DataFrame, *, name: str, lang: str, filters: Filters,
                    indicator_ids: list[str] | None, key: str) -> None:
    """CSV + XLSX of a table."""
    with _row():
        _table_buttons(engine, df, name=name, title=name, lang=lang, filters=filters, indicator_ids=indicator_ids,
                       key=key)


@st.cache_data(show_spinner=False, max_entries=64)
def _bulk_bytes(_engine: Engine, engine_key: str, fkey: tuple, lang: str, fmt: str, header: str) -> bytes:
    filters = Filters(*fkey)
    values = all_values(_engine, filters, lang)
    if fmt == "csv":
        return csv_bytes(_engine, values, lang, header)  # type: ignore[arg-type]
    monthly = all_series(_engine, filters, "month", lang)
    return xlsx_bytes(_engine, values, title=_t("bulk_label", lang), filters=filters, lang=lang,
                      header=header,  # type: ignore[arg-type]
                      extra_sheets={("按月" if lang == "zh" else "Monthly"): monthly})


def bulk_downloads(engine: Engine, filters: Filters, lang: str, key: str) -> None:
    """All indicator values for the filters in one CSV or XLSX (the XLSX adds every indicator by month)."""
    header = "id-row" if st.checkbox(_t("id_row", lang), key=f"{key}-idrow") else "lang"
    name = _t("bulk_title", lang)
    ek, fk = _engine_key(engine), _fkey(filters)
    with _row():
        for fmt in ("csv", "xlsx"):
            _button(f"{_t('bulk_label', lang)} · {_t(fmt, lang)}",
                    lambda fmt=fmt: _bulk_bytes(engine, ek, fk, lang, fmt, header),
                    export_name(engine, name, filters, fmt, lang), fmt, f"{key}-{fmt}", _t(f"{fmt}_help", lang))


@st.cache_data(show_spinner=False, max_entries=8)
def _deck_bytes(_engine: Engine, engine_key: str, fkey: tuple, lang: str, _progress=None) -> tuple[bytes, float]:
    from metrics.exports.deck import build_deck

    started = time.perf_counter()
    data = build_deck(_engine, Filters(*fkey), lang, progress=_progress)
    return data, time.perf_counter() - started


def deck_button(engine: Engine, filters: Filters, lang: str, key: str) -> None:
    """Build the meeting pack with a progress bar, then offer the PPTX (and a PDF where LibreOffice exists)."""
    from metrics.exports import pdf

    state_key = f"{key}-deck"
    wanted = (_engine_key(engine), _fkey(filters), lang)
    if st.button(_t("deck_build", lang), key=f"{key}-build", icon=":material/slideshow:"):
        bar = st.progress(0.0, text=_t("deck_building", lang))

        def progress(done: int, total: int, what: str) -> None:
            bar.progress(min(done / max(total, 1), 1.0), text=f"{_t('deck_building', lang)} {what}")

        data, seconds = _deck_bytes(engine, *wanted, _progress=progress)
        bar.empty()
        st.session_state[state_key] = (wanted, data, seconds)
    held = st.session_state.get(state_key)
    if not held or held[0] != wanted:
        return
    _, data, seconds = held
    st.caption(_t("deck_ready", lang).format(s=seconds))
    name = _t("deck_name", lang)
    with _row():
        _button(_t("deck_download", lang), data, export_name(engine, name, filters, "pptx", lang), "pptx",
                f"{key}-pptx")
        if pdf.pdf_available():
            _button(_t("pdf_download", lang), lambda: pdf.pptx_to_pdf(data),
                    export_name(engine, name, filters, "pdf", lang), "pdf", f"{key}-pdf")

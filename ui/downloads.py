"""Download widgets for the dashboard: CSV, XLSX, PNG, SVG, the meeting pack and the Word brief.

Every byte comes from metrics.exports; this module only wires buttons. Files are produced on click (deferred
download data), never on every rerun.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

import pandas as pd
import streamlit as st

from metrics import Engine, Filters
from metrics.charts import Chart
from metrics.exports import images
from metrics.exports.bulk import all_series, all_values
from metrics.exports.names import export_name
from metrics.exports.tabular import HeaderMode, csv_bytes, xlsx_bytes
from metrics.figures.fit import export_figure
from metrics.i18n import tr

MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "svg": "image/svg+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# Built meeting packs and briefs, per kind, data version, filters and language: a second click (or another
# session) gets the same bytes at once. Built outside Streamlit's caches, because the build draws a progress bar.
PackKey = tuple[str, str, tuple, str]
Builder = Callable[..., bytes]
_PACKS: OrderedDict[PackKey, tuple[bytes, float]] = OrderedDict()
MAX_PACKS = 16
_PACKS_LOCK = threading.Lock()  # guards _PACKS
_BUILD_LOCK = threading.Lock()  # one build at a time (they share one Chromium anyway)


def _t(key: str, lang: str) -> str:
    return tr(f"dl.{key}", lang)


def _fkey(filters: Filters) -> tuple:
    return (filters.start, filters.end, filters.province, filters.city)


def _engine_key(engine: Engine) -> str:
    # The database file name carries the input hash: a new config or data set is a new cache entry.
    return str(engine.database)


def _button(
    label: str, data: Callable[[], bytes] | bytes, file_name: str, ext: str, key: str, help_text: str | None = None
) -> None:
    st.download_button(
        label,
        data=data,
        file_name=file_name,
        mime=MIME[ext],
        key=key,
        help=help_text,
        on_click="ignore",
        icon=":material/download:",
        width="content",
    )


def _row():
    """A compact horizontal row of buttons."""
    return st.container(horizontal=True, gap="small")


def _table_buttons(
    engine: Engine,
    df: pd.DataFrame,
    *,
    name: str,
    title: str,
    lang: str,
    filters: Filters,
    indicator_ids: list[str] | None,
    key: str,
) -> None:
    ids = list(indicator_ids or []) or None
    _button(
        _t("csv", lang),
        lambda: csv_bytes(engine, df, lang),
        export_name(engine, name, filters, "csv", lang),
        "csv",
        f"{key}-csv",
        _t("csv_help", lang),
    )
    _button(
        _t("xlsx", lang),
        lambda: xlsx_bytes(engine, df, title=title, filters=filters, lang=lang, indicator_ids=ids),
        export_name(engine, name, filters, "xlsx", lang),
        "xlsx",
        f"{key}-xlsx",
        _t("xlsx_help", lang),
    )


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
    with contextlib.suppress(images.ImageExportUnavailable):  # the first click reports it
        images.renderer().start()


def _image(chart: Chart, fmt: images.ImageFormat) -> Callable[[], bytes]:
    def make() -> bytes:
        return images.render(export_figure(chart.figure, chart.text), fmt)

    return make


def chart_downloads(engine: Engine, chart: Chart, *, lang: str, filters: Filters, key: str) -> None:
    """CSV + XLSX of the chart's data, PNG + SVG of the chart rendered on the server on click."""
    can_render = images.images_available()
    name = chart.name
    with _row():
        _table_buttons(
            engine,
            chart.data,
            name=name,
            title=chart.text.title,
            lang=lang,
            filters=filters,
            indicator_ids=list(chart.indicator_ids),
            key=key,
        )
        if can_render:
            _prewarm()
            for fmt in ("png", "svg"):
                _button(
                    _t(fmt, lang),
                    _image(chart, fmt),
                    export_name(engine, name, filters, fmt, lang),
                    fmt,
                    f"{key}-{fmt}",
                    _t(f"{fmt}_help", lang),
                )
    if not can_render:
        st.info(images.enable_hint(lang), icon=":material/image_not_supported:")


def table_downloads(
    engine: Engine,
    df: pd.DataFrame,
    *,
    name: str,
    lang: str,
    filters: Filters,
    indicator_ids: list[str] | None,
    key: str,
) -> None:
    """CSV + XLSX of a table."""
    with _row():
        _table_buttons(
            engine, df, name=name, title=name, lang=lang, filters=filters, indicator_ids=indicator_ids, key=key
        )


@st.cache_data(show_spinner=False, max_entries=64)
def _bulk_bytes(_engine: Engine, engine_key: str, fkey: tuple, lang: str, fmt: str, header: HeaderMode) -> bytes:
    filters = Filters(*fkey)
    values = all_values(_engine, filters, lang)
    if fmt == "csv":
        return csv_bytes(_engine, values, lang, header)
    monthly = all_series(_engine, filters, "month", lang)
    return xlsx_bytes(
        _engine,
        values,
        title=_t("bulk_label", lang),
        filters=filters,
        lang=lang,
        header=header,
        extra_sheets={tr("xlsx.monthly", lang): monthly},
    )


def bulk_downloads(engine: Engine, filters: Filters, lang: str, key: str) -> None:
    """All indicator values for the filters in one CSV or XLSX (the XLSX adds every indicator by month)."""
    header: HeaderMode = "id-row" if st.checkbox(_t("id_row", lang), key=f"{key}-idrow") else "lang"
    name = _t("bulk_title", lang)
    ek, fk = _engine_key(engine), _fkey(filters)
    with _row():
        for fmt in ("csv", "xlsx"):
            _button(
                f"{_t('bulk_label', lang)} · {_t(fmt, lang)}",
                lambda fmt=fmt: _bulk_bytes(engine, ek, fk, lang, fmt, header),  # type: ignore[misc]
                export_name(engine, name, filters, fmt, lang),
                fmt,
                f"{key}-{fmt}",
                _t(f"{fmt}_help", lang),
            )


def meeting_pack(
    engine: Engine, filters: Filters, lang: str, progress: Callable[[int, int, str], None] | None = None
) -> tuple[bytes, float]:
    """The meeting pack's bytes and build seconds: built once per data version, filters and language."""
    from metrics.exports.deck import build_deck

    return _build_once("deck", build_deck, engine, filters, lang, progress)


def work_brief(
    engine: Engine, filters: Filters, lang: str, progress: Callable[[int, int, str], None] | None = None
) -> tuple[bytes, float]:
    """The Word brief's bytes and build seconds: built once per data version, filters and language."""
    from metrics.exports.brief import build_brief

    return _build_once("brief", build_brief, engine, filters, lang, progress)


def _build_once(
    kind: str,
    build: Builder,
    engine: Engine,
    filters: Filters,
    lang: str,
    progress: Callable[[int, int, str], None] | None,
) -> tuple[bytes, float]:
    key = _pack_key(kind, engine, filters, lang)
    with _BUILD_LOCK:  # a second click or session waits for the build under way and then reuses it
        held = _built_pack(key)
        if held is None:
            started = time.perf_counter()
            held = (build(engine, filters, lang, progress=progress), time.perf_counter() - started)
            with _PACKS_LOCK:
                _PACKS[key] = held
                while len(_PACKS) > MAX_PACKS:
                    _PACKS.popitem(last=False)
    return held


def _pack_key(kind: str, engine: Engine, filters: Filters, lang: str) -> PackKey:
    return (kind, _engine_key(engine), _fkey(filters), lang)


def _built_pack(key: PackKey) -> tuple[bytes, float] | None:
    with _PACKS_LOCK:
        return _PACKS.get(key)


def _progress_bar(text: str) -> tuple[Callable[[int, int, str], None], Callable[[], object]]:
    """A progress bar's updater, and the function that removes the bar."""
    bar = st.progress(0.0, text=text)

    def progress(done: int, total: int, what: str) -> None:
        bar.progress(min(done / max(total, 1), 1.0), text=f"{text} {what}")

    return progress, bar.empty


def deck_button(engine: Engine, filters: Filters, lang: str, key: str) -> None:
    """Build the meeting pack with a progress bar (or take the one already built), then offer PPTX and PDF."""
    from metrics.exports import pdf

    if st.button(_t("deck_build", lang), key=f"{key}-build", icon=":material/slideshow:"):
        progress, done = _progress_bar(_t("deck_building", lang))
        meeting_pack(engine, filters, lang, progress)
        done()
    held = _built_pack(_pack_key("deck", engine, filters, lang))
    if held is None:
        return
    data, seconds = held
    st.caption(_t("deck_ready", lang).format(s=seconds))
    name = _t("deck_name", lang)
    with _row():
        _button(
            _t("deck_download", lang), data, export_name(engine, name, filters, "pptx", lang), "pptx", f"{key}-pptx"
        )
        if pdf.pdf_available():
            _button(
                _t("pdf_download", lang),
                lambda: pdf.pptx_to_pdf(data),
                export_name(engine, name, filters, "pdf", lang),
                "pdf",
                f"{key}-pdf",
            )


def brief_button(engine: Engine, filters: Filters, lang: str, key: str) -> None:
    """Build the Word brief with a progress bar (or take the one already built), then offer the DOCX."""
    if st.button(_t("brief_build", lang), key=f"{key}-build", icon=":material/description:"):
        progress, done = _progress_bar(_t("brief_building", lang))
        work_brief(engine, filters, lang, progress)
        done()
    held = _built_pack(_pack_key("brief", engine, filters, lang))
    if held is None:
        return
    data, seconds = held
    st.caption(_t("deck_ready", lang).format(s=seconds))
    name = _t("brief_name", lang)
    _button(_t("brief_download", lang), data, export_name(engine, name, filters, "docx", lang), "docx", f"{key}-docx")

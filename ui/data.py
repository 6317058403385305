"""One engine per server process and cached results, shared by every session.

Results are keyed by plain tuples (start, end, province, city) and lang, so concurrent sessions with the
same filters reuse one computation. Every number still comes from the metrics library.
"""

from __future__ import annotations

import copy
import functools
import threading
from typing import Any, Callable, Hashable, TypeVar

import pandas as pd
import streamlit as st

from metrics import Engine, Filters, IndicatorValue, overview, tasks, views
from metrics.engine import needs_build
from metrics.ingest import recover
from metrics.overview import Attention, Card
from metrics.tasks import BurnUp

FilterKey = tuple[str | None, str | None, str | None, str | None]
_MAX = 1024  # cached entries per function: enough for many filter combinations, bounded memory
# Built figures, cards and tables: ~50 per page, language and filter set; a few KB to ~100 KB each.
_MAX_SHARED = 4096
T = TypeVar("T")
_RESULT_CACHES: list[Any] = []  # every result cache below, for clear()


def _result(fn: Callable[..., T]) -> Callable[..., T]:
    """Cache fn's result per arguments in the process; each caller gets its own copy of the result."""
    # Like st.cache_data, but a hit copies instead of unpickling: pickling Arrow-backed string columns was a
    # large share of server time under load (py-spy), and DataFrame.copy() is ~15x cheaper than a round trip.
    cached = st.cache_resource(show_spinner=False, max_entries=_MAX)(fn)
    _RESULT_CACHES.append(cached)

    @functools.wraps(fn)
    def wrapper(*args: Any) -> T:
        return copy.deepcopy(cached(*args))  # frames inside deep-copy through DataFrame.copy()
    return wrapper


# The first run after a start (or an ingest) may build the warehouse: a minute at 10 million rows.
LOADING = {"zh": "正在加载数据,首次启动需要一些时间…", "en": "Loading the data; the first start takes a while…"}
_build_lock = threading.Lock()  # one build per process; other sessions wait behind it with a spinner
_built = False  # set once the database for the current inputs is known to exist

ProgressSink = Callable[[float, str], None]


def engine() -> Engine:
    """The shared, read-only engine; a first build shows a progress bar instead of a blank page."""
    if not _built:
        ensure_built(_loading_text())
    return _engine()


@st.cache_resource(show_spinner=False)
def _engine() -> Engine:
    # No progress callback here: a closure in a cached function cannot be replayed on cache hits.
    return Engine()


def _loading_text() -> str:
    # ui.sidebar imports this module, so read the language the way sidebar.current_lang() does, lazily.
    from .sidebar import current_lang

    return LOADING[current_lang()]


def ensure_built(text: str, bar: Callable[..., object] | None = None) -> bool:
    """Build the warehouse once per process if needed, drawing progress; True when this call built it."""
    global _built
    if _built:
        return False
    if not _build_lock.acquire(blocking=False):
        # Another session is building: say so rather than leave this page blank, then wait for it.
        with st.spinner(text):
            _build_lock.acquire()
    try:
        if _built:
            return False
        recover()  # an ingest a crashed process left half done is finished or undone before the files are read
        built = build_with_progress(text, bar or st.progress) if needs_build() else False
        _built = True
        return built
    finally:
        _build_lock.release()


def build_with_progress(text: str, bar: Callable[..., object]) -> bool:
    """Build the database with a progress element (st.progress or a fake), then remove the element."""
    element = bar(0.0, text=text)
    sink: ProgressSink = lambda fraction, what: element.progress(  # type: ignore[attr-defined]
        min(max(float(fraction), 0.0), 1.0), text=f"{text} {what}")
    try:
        Engine(progress=sink).close()
    finally:
        element.empty()  # type: ignore[attr-defined]
    return True


def to_filters(key: FilterKey) -> Filters:
    """A filter tuple as metrics.Filters."""
    start, end, province, city = key
    return Filters(start, end, province, city)


@_result
def headline_cards(key: FilterKey) -> list[Card]:
    """The Overview's KPI cards for these filters."""
    return overview.headline_cards(engine(), to_filters(key))


@_result
def value(indicator_id: str, key: FilterKey) -> IndicatorValue:
    """One indicator's value and previous-period value."""
    return engine().value(indicator_id, to_filters(key))


@_result
def monthly(indicator_id: str, key: FilterKey, lang: str) -> pd.DataFrame:
    """Monthly values by province (or one total line)."""
    return views.monthly_by_group(engine(), indicator_id, to_filters(key), lang)


@_result
def series(indicator_id: str, by: str, key: FilterKey, lang: str) -> pd.DataFrame:
    """The indicator by month or by one of its dimensions (key, label, value)."""
    return engine().series(indicator_id, to_filters(key), by=by, lang=lang)


@_result
def flows(indicator_id: str, key: FilterKey, lang: str) -> pd.DataFrame:
    """A flow between the provinces (from_key, from_label, to_key, to_label, value)."""
    return views.flow_frame(engine(), indicator_id, to_filters(key), lang)


@_result
def area_progress(key: FilterKey, lang: str) -> pd.DataFrame:
    """Tasks completed by the period's end, per area."""
    return views.area_progress(engine(), to_filters(key), lang)


@_result
def task_table(lang: str) -> pd.DataFrame:
    """Every task with its derived status."""
    return tasks.task_table(engine(), lang)


@_result
def area_summary(lang: str) -> pd.DataFrame:
    """Status counts and pace per area."""
    return tasks.area_summary(engine(), lang)


@_result
def burnup() -> BurnUp:
    """The burn-up of completed tasks and its projection."""
    return tasks.burnup(engine())


@_result
def attention(lang: str) -> Attention:
    """Overdue tasks and areas behind pace."""
    return overview.attention(engine(), lang)


@_result
def definitions(lang: str) -> pd.DataFrame:
    """Every indicator's definition, from config.yaml."""
    return views.indicator_definitions(engine(), lang)


@_result
def contracts(lang: str) -> pd.DataFrame:
    """Every dataset's contract summary and as-of date."""
    return views.dataset_contracts(engine(), lang)


@_result
def cities(province: str | None) -> pd.DataFrame:
    """Cities (districts) of a province, or all."""
    return engine().cities(province)


@st.cache_resource(show_spinner=False, max_entries=_MAX_SHARED)
def _shared(key: tuple, _build: Callable[[], object]) -> object:
    # cache_resource, not cache_data: a hit hands out the object itself, with no pickling, so a finished
    # plotly figure costs nothing to reuse. Concurrent first calls for one key wait for a single build.
    return _build()


def shared(key: tuple[Hashable, ...], build: Callable[[], T]) -> T:
    """build() once per key and database, shared by every session: callers must treat the result as read-only."""
    # The database file name carries the hash of every input, so a new data version is a new key.
    return _shared((str(_engine().database), *key), build)  # type: ignore[return-value]


def clear() -> None:
    """Forget the engine and every cached result (after the data or config changes)."""
    global _built
    with _build_lock:
        _built = False  # the next engine() checks again whether a build is due, and shows its progress
    st.cache_data.clear()
    for cached in _RESULT_CACHES:
        cached.clear()
    _shared.clear()
    _engine.clear()

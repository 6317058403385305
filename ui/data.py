"""One engine per server process, and built results (figures, cards, tables) shared by every session.

Numbers come from the metrics library, whose engine caches its query results per data version; this module
keeps what is costly to rebuild on every run (plotly figures, card views, Arrow tables) per filter set and
language, keyed by the data version so a new version never serves old results.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Hashable
from typing import Protocol, TypeVar

import streamlit as st

from metrics import Engine
from metrics.cache import SharedCache
from metrics.database import needs_build
from metrics.i18n import tr
from metrics.ingest import recover

from .lang import current_lang

T = TypeVar("T")
# Built figures, cards and tables: ~50 per page, language and filter set; a few KB to ~100 KB each.
_MAX_SHARED = 4096
# How often a run checks for a data version written by another process (the CLI, another server).
CHECK_SECONDS = float(os.environ.get("CHUANYU_DATA_CHECK_SECONDS", "2"))
_check_lock = threading.Lock()
_checked_at = 0.0
_build_lock = threading.Lock()  # one build per process; other sessions wait behind it with a spinner
_built = False  # set once the database for the current inputs is known to exist

ProgressSink = Callable[[float, str], None]


class ProgressBar(Protocol):
    """What the build's progress element offers: st.progress's element, or a test's fake."""

    def progress(self, value: float, text: str | None = None) -> object: ...

    def empty(self) -> object: ...


def engine() -> Engine:
    """The shared engine on the newest data version; a first build shows a progress bar, not a blank page.

    Every CHECK_SECONDS one run looks (with a few stat calls) whether any process wrote a new data version;
    if so, the next runs open it. A run that already holds the old engine finishes on it.
    """
    if not _built:
        ensure_built(tr("ui.loading", current_lang()))
    current = _engine()
    if _due_for_check() and not current.db.is_current():
        clear()
        ensure_built(tr("ui.loading", current_lang()))
        current = _engine()
    return current


def _due_for_check() -> bool:
    """True for at most one caller every CHECK_SECONDS."""
    global _checked_at
    now = time.monotonic()
    with _check_lock:
        if now - _checked_at < CHECK_SECONDS:
            return False
        _checked_at = now
        return True


@st.cache_resource(show_spinner=False)
def _engine() -> Engine:
    # No progress callback here: a closure in a cached function cannot be replayed on cache hits.
    return Engine()


def ensure_built(text: str, bar: Callable[..., ProgressBar] | None = None) -> bool:
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


def build_with_progress(text: str, bar: Callable[..., ProgressBar]) -> bool:
    """Build the database with a progress element (st.progress or a fake), then remove the element."""
    element = bar(0.0, text=text)

    def sink(fraction: float, what: str) -> None:
        element.progress(min(max(float(fraction), 0.0), 1.0), text=f"{text} {what}")

    try:
        Engine(progress=sink).close()
    finally:
        element.empty()
    return True


# Not st.cache_resource: hashing each key's contents for it was 6 % of a burst's CPU; a hit hands out the
# object itself (no pickling), so a finished plotly figure costs nothing to reuse, and concurrent first calls
# for one key wait for a single build.
_shared = SharedCache(_MAX_SHARED)


def shared(engine: Engine, key: tuple[Hashable, ...], build: Callable[[], T]) -> T:
    """build() once per key and data version, shared by every session: callers treat the result as read-only.

    engine is the one the run started with: a run that began before a new data version arrived finishes on
    the old one, and its results are filed under the old version, never the new one.
    """
    # The database file name carries the hash of every input, so a new data version is a new key.
    return _shared.get((str(engine.database), *key), build)


def clear() -> None:
    """Forget the engine and every shared result (after the data or config changed)."""
    global _built
    with _build_lock:
        _built = False  # the next engine() checks again whether a build is due, and shows its progress
    _shared.clear()
    _engine.clear()

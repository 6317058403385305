"""Issue 6: a first start that must build the warehouse shows a progress bar, not a blank page."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from metrics.database import needs_build
from metrics.i18n import tr
from ui import data

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"

# A page that only asks for the engine, with every st.progress call recorded (the bar is emptied at the end
# of the build, so the final element tree cannot show it).
SCRIPT = """
import streamlit as st
from ui import data

calls = st.session_state.setdefault("progress_calls", [])
real = st.progress

def recording(value, text=None, **kw):
    calls.append((value, text))
    return real(value, text=text, **kw)

st.progress = recording
try:
    e = data.engine()
finally:
    st.progress = real
st.write(f"as of {e.as_of.isoformat()}")
"""


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temporary copy of the mini fixture with an empty cache, made the app's project."""
    dst = tmp_path / "mini"
    shutil.copytree(MINI, dst)
    monkeypatch.setenv("CHUANYU_CONFIG", str(dst / "config.yaml"))
    monkeypatch.setenv("CHUANYU_DATA_DIR", str(dst / "data"))
    monkeypatch.setenv("CHUANYU_CACHE_DIR", str(tmp_path / "cache"))
    data.clear()  # the cached engine may be another test's
    yield dst
    data.clear()


class FakeBar:
    """Records what a progress element was told."""

    def __init__(self, value: float, text: str | None = None) -> None:
        """The element as first drawn."""
        self.calls: list[tuple[float, str | None]] = [(value, text)]
        self.emptied = False

    def progress(self, value: float, text: str | None = None) -> None:
        """An update."""
        self.calls.append((value, text))

    def empty(self) -> None:
        """The element removed."""
        self.emptied = True


def test_build_reports_progress_to_the_end_then_removes_the_bar(project: Path) -> None:
    bars: list[FakeBar] = []

    def make(value: float, text: str | None = None) -> FakeBar:
        bars.append(FakeBar(value, text))
        return bars[-1]

    assert needs_build()
    assert data.ensure_built("loading", make) is True
    assert not needs_build()
    [bar] = bars
    values = [v for v, _ in bar.calls]
    assert values[0] == 0.0 and values[-1] == 1.0 and values == sorted(values)
    assert all(0.0 <= v <= 1.0 for v in values)
    assert all(t.startswith("loading") for _, t in bar.calls)
    assert bar.emptied
    # Once built, nothing is drawn again in this process, nor after a restart with the database there.
    assert data.ensure_built("loading", make) is False
    data.clear()
    assert data.ensure_built("loading", make) is False and len(bars) == 1


def test_first_start_shows_a_localised_progress_bar_and_later_starts_do_not(project: Path) -> None:
    at = AppTest.from_string(SCRIPT, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    calls = at.session_state["progress_calls"]
    assert calls and calls[0] == (0.0, tr("ui.loading", "en")), calls
    assert len(calls) == 1  # updates go to the element itself (checked with a fake in the test above)
    assert "as of" in at.markdown[0].value
    assert not at.get("progress"), "the bar is gone once the data is loaded"

    again = AppTest.from_string(SCRIPT, default_timeout=60)
    again.run()
    assert not again.exception and again.session_state["progress_calls"] == []

    data.clear()  # e.g. after an ingest: checked again, but the database exists, so no bar
    fresh = AppTest.from_string(SCRIPT, default_timeout=60)
    fresh.run()
    assert not fresh.exception and fresh.session_state["progress_calls"] == []


def test_default_language_is_chinese(project: Path) -> None:
    at = AppTest.from_string(SCRIPT, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["progress_calls"][0] == (0.0, tr("ui.loading", "zh"))

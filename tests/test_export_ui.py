"""ui.downloads under AppTest: compact buttons, a clear note without Chromium, the deck built on click."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from metrics.exports import images


def app() -> None:
    import streamlit as st

    from metrics import Engine, Filters
    from metrics.charts import breakdown_chart
    from ui.downloads import bulk_downloads, chart_downloads, deck_button, table_downloads

    engine = st.cache_resource(Engine)()
    f = Filters(province="sichuan")
    chart = breakdown_chart(engine, engine.indicator("cardholders"), "city", f, "zh")
    data = chart.data
    chart_downloads(engine, chart, lang="zh", filters=f, key="c1")
    table_downloads(engine, data, name="table", lang="en", filters=f, indicator_ids=None, key="t1")
    bulk_downloads(engine, f, "en", "b1")
    deck_button(engine, f, "en", "d1")


@pytest.fixture(autouse=True)
def fresh_cache():
    """Decks built here with a stand-in renderer must not be served to later tests from the cache."""
    import streamlit as st

    from ui import downloads

    yield
    st.cache_data.clear()
    downloads._PACKS.clear()


def labels(at: AppTest) -> list[str]:
    return [b.label for b in at.get("download_button")]


class NoChromium:
    def render(self, *a: object, **k: object) -> bytes:
        raise images.ImageExportUnavailable("no Chromium")


def test_buttons_and_deck(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "images_available", lambda: True)
    monkeypatch.setattr(images, "renderer", lambda: NoChromium())  # keep the deck fast: no pictures
    at = AppTest.from_function(app, default_timeout=60).run()
    assert not at.exception
    assert labels(at) == [
        "CSV",
        "Excel",
        "PNG",
        "SVG",
        "CSV",
        "Excel",
        "Download all indicator values · CSV",
        "Download all indicator values · Excel",
    ]
    assert not at.info
    at.button(key="d1-build").click().run()
    assert not at.exception
    assert "Download PPTX" in labels(at)
    assert any("Ready in" in c.value for c in at.caption)


def test_without_chromium_the_chart_explains(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    at = AppTest.from_function(app, default_timeout=60).run()
    assert not at.exception
    assert "PNG" not in labels(at) and labels(at)[:2] == ["CSV", "Excel"]
    assert any("apt-get install chromium" in i.value for i in at.info)

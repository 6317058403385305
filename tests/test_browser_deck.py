"""The meeting pack from the Overview's export menu, built twice, in two sessions, in Chinese and English.

The second click used to fail with Streamlit's red error box (CacheReplayClosureError: a progress bar was
drawn inside a cached function). Now the pack is built outside Streamlit's caches and the same bytes are
offered at once to every later click and session with the same filters.
"""

from __future__ import annotations

import io

import pytest
from pptx import Presentation

from metrics.i18n import tr
from tests.support.browser import LOAD_MS, assert_clean, shot, wait_ready

pytestmark = pytest.mark.browser


def build_pack(page, server: str, lang: str) -> bytes:
    """Open the Overview, open the export menu, build the pack and download the PPTX."""
    page.goto(f"{server}/?lang={lang}&from=2023-01&to=2023-08")
    wait_ready(page, tr("page.overview", lang))
    page.get_by_role("button", name=tr("ui.export", lang)).first.click()
    page.get_by_role("button", name=tr("dl.deck_build", lang)).click()
    button = page.get_by_role("button", name=tr("dl.deck_download", lang))
    button.wait_for(timeout=LOAD_MS * 2)
    assert_clean(page)
    assert "This app has encountered an error" not in page.locator("body").inner_text()
    with page.expect_download() as got:
        button.click()
    return got.value.path().read_bytes()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pack_builds_twice_in_two_sessions(browser, server: str, lang: str) -> None:
    sizes = []
    for session in (1, 2):
        ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", accept_downloads=True)
        tab = ctx.new_page()
        tab.set_default_timeout(LOAD_MS)
        data = build_pack(tab, server, lang)
        # A second click in the same session offers the same pack again, without an error.
        tab.get_by_role("button", name=tr("dl.deck_build", lang)).click()
        tab.get_by_role("button", name=tr("dl.deck_download", lang)).wait_for()
        assert_clean(tab)
        shot(tab, f"overview-{lang}-pack-session-{session}")
        ctx.close()
        prs = Presentation(io.BytesIO(data))
        assert len(prs.slides) > 5
        sizes.append(len(data))
    assert sizes[0] == sizes[1]  # the second session got the pack the first one built

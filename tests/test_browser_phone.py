"""The dashboard on a phone (Playwright's iPhone 13 profile and a 375x812 viewport) and on a 1440x900 desktop:
the Overview, the Tasks page and an area page, in zh and en. One tab per test walks the three pages (a test per
device and language keeps the count small); screenshots go to artifacts/screenshots/phone-*.png."""

from __future__ import annotations

from typing import Any

import pytest

from metrics.comparisons import comparison_name
from metrics.i18n import tr
from metrics.status import status_label
from tests.support.browser import LOAD_MS, assert_clean, shot, wait_ready

pytestmark = pytest.mark.browser

PAGES = ("overview", "tasks", "employment")  # the area page: employment
SMALL = {"width": 375, "height": 812}
CHONGQING = {"zh": "重庆", "en": "Chongqing"}  # config.yaml's names for the province
PERIOD = "2023-01–2023-08"  # the shipped data's default period, as the filter summary writes it

# Elements whose text must show whole: headings, KPI names and values, task-card titles, the filter summary.
CUT_TEXT = """() => {
  const sel = 'h1, h2, h3, [data-testid="stMetricLabel"] p, [data-testid="stMetricValue"] > div, .tc-title,'
    + ' .st-key-filter-bar button p';
  return [...document.querySelector('[data-testid="stMain"]').querySelectorAll(sel)]
    .filter(e => e.offsetParent !== null && e.clientWidth > 0)
    .filter(e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)
    .map(e => e.innerText.slice(0, 60));
}"""
# Plotly draws titles in SVG, where nothing overflows: a cut title is one that runs past its chart's edges.
CUT_CHART_TITLES = """() => [...document.querySelectorAll('.js-plotly-plot .gtitle')].filter(t => {
  const svg = t.closest('svg').getBoundingClientRect(), r = t.getBoundingClientRect();
  return r.width > 0 && (r.left < svg.left - 1 || r.right > svg.right + 1);
}).map(t => t.textContent)"""
SIDEBAR_SHOWN = """() => { const r = document.querySelector('[data-testid="stSidebar"]').getBoundingClientRect();
  return Math.max(0, Math.min(r.right, innerWidth) - Math.max(r.left, 0)); }"""
# Sideways scrolling of the document, or of Streamlit's main scroll area.
OVERFLOW = """() => { const m = document.querySelector('[data-testid="stMain"]');
  return [document.scrollingElement.scrollWidth - innerWidth, m ? m.scrollWidth - m.clientWidth : 0]; }"""
TILES = """() => [...document.querySelectorAll('.st-key-kpi-grid > div')].map(e => e.getBoundingClientRect())
  .filter(r => r.width > 0).map(r => [Math.round(r.top), Math.round(r.left), Math.round(r.bottom)])"""


def row_sizes(tiles: list[list[int]]) -> list[int]:
    """How many tiles share each row (tiles of a row have the same top)."""
    tops: dict[int, int] = {}
    for top, _, _ in tiles:
        tops[top] = tops.get(top, 0) + 1
    return [tops[t] for t in sorted(tops)]


def iphone13(browser: Any) -> dict[str, Any]:
    """Playwright's "iPhone 13" profile (390x664, touch, DPR 3, Safari's user agent) for Chromium.

    The session's Playwright holds the device table; a second sync_playwright() cannot start on this thread.
    """
    devices = browser.browser_type._impl_obj._playwright.devices
    return {k: v for k, v in devices["iPhone 13"].items() if k != "default_browser_type"}


def open_page(tab: Any, server: str, page_id: str, lang: str) -> None:
    tab.goto(f"{server}/{'' if page_id == 'overview' else page_id}?lang={lang}")
    wait_ready(tab, tr(f"page.{page_id}", lang))
    assert_clean(tab)


def check_common(tab: Any, lang: str) -> None:
    """The filter summary is on the page, nothing scrolls sideways, no title is cut."""
    # Streamlit draws a popover's button twice, one copy of zero size: take the one on screen.
    bar = tab.locator('.st-key-filter-bar [data-testid="stPopoverButton"]').locator("visible=true").first
    assert bar.is_visible()
    summary = bar.inner_text()
    assert PERIOD in summary and comparison_name("yoy", lang) in summary, summary
    assert max(tab.evaluate(OVERFLOW)) <= 0
    assert tab.evaluate(CUT_TEXT) == []
    assert tab.evaluate(CUT_CHART_TITLES) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("device", ["iphone13", "375x812"])
def test_phone_layout(server: str, browser: Any, device: str, lang: str) -> None:
    if device == "iphone13":
        profile = iphone13(browser)
    else:
        profile = {"viewport": SMALL, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
    ctx = browser.new_context(**profile, locale="zh-CN")
    tab = ctx.new_page()
    tab.set_default_timeout(LOAD_MS)
    try:
        for page_id in PAGES:
            open_page(tab, server, page_id, lang)
            assert tab.evaluate(SIDEBAR_SHOWN) == 0, "the sidebar must start collapsed on a phone"
            check_common(tab, lang)
            sizes = row_sizes(tab.evaluate(TILES))
            assert sizes and max(sizes) == 2, sizes  # two tiles a row
            assert tab.locator(".modebar-container").first.is_hidden()  # no plotly toolbar on a touch screen
            shot(tab, f"phone-{device}-{page_id}-{lang}")
            if page_id == "tasks":  # the task list as cards, not the wide grid
                assert tab.locator(".task-card").count() == 97
                assert tab.locator('[class*="st-key-task-grid-"]').first.is_hidden()
                tab.locator(".task-card").first.scroll_into_view_if_needed()
                shot(tab, f"phone-{device}-tasks-cards-{lang}")
            if page_id == "overview":
                # A phone's browser (its User-Agent says so) gets compact tiles: no sparklines (so no vega
                # bundle) and no target bars (the status stays); a narrow desktop window still gets both, hidden
                # by the stylesheet.
                sparklines = tab.locator(".st-key-kpi-grid .vega-embed")
                bars = tab.locator('.st-key-kpi-grid [data-testid="stProgress"]')
                if device == "iphone13":
                    assert sparklines.count() == 0 and bars.count() == 0
                else:
                    sparklines.first.wait_for(state="attached")
                    assert bars.count() > 0 and bars.first.is_hidden()
                shown = tab.locator(".st-key-kpi-grid").inner_text()  # the status stays, in words
                assert any(status_label(s, lang) in shown for s in ("green", "amber", "red")), shown[:300]
                # A tap shows the card's source and quote.
                tab.locator('[class*="st-key-kpi-"][class*="-src"] button').locator("visible=true").first.tap()
                body = tab.locator('[data-testid="stPopoverBody"]').first
                # The body is drawn when the popover opens: the first headline card's published quote.
                body.get_by_text("为川渝2.1万家企业发布岗位141万个").wait_for()
                assert tr("ui.help_source", lang, source="").strip() in body.inner_text()
                shot(tab, f"phone-{device}-overview-source-{lang}")
                tab.keyboard.press("Escape")
                # The filter bar opens (its widgets are drawn once it is open); a choice closes it and the
                # summary says what was chosen.
                bar = tab.locator('.st-key-filter-bar [data-testid="stPopoverButton"]').locator("visible=true").first
                bar.tap()
                body = tab.locator('[data-testid="stPopoverBody"]').locator("visible=true").first
                body.get_by_role("radio", name=CHONGQING[lang], exact=True).tap()
                bar.filter(has_text=CHONGQING[lang]).wait_for()
                assert tab.locator('[data-testid="stPopoverBody"]').locator("visible=true").count() == 0
                shot(tab, f"phone-{device}-overview-filtered-{lang}")
    finally:
        ctx.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_desktop_layout(server: str, browser: Any, lang: str) -> None:
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    tab = ctx.new_page()
    tab.set_default_timeout(LOAD_MS)
    try:
        for page_id in PAGES:
            open_page(tab, server, page_id, lang)
            assert tab.evaluate(SIDEBAR_SHOWN) > 200, "the desktop keeps its sidebar open"
            check_common(tab, lang)
            tiles = tab.evaluate(TILES)
            if page_id == "overview":
                assert row_sizes(tiles) == [5, 5]  # ten headline cards: two full rows, no 4+4+2
                tab.locator(".st-key-kpi-grid .vega-embed").first.wait_for()  # sparklines on a desktop
                assert tiles[0][2] <= 900, "the first row of cards is above the fold"
                # A mouse has the tooltip: the tap button is for touch screens only.
                assert tab.locator('[class*="st-key-kpi-"][class*="-src"]').first.is_hidden()
            if page_id == "tasks":  # the wide grid, not the cards
                assert tab.locator('[class*="st-key-task-grid-"] [data-testid="stDataFrame"]').first.is_visible()
                assert tab.locator(".task-card").first.is_hidden()
            shot(tab, f"desktop-{page_id}-{lang}")
    finally:
        ctx.close()

"""The dashboard in a real browser: Playwright drives Debian's Chromium against `streamlit run server.py` (as
`make run`). Each test saves a screenshot to artifacts/screenshots/. Helpers: tests/support/browser.py."""

from __future__ import annotations

import pytest

from metrics.i18n import tr
from tests.support.browser import assert_clean, shot, wait_ready
from ui import chart_element
from ui.navigation import PAGES

pytestmark = pytest.mark.browser
CHART_PAGES = {p.id for p in PAGES if p.data} - {"definitions"}


def test_cold_deep_link_runs_the_router(server: str, page) -> None:
    # The first request to a fresh server opens a page's own address: the router must still run.
    page.goto(f"{server}/tasks?lang=en")
    wait_ready(page, "Task progress")
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Overview" in nav and "Definitions & data" in nav and "app" not in nav.split()
    assert_clean(page)
    shot(page, "tasks-en-deep-link")


@pytest.mark.parametrize("page_id", [p.id for p in PAGES if p.data])
def test_every_page_loads_with_charts(server: str, page, page_id: str) -> None:
    page.goto(f"{server}/{page_id}?lang=zh")
    wait_ready(page, tr(f"page.{page_id}", "zh"), charts=page_id in CHART_PAGES)
    assert_clean(page)
    if page_id in CHART_PAGES:
        # Drawn by the chart element with plotly's basic bundle; only a sankey needs Streamlit's full plotly.
        assert page.locator(".cy-plot.js-plotly-plot .main-svg").count() >= 2
        assert page.locator('[data-testid="stPlotlyChart"]:not(:has(.sankey))').count() == 0
        loaded = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
        full = any("/static/js/PlotlyChart." in u for u in loaded)
        assert full == (page.locator('[data-testid="stPlotlyChart"]').count() > 0), [u for u in loaded if "lotly" in u]
        assert sum(chart_element.BUNDLE in u for u in loaded) == 1  # one download, however many charts
        # The modebar keeps plotly's own PNG download.
        assert page.locator('.modebar-btn[data-title="Download plot as a PNG"]').count() >= 1
    else:  # the Definitions: its tabs and expanders draw their content once opened
        tables = page.locator('[data-testid="stDataFrame"]')
        assert tables.count() == 1 and page.locator('[data-testid="stCode"]').count() == 0
        page.get_by_role("tab", name=tr("ui.def_datasets", "zh")).click()
        page.locator(".st-key-def-ds-card_holders").wait_for(timeout=30_000)
        page.locator(".st-key-def-ds-card_holders summary").click()
        tables.nth(1).wait_for(timeout=30_000)  # the dataset's columns
        page.get_by_role("tab", name=tr("ui.def_indicators", "zh")).click()
        page.locator(".st-key-def-cardholders summary").click()
        page.locator('[data-testid="stCode"]').first.wait_for(timeout=30_000)
        assert "card_holders" in page.locator('[data-testid="stCode"]').first.inner_text()
        assert_clean(page)
    shot(page, f"{page_id}-zh")


def test_language_toggle_switches_visible_text(server: str, page) -> None:
    page.goto(f"{server}/")
    wait_ready(page, "总览")
    assert "核心指标" in page.locator("body").inner_text()
    shot(page, "overview-zh")
    page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="English", exact=True).click()
    wait_ready(page, "Overview")
    body = page.locator("body").inner_text()
    assert "Headline indicators" in body and "核心指标" not in body
    assert "Task progress" in page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "lang=en" in page.url
    assert_clean(page)
    shot(page, "overview-en")


def test_filters_follow_the_user_and_the_url(server: str, page) -> None:
    page.goto(f"{server}/public_services?lang=en")
    wait_ready(page, "Public services & data sharing")
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("radio", name="Chongqing", exact=True).click()
    page.wait_for_url("**province=chongqing**")
    wait_ready(page, "Public services & data sharing")
    shot(page, "public-services-en-chongqing")
    sidebar.locator('[data-testid="stSidebarNav"]').get_by_text("Social security").click()
    wait_ready(page, "Social security")
    page.wait_for_url("**province=chongqing**")
    assert sidebar.get_by_role("radio", name="Chongqing", exact=True).get_attribute("aria-checked") == "true"
    assert_clean(page)
    shot(page, "social-security-en-chongqing")


def test_a_link_past_the_data_opens_this_year_to_date(server: str, page) -> None:
    # No period after the data's as-of month can be chosen: an old or crafted link falls back to the default.
    page.goto(f"{server}/?from=2024-01&to=2024-06")
    wait_ready(page, "总览")
    page.wait_for_url("**period=ytd**")
    assert "2024" not in page.locator('[data-testid="stSidebar"]').inner_text()
    assert_clean(page)
    shot(page, "overview-zh-link-past-the-data")


def test_period_slider_changes_numbers(server: str, page, engine) -> None:
    from metrics import Filters
    from metrics.formatting import format_number

    page.goto(f"{server}/?lang=en")
    wait_ready(page, "Overview")
    start = page.locator('[data-testid="stSidebar"] input[type="range"]').first
    start.focus()
    page.keyboard.press("End")  # the start thumb runs up to the end thumb: one month, 2023-08
    page.wait_for_url("**from=2023-08**")
    want = format_number(engine.value("online_recruit_positions", Filters("2023-08", "2023-08")).value, "en")
    page.locator('[data-testid="stMetricValue"]', has_text=want).first.wait_for()
    wait_ready(page, "Overview")
    assert_clean(page)
    shot(page, "overview-en-2023-08")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_overviews_own_address_opens_the_overview(server: str, page, lang: str) -> None:
    # Streamlit serves the default page at /; its own path used to answer "Page not found" in English.
    page.goto(f"{server}/overview?lang={lang}&province=chongqing")
    wait_ready(page, tr("page.overview", lang))
    assert "Page not found" not in page.locator("body").inner_text()
    assert page.locator('[data-testid="stDialog"]').count() == 0
    page.wait_for_url("**province=chongqing**")
    assert_clean(page)

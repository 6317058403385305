"""The dashboard in a real browser: Playwright drives Debian's Chromium against `streamlit run server.py` (as `make run`).

Outside CI, where Chromium or Playwright is missing, these tests skip with the reason. Under CI=true they fail
instead: CI installs everything with the project's own files (make test -> scripts/setup_system.sh).
Each test saves a screenshot to artifacts/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from ui.strings import PAGE_TITLES

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")  # Debian's package; CHROMIUM_PATH overrides
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
VIEWPORT = {"width": 1440, "height": 2000}
LOAD_MS = 90_000
DATA_PAGES = [p for p in PAGE_TITLES if p != "definitions"]


def _chromium() -> str | None:
    """The Chromium executable to drive, if there is one."""
    return CHROMIUM if Path(CHROMIUM).is_file() else shutil.which("chromium")


def _unavailable() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if _chromium() is None:
        return f"Debian's chromium is not installed ({CHROMIUM}); run `make system` as root"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed; run `make setup`"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            # /api/ready (server.py) answers 200 once the warm-up has opened every data page: what a
            # deployment's readiness probe waits for. 503 before that arrives here as an HTTPError (OSError).
            with urllib.request.urlopen(f"{url}/api/ready", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"streamlit was not ready at {url} within {timeout:.0f} s")


def require_browser() -> None:
    """Skip when Chromium or the CJK fonts are missing; under CI=true, fail instead."""
    reason = _unavailable()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run in CI: {reason}")
        pytest.skip(reason)


@contextmanager
def started_app(log_name: str, env: dict[str, str] | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """`streamlit run server.py` (as `make run`) on a free port until the block ends, not yet waited for;
    its output goes to artifacts/log_name."""
    port = _free_port()
    SHOTS.parent.mkdir(parents=True, exist_ok=True)
    log = open(SHOTS.parent / log_name, "w", encoding="utf-8")  # read it when a browser test fails in CI
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield f"http://127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@contextmanager
def running_app(log_name: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """started_app, once /api/ready says the server has warmed up."""
    with started_app(log_name, env) as (url, proc):
        _wait_healthy(url, proc)
        yield url


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """`streamlit run server.py` on a free local port, for the whole session."""
    require_browser()
    with running_app("streamlit-browser-tests.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser(server: str):
    """Debian's Chromium driven by Playwright (playwright install cannot download browsers here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=_chromium(), args=CHROME_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    """A fresh tab (a fresh Streamlit session) per test."""
    ctx = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    tab = ctx.new_page()
    tab.set_default_timeout(LOAD_MS)
    yield tab
    ctx.close()


def wait_ready(page, title: str, charts: bool = True) -> None:
    """Wait until the page shows its title, its charts have drawn and the script has finished."""
    page.locator("h1", has_text=title).first.wait_for()
    if charts:
        page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg').first.wait_for()
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0", timeout=LOAD_MS)
    page.wait_for_timeout(500)  # let plotly finish its transitions before the screenshot


def assert_clean(page) -> None:
    """No Streamlit exception box and no traceback text."""
    assert page.locator('[data-testid="stException"]').count() == 0
    text = page.locator("body").inner_text()
    assert "Traceback" not in text and "Error:" not in text


def shot(page, name: str) -> Path:
    """Save a screenshot of the viewport to artifacts/screenshots/<name>.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def test_cold_deep_link_runs_the_router(server: str, page) -> None:
    # The first request to a fresh server opens a page's own address: the router must still run.
    page.goto(f"{server}/tasks?lang=en")
    wait_ready(page, "Task progress")
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Overview" in nav and "Definitions & data" in nav and "app" not in nav.split()
    assert_clean(page)
    shot(page, "tasks-en-deep-link")


@pytest.mark.parametrize("page_id", list(PAGE_TITLES))
def test_every_page_loads_with_charts(server: str, page, page_id: str) -> None:
    page.goto(f"{server}/{page_id}?lang=zh")
    wait_ready(page, PAGE_TITLES[page_id][0], charts=page_id in DATA_PAGES)
    assert_clean(page)
    if page_id in DATA_PAGES:
        assert page.locator('[data-testid="stPlotlyChart"]').count() >= 2
        assert page.locator(".js-plotly-plot .main-svg").count() >= 2
        # The modebar keeps plotly's own PNG download.
        assert page.locator('.modebar-btn[data-title="Download plot as a PNG"]').count() >= 1
    else:
        assert page.locator('[data-testid="stDataFrame"]').count() >= 2
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


def test_empty_period_shows_a_message(server: str, page) -> None:
    page.goto(f"{server}/?from=2024-01&to=2024-06")
    page.locator("h1", has_text="总览").first.wait_for()
    page.get_by_text("没有数据", exact=False).first.wait_for()
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 0
    assert_clean(page)
    shot(page, "overview-zh-empty-period")


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

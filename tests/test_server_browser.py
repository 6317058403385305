"""The deployed server in Chromium: nothing from outside, a CSP the pages satisfy, icons from our own origin, the
admin's upload accepted, and a first page under 2.5 MB on the wire.

One `streamlit run server.py` for the module, on a temporary copy of data/ with one local admin (alice). Skips
like tests/test_browser.py when Chromium or Playwright is missing, and fails instead under CI=true.
Screenshots go to artifacts/screenshots/server-*.png.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from metrics.auth import hash_password
from metrics.i18n import tr
from tests.support.browser import (
    LOAD_MS,
    VIEWPORT,
    assert_clean,
    require_browser,
    running_app,
    shot,
    wait_ready,
)
from tests.test_server_http import STATIC, upload_bytes_held
from ui import chart_element
from ui.navigation import Access, nav_pages
from webserver import static

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery"
# What a visitor of this server can open: an admin account is configured, reporting roles are not (so the
# report page is not registered), and the navigation lists the data pages and the sign-in link.
VISITOR = nav_pages(Access(can_sign_in=True))
PAGES = [e.page.id for e in VISITOR]
LISTED = sum(e.listed for e in VISITOR)
CHARTLESS = {"definitions", "admin", "account"}
FIRST_PAGE_LIMIT = 2_500_000  # bytes on the wire (issue 14's target)
# Reports Content-Security-Policy violations into window.__csp, from the first moment of every document.
CSP_LISTENER = (
    "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push("
    "e.violatedDirective + ' ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber));"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The server on a data copy with one admin; waits for /api/ready (which the warm-up turns 200)."""
    require_browser()
    copy = tmp_path_factory.mktemp("server-browser") / "data"
    shutil.copytree(ROOT / "data", copy)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHUANYU_")}
    env.update(
        CHUANYU_DATA_DIR=str(copy),
        CHUANYU_CACHE_DIR=str(tmp_path_factory.mktemp("server-cache")),
        CHUANYU_ADMINS=f"alice:{hash_password(PASSWORD, log_n=10)}",
        CHUANYU_WARMUP="0",
        CHUANYU_IMAGE_PREWARM="0",
    )
    with running_app("streamlit-server-browser-tests.log", env) as url:
        yield url


def title(page_id: str, lang: str) -> str:
    """A page's title in lang."""
    return tr(f"page.{page_id}", lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page_id", PAGES)
def test_every_page_renders_from_our_server_alone(site: str, browser: Any, page_id: str, lang: str) -> None:
    ctx = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    foreign: list[str] = []
    fonts: list[tuple[str, int]] = []

    def only_ours(route: Any) -> None:
        if route.request.url.startswith(site + "/"):
            route.continue_()
        else:  # a blocked request still shows up here: the test fails on it, the page does not hang on it
            foreign.append(route.request.url)
            route.abort()

    ctx.route("**/*", only_ours)
    ctx.add_init_script(CSP_LISTENER)
    page = ctx.new_page()
    page.set_default_timeout(LOAD_MS)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type in ("error", "warning") else None)
    page.on("response", lambda r: fonts.append((r.url, r.status)) if "MaterialSymbols" in r.url else None)
    try:
        page.goto(f"{site}/{'' if page_id == 'overview' else page_id}?lang={lang}")  # the first page is at /
        wait_ready(page, title(page_id, lang), charts=page_id not in CHARTLESS)
        assert_clean(page)
        assert page.locator('[data-testid="stDialog"]').count() == 0  # e.g. Streamlit's "Page not found"
        if page_id in CHARTLESS:
            assert page.locator('[data-testid="stDataFrame"], [data-testid="stForm"]').count() >= 1
        else:
            assert page.locator(".js-plotly-plot .main-svg").count() >= 2
        # Icons: the Material Symbols font came from this server and is in use, so the nav's icon names are
        # drawn as glyphs (about 24 px wide), not as words like "dashboard".
        page.wait_for_function("() => document.fonts.check('24px \"Material Symbols Rounded\"')")
        icons = page.locator('[data-testid="stSidebarNav"] [data-testid="stIconMaterial"]')
        assert icons.count() == LISTED
        widths = [icons.nth(i).bounding_box()["width"] for i in range(icons.count())]
        assert max(widths) < 40, widths
        assert fonts and all(url.startswith(site + "/static/media/") and status == 200 for url, status in fonts)
        favicon = page.locator('link[rel~="icon"]').first.get_attribute("href") or ""
        assert favicon.startswith("data:image/svg+xml"), favicon[:80]  # our handshake, not fonts.gstatic.com
        assert foreign == [], foreign
        assert page.evaluate("window.__csp") == []
        assert not [m for m in console if "Content Security Policy" in m or "Refused to" in m], console
        shot(page, f"server-{page_id}-{lang}")
    finally:
        ctx.close()


def test_the_signed_in_admins_upload_is_accepted(site: str, browser: Any) -> None:
    ctx = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    page = ctx.new_page()
    page.set_default_timeout(LOAD_MS)
    puts: list[int] = []
    page.on(
        "response",
        lambda r: puts.append(r.status) if r.request.method == "PUT" and "/_stcore/upload_file/" in r.url else None,
    )
    try:
        page.goto(f"{site}/admin?lang=en")
        wait_ready(page, "Data admin", charts=False)
        form = page.locator('[data-testid="stForm"]')
        form.get_by_label(tr("ui.login_user", "en")).fill("alice")
        form.get_by_label(tr("ui.login_password", "en"), exact=True).fill(PASSWORD)
        form.get_by_role("button", name=tr("ui.login_submit", "en")).click()
        uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]')
        uploader.wait_for(state="attached")
        held = upload_bytes_held(site)
        content = b"month,province,accounts\n" + b"2023-09,chongqing,2100000\n" * 20_000  # about 0.5 MB
        uploader.set_input_files(files=[{"name": "pension.csv", "mimeType": "text/csv", "buffer": content}])
        page.get_by_text("pension.csv").wait_for()
        deadline = time.monotonic() + 30
        while not puts and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        assert puts == [204], puts
        assert upload_bytes_held(site) - held == len(content)  # the server holds the admin's file, as it should
        assert_clean(page)
        shot(page, "server-admin-upload")
    finally:
        ctx.close()


def local_file(url: str) -> Path:
    """The file a script URL of the app serves: Streamlit's static folder, or the chart element's."""
    if chart_element.ROUTE in url:
        return chart_element.ASSETS / url.split(chart_element.ROUTE, 1)[1]
    return STATIC / "static" / url.split("/static/", 1)[1]


def test_the_first_page_is_compressed_and_under_2_5_mb(site: str, browser: Any) -> None:
    # Not waiting for the background's best compression: right after a start, a first visitor gets the fast
    # copies (brotli 5, about 15 % larger), and those must be under the limit too.
    ctx = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    page = ctx.new_page()
    page.set_default_timeout(LOAD_MS)
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    sizes: dict[str, int] = {}
    kinds: dict[str, tuple[str, str | None]] = {}
    cdp.on(
        "Network.responseReceived",
        lambda e: kinds.__setitem__(
            e["requestId"],
            (e["response"]["url"], {k.lower(): v for k, v in e["response"]["headers"].items()}.get("content-encoding")),
        ),
    )
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    try:
        page.goto(f"{site}/")
        wait_ready(page, "总览")
        page.wait_for_load_state("networkidle")
        total = sum(sizes.values())
        scripts = {url: (enc, local_file(url).stat().st_size) for url, enc in kinds.values() if url.endswith(".js")}
        plain = [url for url, (enc, size) in scripts.items() if enc != "br" and size >= static.MIN_BYTES]
        assert len(scripts) > 20 and plain == []  # files under 1 kB go as they are: nothing to gain
        assert total <= FIRST_PAGE_LIMIT, f"{total:,} bytes on the wire"
        # The charts' bundle, the element's module and Streamlit's chunk for it each once: named in the page's
        # HTML, then found in the browser's module map, not fetched a second time.
        asked = [url for url, _ in kinds.values()]
        for name in (chart_element.BUNDLE, chart_element.SCRIPT, f"/{chart_element.LAZY_CHUNK}."):
            assert sum(name in url for url in asked) == 1, name
        # Uncompressed, the scripts alone would be over the limit: compression is what meets it.
        assert sum(size for _, size in scripts.values()) > FIRST_PAGE_LIMIT
    finally:
        ctx.close()

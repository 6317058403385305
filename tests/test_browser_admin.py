"""The data admin page in a real browser: sign in with a local admin, upload a CSV, ingest it, see the new data.

`streamlit run server.py` runs on a free port against a temporary copy of data/ ($CHUANYU_DATA_DIR) and a temporary
cache, with one admin account in $CHUANYU_ADMINS. Skips like tests/test_browser.py when Chromium or Playwright is
missing, and fails instead under CI=true. Screenshots go to artifacts/screenshots/admin-*.png.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from metrics.auth import hash_password
from tests.support.browser import (
    CHROME_ARGS,
    LOAD_MS,
    VIEWPORT,
    assert_clean,
    chromium_path,
    require_browser,
    running_app,
    shot,
    wait_ready,
)

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery"
VALID = b"month,province,accounts\n2023-09,chongqing,2100000\n"
INVALID = "月份,省市,累计开户人数\n2023-09,chongqing,-5\n2023-10,shanghai,100\n".encode("gb18030")
DATASET_LABEL = "个人养老金开户 · personal_pension_accounts"


def digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every dataset file in a folder (hidden bookkeeping files excluded)."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(".")
    }


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary copy of data/ for the server to read and write."""
    dst = tmp_path_factory.mktemp("admin-browser") / "data"
    shutil.copytree(ROOT / "data", dst)
    return dst


@pytest.fixture(scope="module")
def admin_server(copy: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run server.py` on a free port, on the data copy, with one local admin (alice)."""
    require_browser()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHUANYU_")}
    env.update(
        CHUANYU_DATA_DIR=str(copy),
        CHUANYU_CACHE_DIR=str(tmp_path_factory.mktemp("admin-cache")),
        CHUANYU_ADMINS=f"alice:{hash_password(PASSWORD, log_n=10)}",
        CHUANYU_IMAGE_PREWARM="0",
    )
    with running_app("streamlit-admin-browser-test.log", env) as url:
        yield url


def in_own_browser(scenario: Callable[[object], None]) -> None:
    """Run scenario(page) in a fresh Chromium tab, on a thread of its own.

    tests/test_browser.py keeps a session-wide Playwright open on the main thread, and Playwright's sync API
    refuses to start a second one there; a thread has no running event loop, so this works in any test order.
    """
    from playwright.sync_api import sync_playwright

    def run() -> None:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROME_ARGS)
            try:
                page = browser.new_context(viewport=VIEWPORT, locale="zh-CN").new_page()
                page.set_default_timeout(LOAD_MS)
                scenario(page)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(run).result()  # re-raises the scenario's assertion errors here


def sign_in(page, password: str) -> None:
    """Fill the admin sign-in form and submit it."""
    form = page.locator('[data-testid="stForm"]')
    form.get_by_label("用户名").fill("alice")
    form.get_by_label("密码", exact=True).fill(password)
    form.get_by_role("button", name="登录").click()


def choose_file(page, name: str, content: bytes) -> None:
    """Put a file in the uploader (replacing any other) and wait until the page has it."""
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )
    page.get_by_text(name).wait_for()
    wait_ready(page, "数据管理", charts=False)


def test_admin_signs_in_uploads_and_ingests(admin_server: str, copy: Path) -> None:
    in_own_browser(lambda page: sign_in_refuse_ingest_roll_back(page, admin_server, copy))


def sign_in_refuse_ingest_roll_back(page, url: str, copy: Path) -> None:
    """The officer's path: wrong password, right password, a refused file, a valid one, a rollback."""
    shipped = digest(ROOT / "data")
    page.goto(f"{url}/admin?lang=zh")
    wait_ready(page, "数据管理", charts=False)
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    shot(page, "admin-zh-sign-in")

    sign_in(page, "not the password")
    page.get_by_text("用户名或密码错误。").wait_for()
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    shot(page, "admin-zh-wrong-password")

    sign_in(page, PASSWORD)
    page.locator('[data-testid="stFileUploader"]').wait_for()
    page.get_by_text("已登录:alice(管理员)").wait_for()
    page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name=DATASET_LABEL).click()
    page.get_by_text("重庆个人养老金累计开户人数", exact=False).first.wait_for()  # the chosen dataset's description
    choose_file(page, "养老金开户_有误.csv", INVALID)
    page.get_by_role("button", name="导入", exact=True).click()
    page.get_by_text("未导入:发现 2 个问题,数据未做任何更改。").wait_for()
    wait_ready(page, "数据管理", charts=False)
    page.get_by_role("button", name="下载问题清单(CSV)").wait_for()  # below the problems table
    shot(page, "admin-zh-refused")
    assert digest(copy) == shipped

    choose_file(page, "养老金开户_2023年9月.csv", VALID)
    page.get_by_role("button", name="导入", exact=True).click()
    page.get_by_text("导入成功,已成为版本 v2。看板数据截至 2023-09。").wait_for()
    page.locator('[data-testid="stSidebar"]').get_by_text("数据截至 2023-09").wait_for()
    wait_ready(page, "数据管理", charts=False)
    assert_clean(page)
    shot(page, "admin-zh-ingested")

    page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="English", exact=True).click()
    wait_ready(page, "Data admin", charts=False)
    page.get_by_text("Ingested as version v2. The dashboard's data is now as of 2023-09.").wait_for()
    wait_ready(page, "Data admin", charts=False)
    shot(page, "admin-en-ingested")
    # The chosen dataset is kept, and named in the new language.
    box = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first
    chosen = box.inner_text() + " ".join(box.locator("input").evaluate_all("els => els.map(e => e.value)"))
    assert "Personal pension accounts · personal_pension_accounts" in chosen, chosen
    page.get_by_role("tab", name="Versions and rollback").click()
    page.get_by_text("Roll back to version").wait_for()
    assert_clean(page)
    shot(page, "admin-en-versions")

    page.get_by_text("I confirm: put the chosen version back in use").click()
    page.get_by_role("button", name="Roll back").click()
    page.get_by_text("Rolled back: version v1 is back in use as version v3.", exact=False).wait_for()
    page.locator('[data-testid="stSidebar"]').get_by_text("2023-08-29").first.wait_for()
    wait_ready(page, "Data admin", charts=False)
    assert_clean(page)
    shot(page, "admin-en-rolled-back")
    page.get_by_role("tab", name="Audit log").click()
    wait_ready(page, "Data admin", charts=False)
    shot(page, "admin-en-audit")

    assert digest(copy) == shipped, "the rollback put the original bytes back"
    assert digest(ROOT / "data") == shipped, "the shipped data is never written"

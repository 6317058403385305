"""Reporting in a real browser: a Sichuan reporter submits a report on a Sichuan-led task, a reviewer approves it,
and the Tasks page (status and burn-up) and the Overview show it on their next run; a crafted link to a
Chongqing-led task is refused and stores nothing.

`streamlit run server.py` runs on the shipped data (read only here) with a temporary user store
($CHUANYU_DATABASE_URL), two local accounts and the roles in CHUANYU_REPORTERS / CHUANYU_REVIEWERS.
Screenshots go to artifacts/screenshots/report-*.png.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

from metrics.auth import hash_password
from metrics.reports import read_ledger
from metrics.userstore import audit, open_store
from tests.support.browser import LOAD_MS, assert_clean, require_browser, running_app, shot, wait_ready

pytestmark = pytest.mark.browser
PASSWORDS = {"alice": "alice passphrase 1", "dave": "dave passphrase 22"}
TASK, OTHER = "T019", "T018"  # led and reported by Sichuan; by Chongqing
# A submission or review shows on the next run of every page, without a reload or a rebuild. On a quiet machine
# that is within 2 s (1.0-1.9 s measured); the bound here leaves room for a busy test machine (3.1 s seen with
# two test workers) and still fails when the pages keep showing cached task views.
FRESH_S = 10.0
# The last two months of the burn-up's completed line, read from the drawn plotly figure.
BURNUP_TAIL = """() => {
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    if (((gd.layout.title || {}).text || '').includes('任务累计完成趋势')) {
      // _fullData: the decoded traces (gd.data keeps plotly's base64 typed arrays as sent).
      const line = (gd._fullData || gd.data).find((d) => d.name === '实际完成');
      return Array.from(line.y).slice(-2);
    }
  }
  return null;
}"""


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('report-store') / 'store.sqlite3'}"


@pytest.fixture(scope="module")
def report_server(store_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_browser()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHUANYU_")}
    env.update(
        CHUANYU_DATABASE_URL=store_url,
        CHUANYU_CACHE_DIR=str(tmp_path_factory.mktemp("report-cache")),
        CHUANYU_VIEWERS=" ".join(f"{u}:{hash_password(p, log_n=10)}" for u, p in PASSWORDS.items()),
        CHUANYU_REPORTERS="sichuan=alice;chongqing=carol",
        CHUANYU_REVIEWERS="dave",
        CHUANYU_IMAGE_PREWARM="0",
        CHUANYU_WARMUP="0",
    )
    with running_app("streamlit-report-browser-test.log", env) as url:
        yield url


def tab(browser: Any) -> tuple[Any, Any]:
    ctx = browser.new_context(viewport={"width": 1440, "height": 1800}, locale="zh-CN")
    page = ctx.new_page()
    page.set_default_timeout(LOAD_MS)
    return ctx, page


def sign_in(page: Any, url: str, user: str, query: str = "") -> None:
    page.goto(f"{url}/report?lang=zh{query}")
    wait_ready(page, "任务填报", charts=False)
    form = page.locator('[data-testid="stForm"]')
    form.get_by_label("用户名").fill(user)
    form.get_by_label("密码", exact=True).fill(PASSWORDS[user])
    form.get_by_role("button", name="登录").click()
    page.get_by_text(f"已登录:{user}").wait_for()
    wait_ready(page, "任务填报", charts=False)


def completed(page: Any) -> str:
    card = page.locator('[data-testid="stMetric"]', has_text="已完成").first
    return card.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_report_approve_and_every_page_follows(report_server: str, store_url: str, browser) -> None:
    watch_ctx, watch = tab(browser)  # a viewer with the Tasks page open all along
    watch.goto(f"{report_server}/tasks?lang=zh")
    wait_ready(watch, "任务进展")
    assert completed(watch) == "63/97"

    ctx, page = tab(browser)
    sign_in(page, report_server, "alice")
    page.locator('[data-testid="stSelectbox"]', has_text="填报任务").click()
    page.get_by_role("option", name=re.compile(f"^{TASK} ")).click()
    page.get_by_text(f"任务 {TASK} · 报送期 2023-08").wait_for()
    # Until the run has finished, the form of the task shown before can still be on the page beside the new one.
    page.wait_for_function(
        '() => document.querySelectorAll(\'[data-testid="stForm"] input[aria-label="进度"]\').length === 1'
    )
    form = page.locator('[data-testid="stForm"]')
    form.get_by_label("进度", exact=True).fill("100")
    form.locator('[data-testid="stSelectbox"]', has_text="报告状态").click()
    page.get_by_role("option", name="已完成").click()
    form.get_by_label("进展情况").fill("已在全国创业大赛完成展示推广")
    shot(page, "report-zh-filled")
    form.get_by_role("button", name="提交报告").click()
    page.get_by_text(f"已提交:{TASK} 2023-08 第2版,等待审核。").wait_for()
    assert_clean(page)
    ctx.close()

    watch.reload()
    wait_ready(watch, "任务进展")
    assert completed(watch) == "63/97", "a pending report changes nothing official"
    # The viewer moves on to the Overview while the review happens; after it, they move through the pages with
    # the app's own navigation (no reload), as anyone does.
    nav = watch.locator('[data-testid="stSidebarNav"]')
    nav.get_by_role("link", name="总览").click()
    watch.locator(".js-plotly-plot .annotation-text", has_text="63/97").first.wait_for()

    ctx, page = tab(browser)
    sign_in(page, report_server, "dave")
    item = page.locator(f'[class*="st-key-review-{TASK}-2023-08-"]', has_text=f"{TASK} 在全国创业大赛").first
    item.get_by_text("100% · 已完成").wait_for()
    item.get_by_text("65% · 正常推进").wait_for()  # the report before, beside it
    shot(page, "report-zh-review-queue")
    item.get_by_role("button", name="通过").click()
    page.get_by_text(f"已通过:{TASK} 2023-08。").wait_for()
    approved = time.monotonic()
    nav.get_by_role("link", name="任务进展").click()
    # Wait longer than the bound, so a slow run says how slow it was (asserted below).
    watch.locator('[data-testid="stMetricValue"]', has_text="64/97").wait_for(timeout=LOAD_MS)
    tasks_seen = time.monotonic() - approved
    ctx.close()
    wait_ready(watch, "任务进展")
    assert watch.evaluate(BURNUP_TAIL) == [62, 64]  # July, then August with the approved completion
    shot(watch, "report-zh-tasks-after-approval")
    started = time.monotonic()
    nav.get_by_role("link", name="总览").click()
    watch.locator(".js-plotly-plot .annotation-text", has_text="64/97").first.wait_for(timeout=LOAD_MS)
    overview_seen = time.monotonic() - started
    print(f"approval to the Tasks page: {tasks_seen:.2f} s; a move to the Overview: {overview_seen:.2f} s")
    assert_clean(watch)
    shot(watch, "report-zh-overview-after-approval")
    watch_ctx.close()
    assert overview_seen < FRESH_S, f"the Overview showed the approval after {overview_seen:.2f} s"
    assert tasks_seen < FRESH_S, f"the Tasks page showed the approval after {tasks_seen:.2f} s"
    store = open_store(url=store_url)
    assert store is not None and audit.verify(store) == []
    assert [a for a in (e["action"] for e in audit.events(store)) if a.startswith("report.")] == [
        "report.submit",
        "report.approve",
    ]


def test_a_crafted_link_to_a_chongqing_task_is_refused(report_server: str, store_url: str, browser) -> None:
    store = open_store(url=store_url)
    assert store is not None
    before = len(read_ledger(store).frame)
    ctx, page = tab(browser)
    sign_in(page, report_server, "alice", f"&task={OTHER}")
    form = page.locator('[data-testid="stForm"]')
    form.get_by_label("进展情况").fill("越权填报")
    form.get_by_role("button", name="提交报告").click()
    page.get_by_text("alice 代表四川填报,任务 T018 由重庆报送").wait_for()
    shot(page, "report-zh-crafted-refused")
    ctx.close()
    assert len(read_ledger(store).frame) == before
    assert OTHER not in set(read_ledger(store).frame["task_id"])

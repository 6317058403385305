"""A data version written by another process reaches a running dashboard within seconds, without a restart.

Before, only the admin page's own actions cleared the dashboard's caches: after a CLI ingest the CLI said
digital_skill_talents was 985,000 while the Talent page kept showing 85,000 until the server restarted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.browser import LOAD_MS, ROOT, assert_clean, require_browser, running_app, shot, wait_ready

pytestmark = pytest.mark.browser
CHANGE = b"month,province,programme,value\n2023-08,sichuan,digital_skill_talents,901153\n"


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dst = tmp_path_factory.mktemp("fresh") / "data"
    shutil.copytree(ROOT / "data", dst)
    return dst


@pytest.fixture(scope="module")
def fresh_server(copy: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_browser()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHUANYU_")}
    env.update(
        CHUANYU_DATA_DIR=str(copy),
        CHUANYU_CACHE_DIR=str(tmp_path_factory.mktemp("fresh-cache")),
        CHUANYU_IMAGE_PREWARM="0",
        CHUANYU_WARMUP="0",
    )
    with running_app("streamlit-freshness-test.log", env) as url:
        yield url


def card_value(page, label: str) -> str:
    card = page.locator('[data-testid="stMetric"]', has_text=label).first
    return card.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_a_cli_ingest_reaches_the_running_dashboard(fresh_server: str, copy: Path, browser, tmp_path: Path) -> None:
    ctx = browser.new_context(viewport={"width": 1440, "height": 1400}, locale="zh-CN")
    page = ctx.new_page()
    page.set_default_timeout(LOAD_MS)
    page.goto(f"{fresh_server}/talent?lang=zh&period=since-signing")
    wait_ready(page, "人才")
    assert card_value(page, "数字技能人才培育") == "8.5万"

    upload = tmp_path / "more.csv"
    upload.write_bytes(CHANGE)
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "metrics",
            "ingest",
            "programme_activity",
            str(upload),
            "--mode",
            "upsert",
            "--user",
            "cli-test",
            "--data-dir",
            str(copy),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    written = time.monotonic()

    deadline = written + 30
    seen = None
    while time.monotonic() < deadline:
        page.reload()
        wait_ready(page, "人才")
        seen = card_value(page, "数字技能人才培育")
        if seen == "98.5万":
            break
        time.sleep(0.5)
    assert seen == "98.5万", seen
    assert time.monotonic() - written < 15  # within a few seconds (a check every 2 s, then one rebuild)
    assert_clean(page)
    shot(page, "talent-zh-after-cli-ingest")
    ctx.close()

"""The warm-up at server start (ui/warmup.py) and its readiness route, the deployed entry (server.py)."""

from __future__ import annotations

import asyncio
import json
import os
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from benchmarks import loadtest
from tests.support.browser import SHOTS, free_port, started_app
from ui import warmup
from ui.navigation import DATA_PAGES
from ui.wsclient import open_page


def run(coro):
    """asyncio.run in its own thread: Playwright's sync tests leave an event loop running in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def test_plan_opens_every_data_page_in_both_languages_and_provinces() -> None:
    plan = warmup.plan()
    assert len(plan) == len(DATA_PAGES) * 2 * 3
    assert len(set(plan)) == len(plan)
    # What a bare shared link opens comes first: the default page, in Chinese, both provinces.
    assert plan[0] == ("", "lang=zh")
    assert {p for p, _ in plan} == {"" if p == "overview" else p for p in DATA_PAGES}
    assert "admin" not in {p for p, _ in plan}  # behind a login: nothing to warm
    assert {q for _, q in plan} == {
        "lang=zh",
        "lang=en",
        "lang=zh&province=sichuan",
        "lang=en&province=sichuan",
        "lang=zh&province=chongqing",
        "lang=en&province=chongqing",
    }


def test_ready_answers_503_until_the_warm_up_is_done(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warmup, "STATE", warmup.WarmState())
    assert run(warmup.ready(None)).status_code == 503
    warmup.STATE.done, warmup.STATE.runs = True, 42
    response = run(warmup.ready(None))
    assert response.status_code == 200 and json.loads(response.body)["runs"] == 42
    assert response.headers["cache-control"] == "no-store"


def test_warm_up_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warmup, "STATE", warmup.WarmState())
    monkeypatch.setenv("CHUANYU_WARMUP", "0")

    async def enter() -> warmup.WarmState:
        async with warmup.lifespan(None):
            return warmup.STATE

    state = run(enter())
    assert state.done and not state.enabled and state.runs == 0


def test_a_page_that_cannot_be_reached_is_reported_not_raised() -> None:
    port = free_port()  # nothing listens there once its probe socket has closed
    out = run(open_page(f"http://127.0.0.1:{port}", "", "lang=zh", timeout=5))
    assert out["error"] and out["status"] is None


def test_load_test_round_four_gives_each_session_its_own_valid_period() -> None:
    sessions = loadtest.plan(20, 3)
    assert sessions == loadtest.plan(20, 3)  # seeded: runs are comparable
    periods = set()
    for _page, query in sessions:
        params = dict(kv.split("=") for kv in query.split("&"))
        assert params["lang"] in ("zh", "en") and params["from"] < params["to"]
        assert params["from"] in loadtest.MONTHS and params["to"] in loadtest.MONTHS
        periods.add((params["from"], params["to"]))
    assert len(periods) >= 15
    assert loadtest.plan(20, 2) == loadtest.plan(20, 0)  # round 3 repeats round 1


@pytest.mark.server
def test_server_warms_every_page_then_reports_ready() -> None:
    """server.py as `make run` starts it: /api/ready turns 200 after every planned page ran without an error."""
    statuses, body = [], None
    with started_app("streamlit-warmup-test.log", {**os.environ, "CHUANYU_WARMUP": "1"}) as (url, proc):
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and body is None:
            assert proc.poll() is None, (SHOTS.parent / "streamlit-warmup-test.log").read_text()
            try:
                with urllib.request.urlopen(f"{url}/api/ready", timeout=5) as r:
                    statuses.append(r.status)
                    body = json.loads(r.read())
            except urllib.error.HTTPError as e:
                statuses.append(e.code)
                time.sleep(0.3)
            except OSError:
                time.sleep(0.3)  # not listening yet
        assert body is not None, f"never ready; statuses {statuses[-5:]}"
        assert body["enabled"] and body["done"] and body["errors"] == [], body
        assert body["runs"] == len(warmup.plan())
        assert set(statuses[:-1]) <= {503}  # never 200 before the warm-up finished
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as r:
            assert r.status == 200  # Streamlit's own routes are untouched

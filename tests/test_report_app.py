"""The 任务填报 page in-process (AppTest): a Sichuan reporter submits on a Sichuan-led task, a reviewer approves it,
and the Tasks page, the burn-up and the Overview follow; a crafted request for a Chongqing task is refused and
stores nothing. The app reads the shipped data; the user store is a temporary file ($CHUANYU_DATABASE_URL)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from metrics.auth import hash_password
from metrics.i18n import tr
from metrics.reports import read_ledger
from metrics.userstore import Store, audit, open_store
from tests.support.charts import specs as chart_specs
from ui import data

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
TIMEOUT = 120
FAST = {"log_n": 10, "r": 8, "p": 1}  # cheap scrypt: the default cost is tested in test_auth
PASSWORDS = {"alice": "alice passphrase 1", "dave": "dave passphrase 22", "victor": "victor passphrase 3"}
TASK, OTHER = "T019", "T018"  # led and reported by Sichuan; by Chongqing


@pytest.fixture()
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    monkeypatch.setenv("CHUANYU_DATABASE_URL", url)
    accounts = " ".join(f"{u}:{hash_password(p, **FAST)}" for u, p in PASSWORDS.items())
    monkeypatch.setenv("CHUANYU_VIEWERS", accounts)
    monkeypatch.setenv("CHUANYU_REPORTERS", "sichuan=alice;chongqing=carol")
    monkeypatch.setenv("CHUANYU_REVIEWERS", "dave")
    for name in ("CHUANYU_ADMINS", "CHUANYU_ADMIN_EMAILS", "CHUANYU_REQUIRE_LOGIN"):
        monkeypatch.delenv(name, raising=False)
    data.clear()
    s = open_store(url=url)
    assert s is not None
    yield s
    data.clear()


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def report_page(user: str, params: dict[str, str] | None = None) -> AppTest:
    """The report page, signed in as user."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    ok(at.run())
    ok(at.switch_page("pages/report.py").run())
    at.text_input(key="report-login-user").input(user)
    at.text_input(key="report-login-password").input(PASSWORDS[user])
    next(b for b in at.button if b.label == tr("ui.login_submit", "zh")).click()
    return ok(at.run())


def page(name: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    ok(at.run())
    if name != "overview":
        ok(at.switch_page(f"pages/{name}.py").run())
    return at


def decoded(node: object) -> object:
    """A plotly array as a list (plotly sends numeric arrays as base64 typed arrays)."""
    if isinstance(node, dict) and {"dtype", "bdata"} <= set(node):
        return np.frombuffer(base64.b64decode(node["bdata"]), dtype=node["dtype"]).tolist()
    return node


def completed_metric(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == tr("ui.kpi_completed", "zh"))


def chart(at: AppTest, title_part: str) -> dict:
    """The plotly figure whose title contains title_part (AppTest hands plotly charts back as JSON specs)."""
    for fig in chart_specs(at):
        if title_part in json.dumps(fig.get("layout", {}).get("title", {}), ensure_ascii=False):
            return fig
    raise AssertionError(f"no chart titled {title_part!r}")


def donut(at: AppTest) -> str:
    for fig in chart_specs(at):
        if fig["data"] and fig["data"][0].get("type") == "pie":
            return fig["layout"]["annotations"][0]["text"]
    raise AssertionError("no donut")


def submit_completed(at: AppTest, task: str) -> AppTest:
    """Fill the form as a completion on 2023-08-28 and submit it."""
    progress = next(w for w in at.number_input if w.label == tr("col.progress_pct", "zh"))
    progress.set_value(100)
    next(w for w in at.selectbox if w.label == tr("col.state_label", "zh")).set_value("completed")
    next(w for w in at.date_input if w.label == tr("ui.report_completed_on", "zh")).set_value(date(2023, 8, 28))
    next(w for w in at.text_area if w.label == tr("col.progress_note", "zh")).input("已在全国创业大赛完成展示推广")
    next(b for b in at.button if b.label == tr("ui.report_submit", "zh")).click()
    return ok(at.run())


def test_nobody_signed_in_sees_only_the_sign_in(store: Store) -> None:
    at = page("report")
    assert tr("ui.report_sign_in", "zh") in [i.value for i in at.info]
    assert not at.text_area and not at.get("download_button")


def test_a_signed_in_viewer_without_a_role_no_longer_sees_the_page(store: Store) -> None:
    at = report_page("victor")
    assert [t.value for t in at.title] == ["总览"]  # the page left the navigation: the app opens its first page
    assert not at.text_area


def test_report_then_approve_changes_status_burnup_and_overview(store: Store) -> None:
    before = page("tasks")
    assert completed_metric(before) == "63/97"
    at = report_page("alice")
    assert at.selectbox(key="report-task-None").options[0].startswith("T015")  # Sichuan's tasks only
    assert OTHER not in " ".join(at.selectbox(key="report-task-None").options)
    at.selectbox(key="report-task-None").set_value(TASK)
    ok(at.run())
    submit_completed(at, TASK)
    assert tr("ui.report_stored", "zh", task=TASK, period="2023-08", version=2) in [s.value for s in at.success]
    assert completed_metric(page("tasks")) == "63/97", "a pending report changes nothing official"

    review = report_page("dave")
    queue = [t.value for t in review.text]
    assert any(t.startswith(f"{TASK} 在全国创业大赛展示推广川渝创业项目") for t in queue)
    assert "100% · 已完成" in queue and "65% · 正常推进" in queue  # the new report beside the one before
    review.button(key=f"review-approve-{TASK}-2023-08-2").click()
    ok(review.run())
    assert tr("ui.review_done_approved", "zh", task=TASK, period="2023-08") in [s.value for s in review.success]

    tasks = page("tasks")
    assert completed_metric(tasks) == "64/97"
    burn = chart(tasks, tr("word.burnup_title", "zh"))
    actual = next(t for t in burn["data"] if t["name"] == tr("word.actual", "zh"))
    assert decoded(actual["y"])[-2:] == [62, 64]
    assert donut(page("overview")).startswith("<b>64</b>/97")
    events = [(e["actor"], e["action"]) for e in audit.events(store)]
    assert events == [
        ("alice", "login.success"),
        ("(settings)", "roles.change"),
        ("alice", "report.submit"),
        ("dave", "login.success"),
        ("dave", "report.approve"),
    ]
    assert audit.verify(store) == []


def test_a_crafted_request_for_another_partys_task_is_refused_and_stores_nothing(store: Store) -> None:
    at = report_page("alice", {"task": OTHER})
    next(w for w in at.text_area if w.label == tr("col.progress_note", "zh")).input("越权填报")
    next(b for b in at.button if b.label == tr("ui.report_submit", "zh")).click()
    ok(at.run())
    assert "alice 代表四川填报,任务 T018 由重庆报送" in [e.value for e in at.error]
    assert read_ledger(store).frame.empty
    assert [e["action"] for e in audit.events(store)] == ["login.success", "roles.change"]


def test_user_text_is_drawn_as_plain_text(store: Store) -> None:
    at = report_page("alice")
    at.selectbox(key="report-task-None").set_value(TASK)
    ok(at.run())
    next(w for w in at.text_area if w.label == tr("col.progress_note", "zh")).input(
        '<script>alert(1)</script> [点此](javascript:alert(2)) =HYPERLINK("https://x.example")'
    )
    next(b for b in at.button if b.label == tr("ui.report_submit", "zh")).click()
    ok(at.run())
    review = report_page("dave")
    texts = [t.value for t in review.text]
    assert '<script>alert(1)</script> [点此](javascript:alert(2)) =HYPERLINK("https://x.example")' in texts
    assert not any("<script>" in m.value for m in review.markdown)

"""The data admin page in-process (AppTest): setup help, admin sign-in, ingest, refusal, rollback, viewing login.

Every test points the app at a temporary copy of data/ ($CHUANYU_DATA_DIR) and a temporary cache, and clears the
cached engine before and after, so the shipped data is never written and other tests never see the copy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from metrics import Filters
from metrics.auth import hash_password
from metrics.i18n import tr
from tests.support.charts import chart_elements
from ui import admin_ops, data

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
DATA = ROOT / "data"
TIMEOUT = 120  # the first run builds the warehouse of the copy
PASSWORD = "correct horse battery"
VIEWER_PASSWORD = "viewer passphrase 1"
FAST = {"log_n": 10, "r": 8, "p": 1}  # cheap scrypt keeps the suite fast; the default cost is tested in test_auth
ADMINS = f"alice:{hash_password(PASSWORD, **FAST)}"
VIEWERS = f"victor:{hash_password(VIEWER_PASSWORD, **FAST)}"
ACCESS_ENV = ("CHUANYU_ADMINS", "CHUANYU_VIEWERS", "CHUANYU_ADMIN_EMAILS", "CHUANYU_REQUIRE_LOGIN")
DATASET = "personal_pension_accounts"
VALID = b"month,province,accounts\n2023-09,chongqing,2100000\n"
INVALID = "月份,省市,累计开户人数\n2023-09,chongqing,-5\n2023-10,shanghai,100\n".encode("gb18030")
OIDC = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "s" * 32,
    "client_id": "id",
    "client_secret": "secret",
    "server_metadata_url": "https://idp.example/.well-known/openid-configuration",
}
OFFICER = "officer@hrss.example.gov.cn"
CJK = re.compile(r"[\u3400-\u9fff]")


def digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every dataset file in a folder (hidden bookkeeping files excluded)."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(".")
    }


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One warehouse cache for the module: copies with the same bytes share a build."""
    return tmp_path_factory.mktemp("admin-cache")


@pytest.fixture(scope="module", autouse=True)
def shipped_data_untouched() -> Iterator[None]:
    """The shipped data/ is byte-identical after these tests."""
    before = digest(DATA)
    yield
    assert digest(DATA) == before


@pytest.fixture()
def copy(tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temporary copy of data/ the app reads and writes (and its user store); no access settings."""
    dst = tmp_path / "data"
    shutil.copytree(DATA, dst)
    monkeypatch.setenv("CHUANYU_DATA_DIR", str(dst))
    monkeypatch.setenv("CHUANYU_CACHE_DIR", str(cache_dir))
    for name in ACCESS_ENV:
        monkeypatch.delenv(name, raising=False)
    for leftover in dst.glob(".userstore.sqlite3*"):  # a fresh sign-in throttle: the store is in the copy
        leftover.unlink()
    data.clear()  # the cached engine may be another test's, on the shipped data
    yield dst
    data.clear()


@pytest.fixture()
def admins(copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The copy, with one local admin account (alice)."""
    monkeypatch.setenv("CHUANYU_ADMINS", ADMINS)
    return copy


def open_admin(lang: str = "zh", at: AppTest | None = None) -> AppTest:
    """The admin page, reached from the app's first page."""
    at = at if at is not None else AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/admin.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sign_in(at: AppTest, user: str, password: str, form: str = "admin-login") -> AppTest:
    """Fill the sign-in form and submit it."""
    at.text_input(key=f"{form}-user").input(user)
    at.text_input(key=f"{form}-password").input(password)
    submit = next(b for b in at.button if b.label in (tr("ui.login_submit", "zh"), tr("ui.login_submit", "en")))
    submit.click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest, kind: str) -> list[str]:
    """The values of every element of one kind (error, success, info, caption, ...)."""
    return [e.value for e in getattr(at, kind)]


def table_with(at: AppTest, column: str):
    """The first table on the page that has this column header."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def upload(at: AppTest, content: bytes, name: str = "pension.csv", dataset: str = DATASET) -> AppTest:
    """Choose the dataset and put a file in the uploader."""
    at.selectbox(key="admin-dataset-zh").set_value(dataset).run()
    at.file_uploader(key="admin-file").set_value((name, content, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def signed_in_admin(lang: str = "zh") -> AppTest:
    """The admin page, signed in as alice."""
    at = sign_in(open_admin(lang), "alice", PASSWORD)
    assert at.file_uploader, "signed in: the uploader is shown"
    return at


def test_no_admin_configured_shows_only_the_setup_help(copy: Path) -> None:
    at = open_admin()
    assert at.title[0].value == "数据管理"
    assert tr("ui.admin_none", "zh") in texts(at, "info")
    assert "CHUANYU_ADMINS" in at.code[0].value and "hash-password" in at.code[0].value
    assert not at.file_uploader and not at.text_input and not at.button


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_local_admin_refused_then_accepted(admins: Path, lang: str) -> None:
    at = open_admin(lang)
    assert not at.file_uploader, "no uploader before signing in"
    assert [t.label for t in at.text_input] == [tr("ui.login_user", lang), tr("ui.login_password", lang)]
    sign_in(at, "alice", "not the password")
    assert tr("ui.login_wrong", lang) in texts(at, "error")
    assert not at.file_uploader
    sign_in(at, "alice", PASSWORD)
    assert not texts(at, "error")
    assert at.file_uploader and at.selectbox(key=f"admin-dataset-{lang}")
    assert {b.label for b in at.button} >= {
        tr("ui.validate_button", lang),
        tr("ui.ingest_button", lang),
        tr("ui.sign_out", lang),
    }
    assert tr("ui.signed_in_admin", lang, user="alice") in " ".join(texts(at, "markdown"))
    assert at.dataframe, "the dataset's contract is shown"
    if lang == "en":
        shown = texts(at, "title") + texts(at, "caption") + texts(at, "markdown") + texts(at, "info")
        shown += [w.label for w in (*at.button, *at.selectbox, *at.radio, *at.file_uploader)]
        assert not [t for t in shown if CJK.search(t)]
    at.button(key="admin-sign-out").click().run()
    assert not at.file_uploader and at.text_input(key="admin-login-user")


def test_repeated_failures_lock_the_account_for_a_while(admins: Path) -> None:
    at = open_admin()
    for _ in range(5):
        sign_in(at, "alice", "not the password")
    sign_in(at, "alice", PASSWORD)  # even the right password waits now
    assert any("秒后再试" in e for e in texts(at, "error"))
    assert not at.file_uploader


def test_choices_survive_a_language_switch(admins: Path) -> None:
    # Streamlit keeps a selectbox's or radio's value as its label: a label in the old language must not leak.
    at = signed_in_admin()
    upload(at, VALID)
    at.radio(key="admin-mode-zh").set_value("upsert").run()
    at.segmented_control(key="w_lang").set_value("en").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="admin-dataset-en").value == DATASET
    assert at.radio(key="admin-mode-en").value == "upsert"
    assert at.selectbox(key="admin-dataset-en").options[0] == "Cities and districts · cities"


def test_valid_file_is_ingested_and_every_page_sees_it(admins: Path) -> None:
    at = signed_in_admin()
    upload(at, VALID)
    at.button(key="admin-validate").click().run()
    assert tr("ui.result_valid", "zh") in texts(at, "success")
    assert data.engine().as_of == dt.date(2023, 8, 29), "a dry run changes nothing"
    at.button(key="admin-ingest").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert tr("ui.result_ingested", "zh", version="v2", as_of="2023-09") in texts(at, "success")
    assert "数据截至 **2023-09**" in texts(at.sidebar, "caption")  # the sidebar of the same run
    assert (admins / "personal_pension_accounts.csv").read_bytes().endswith(b"2023-09,chongqing,2100000\n")
    at.switch_page("pages/overview.py").run()
    assert "数据截至 **2023-09**" in texts(at.sidebar, "caption")


def test_invalid_file_shows_problems_and_leaves_the_data_alone(admins: Path) -> None:
    before = digest(admins)
    at = signed_in_admin()
    upload(at, INVALID, name="养老金_2023年9月.csv")
    at.button(key="admin-ingest").click().run()
    assert tr("ui.result_refused", "zh", n=2) in texts(at, "error")
    problems = table_with(at, "原因")
    assert len(problems) == 2 and {"行号", "列名", "原因"} <= set(problems.columns)
    assert at.get("download_button")  # the problems' CSV (its bytes are tested on the library's report)
    assert digest(admins) == before
    assert data.engine().as_of == dt.date(2023, 8, 29)


def test_handler_clears_the_cached_engine_after_a_change(admins: Path) -> None:
    before = digest(admins)
    old = data.engine()
    refused = admin_ops.run_ingest(old, INVALID, "bad.csv", DATASET, "alice", mode="append", dry_run=False)
    assert not refused.report.ok and len(refused.report.problems) == 2 and refused.as_of is None
    assert data.engine() is old and digest(admins) == before, "a refusal keeps the caches and the files"
    done = admin_ops.run_ingest(old, VALID, "good.csv", DATASET, "alice", mode="append", dry_run=False)
    assert done.report.changed and done.as_of == "2023-09"
    new = data.engine()
    assert new is not old and new.as_of == dt.date(2023, 9, 1)
    assert new.paths.data_dir == admins.resolve()
    assert new.value(DATASET + "_cq", Filters("2023-09", "2023-09")).value == 2_100_000


def test_rollback_puts_the_old_bytes_back(admins: Path) -> None:
    original = (admins / "personal_pension_accounts.csv").read_bytes()
    at = signed_in_admin()
    upload(at, VALID)
    at.button(key="admin-ingest").click().run()
    assert len(table_with(at, "当前使用")) == 2  # the baseline and the upload
    at.selectbox(key=f"admin-rollback-{DATASET}-zh").set_value("v1").run()
    assert at.button(key="admin-rollback").disabled, "rollback waits for the confirmation"
    confirm = [c for c in at.checkbox if c.key.startswith("admin-rollback-confirm")][0]
    confirm.check().run()
    at.button(key="admin-rollback").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert tr("ui.result_rolled_back", "zh", source="v1", version="v3", as_of="2023-08-29") in texts(at, "success")
    assert (admins / "personal_pension_accounts.csv").read_bytes() == original
    audit = table_with(at, "结果")
    assert list(audit["操作"]) == ["回滚", "导入"] and list(audit["操作人"]) == ["alice", "alice"]


def test_viewing_login_when_required(admins: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHUANYU_REQUIRE_LOGIN", "1")
    monkeypatch.setenv("CHUANYU_VIEWERS", VIEWERS)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception and texts(at, "title") == [tr("ui.view_login_title", "zh")]
    assert not at.metric and not chart_elements(at), "nothing is shown before signing in"
    sign_in(at, "victor", "not the password", form="view-login")
    assert tr("ui.login_wrong", "zh") in texts(at, "error") and not at.metric
    sign_in(at, "victor", VIEWER_PASSWORD, form="view-login")
    assert texts(at, "title") == ["总览"] and at.metric
    at.switch_page("pages/admin.py").run()  # a viewer is not an admin
    assert tr("ui.need_admin", "zh", user="victor") in texts(at, "info") and not at.file_uploader
    sign_in(at, "alice", PASSWORD)
    assert at.file_uploader


@pytest.mark.parametrize("email, admitted", [(OFFICER, True), ("someone@else.example", False), (None, False)])
def test_identity_provider_admins(copy: Path, email: str | None, admitted: bool) -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.secrets["auth"] = OIDC
    at.secrets["access"] = {"admin_emails": [OFFICER]}
    at.user = {"is_logged_in": True, "email": email, "email_verified": True} if email else {}
    open_admin(at=at)
    assert bool(at.file_uploader) is admitted
    labels = [b.label for b in at.button]
    if email is None:
        assert labels == [tr("ui.oidc_sign_in", "zh")] and not at.text_input  # st.login, no password form
    elif not admitted:
        assert tr("ui.oidc_not_admin", "zh", email=email) in texts(at, "error") and labels == [tr("ui.sign_out", "zh")]


def test_opening_the_dashboard_finishes_a_write_a_crash_left(copy: Path) -> None:
    """A CLI ingest killed after the swap (issue 11, finding 1): the dashboard records it before reading the data."""
    import os
    import subprocess
    import sys

    from metrics.ingest import journal, read_audit

    upload_file = copy.parent / "pension.csv"
    upload_file.write_bytes(VALID)
    env = {**os.environ, journal.CRASH_ENV: "swapped"}
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "metrics",
            "ingest",
            DATASET,
            str(upload_file),
            "--user",
            "kim",
            "--data-dir",
            str(copy),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == journal.CRASH_EXIT, r.stderr
    assert journal.pending(copy), "the intent record stays until something opens the project"
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "数据截至 **2023-09**" in texts(at.sidebar, "caption")
    assert not journal.pending(copy)
    [event] = read_audit(data_dir=copy)
    assert event["user"].startswith("kim (cli, ") and event["recovered"] is True and event["version"] == "v2"

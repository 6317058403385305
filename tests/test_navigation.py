"""Navigation by role: the data admin and reporting pages are listed only for their signed-in roles, a visitor sees
a 登录 / Sign in link instead, and a page's own address still leads to its sign-in, never to its data.

The rule is tested as a function (ui.navigation.nav_pages), then through the app (AppTest), by recording what
app.py hands st.navigation: each st.Page's title and visibility. The user store is a temporary file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from metrics.auth import hash_password
from metrics.i18n import tr
from ui import data
from ui.navigation import DATA_PAGES, Access, nav_pages, nav_title_key

APP = Path(__file__).resolve().parents[1] / "app.py"
TIMEOUT = 120
FAST = {"log_n": 10, "r": 8, "p": 1}  # cheap scrypt: the default cost is tested in test_auth
PASSWORDS = {"alice": "alice passphrase 1", "rita": "rita passphrase 22", "victor": "victor passphrase 3"}
ACCESS_ENV = ("CHUANYU_ADMIN_EMAILS", "CHUANYU_REQUIRE_LOGIN", "CHUANYU_REVIEWERS")


def listed(a: Access) -> list[str]:
    return [e.page.id for e in nav_pages(a) if e.listed]


def hidden(a: Access) -> list[str]:
    return [e.page.id for e in nav_pages(a) if not e.listed]


DATA = list(DATA_PAGES)


def test_a_visitor_without_accounts_configured_sees_the_data_pages_only() -> None:
    a = Access()
    assert listed(a) == DATA
    assert hidden(a) == ["admin", "account"]  # still reachable by address; reporting is not set up at all


def test_a_visitor_sees_a_sign_in_link_and_no_role_pages() -> None:
    a = Access(reporting_set_up=True, can_sign_in=True)
    assert listed(a) == [*DATA, "account"]
    assert hidden(a) == ["report", "admin"]
    account = next(e.page for e in nav_pages(a) if e.page.id == "account")
    assert nav_title_key(account, a) == "nav.sign_in"


def test_each_role_sees_its_own_pages() -> None:
    admin = Access(signed_in=True, admin=True, reporting_set_up=True, can_sign_in=True)
    assert listed(admin) == [*DATA, "admin", "account"]  # not a reporter: no reporting page at all
    assert hidden(admin) == []
    reporter = Access(signed_in=True, may_report=True, reporting_set_up=True, can_sign_in=True)
    assert listed(reporter) == [*DATA, "report", "account"]
    assert hidden(reporter) == ["admin"]
    both = Access(signed_in=True, admin=True, may_report=True, reporting_set_up=True, can_sign_in=True)
    assert listed(both) == [*DATA, "report", "admin", "account"]
    nobody = Access(signed_in=True, reporting_set_up=True, can_sign_in=True)
    assert listed(nobody) == [*DATA, "account"] and hidden(nobody) == ["admin"]
    account = next(e.page for e in nav_pages(nobody) if e.page.id == "account")
    assert nav_title_key(account, nobody) == "page.account"


# -- through the app ------------------------------------------------------------------------------------------
@pytest.fixture()
def accounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[tuple[str, bool]]]]:
    """alice is an admin, rita reports for Sichuan, victor only views; yields each run's (title, listed) pages."""
    monkeypatch.setenv("CHUANYU_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite3'}")
    monkeypatch.setenv("CHUANYU_ADMINS", f"alice:{hash_password(PASSWORDS['alice'], **FAST)}")
    viewers = " ".join(f"{u}:{hash_password(PASSWORDS[u], **FAST)}" for u in ("rita", "victor"))
    monkeypatch.setenv("CHUANYU_VIEWERS", viewers)
    monkeypatch.setenv("CHUANYU_REPORTERS", "sichuan=rita")
    for name in ACCESS_ENV:
        monkeypatch.delenv(name, raising=False)
    runs: list[list[tuple[str, bool]]] = []
    navigation = st.navigation

    def recording(pages: list[Any], **kw: Any) -> Any:
        runs.append([(p.title, p._visibility != "hidden") for p in pages])
        return navigation(pages, **kw)

    monkeypatch.setattr(st, "navigation", recording)
    data.clear()
    yield runs
    data.clear()


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(runs: list[list[tuple[str, bool]]]) -> list[str]:
    """The titles the navigation listed in the last run."""
    return [title for title, visible in runs[-1] if visible]


def titles(lang: str, *ids: str) -> list[str]:
    return [tr(f"page.{i}", lang) for i in ids]


def sign_in(at: AppTest, user: str) -> AppTest:
    """Sign in on the account page (the navigation's 登录 link)."""
    ok(at.switch_page("pages/account.py").run())
    at.text_input(key="account-login-user").input(user)
    at.text_input(key="account-login-password").input(PASSWORDS[user])
    next(b for b in at.button if b.label in (tr("ui.login_submit", "zh"), tr("ui.login_submit", "en"))).click()
    return ok(at.run())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_visitor_gets_the_sign_in_link_and_admin_address_shows_only_the_sign_in(accounts, lang: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    ok(at.run())
    assert shown(accounts) == [*titles(lang, *DATA), tr("nav.sign_in", lang)]
    ok(at.switch_page("pages/admin.py").run())  # a crafted address: the page is registered, hidden
    assert [t.value for t in at.title] == [tr("page.admin", lang)]
    assert at.text_input(key="admin-login-user") is not None
    assert not at.file_uploader and not at.dataframe and not at.tabs  # no data, no ingest, no audit log
    assert tr("ui.admin_login_title", lang) in [s.value for s in at.subheader]


def test_an_admin_signing_in_gets_the_admin_page(accounts) -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    ok(at.run())
    at = sign_in(at, "alice")
    assert shown(accounts) == [*titles("zh", *DATA), "数据管理", "账户"]
    assert "alice" in " ".join(m.value for m in at.markdown)
    ok(at.switch_page("pages/admin.py").run())
    assert at.file_uploader, "signed in as an admin: the uploader is shown"


def test_a_reporter_gets_the_reporting_page_and_a_viewer_neither(accounts) -> None:
    at = sign_in(ok(AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()), "rita")
    assert shown(accounts) == [*titles("zh", *DATA), "任务填报", "账户"]
    at = sign_in(ok(AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()), "victor")
    assert shown(accounts) == [*titles("zh", *DATA), "账户"]
    assert tr("ui.account_no_role", "zh") in [c.value for c in at.caption]
    ok(at.switch_page("pages/admin.py").run())
    assert tr("ui.need_admin", "zh", user="victor") in [i.value for i in at.info]
    assert not at.file_uploader

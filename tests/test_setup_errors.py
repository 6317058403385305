"""A broken set-up: visitors see one short localised line; the details go to the log, the CLI and a signed-in admin.

A malformed hash line names an admin account, and a secrets file that is not TOML names its full path: neither is
a visitor's business (issue 11, finding 6).
"""

from __future__ import annotations

import functools
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from metrics.auth import hash_password, load_access
from metrics.cli import main as cli_main
from metrics.i18n import tr
from ui import access, data

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
PASSWORD = "correct horse battery"
GOOD = hash_password(PASSWORD, log_n=10)
KINDS = (
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "text",
    "code",
    "error",
    "warning",
    "info",
    "success",
    "exception",
)


def shown(at: AppTest) -> str:
    """Every text the page shows, main area and sidebar, with the labels of its widgets."""
    parts: list[str] = []
    for root in (at.main, at.sidebar):
        for kind in KINDS:
            parts += [str(getattr(e, "value", "")) for e in root.get(kind)]
    parts += [str(w.label) for w in (*at.button, *at.text_input)]
    return "\n".join(parts)


@pytest.fixture()
def clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temporary copy of data/, no access settings in the environment, a fresh throttle and log memory."""
    dst = tmp_path / "data"
    shutil.copytree(ROOT / "data", dst)
    monkeypatch.setenv("CHUANYU_DATA_DIR", str(dst))
    monkeypatch.setenv("CHUANYU_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("CHUANYU_ADMINS", "CHUANYU_VIEWERS", "CHUANYU_ADMIN_EMAILS", "CHUANYU_REQUIRE_LOGIN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(access, "_THROTTLES", {})  # a fresh sign-in throttle (its store is in the data copy)
    monkeypatch.setattr(access, "_logged", set())
    data.clear()
    yield tmp_path
    data.clear()


def admin_page(at: AppTest, lang: str) -> AppTest:
    """The admin page, reached from the first page."""
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/admin.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_bad_hash_line_is_not_shown_to_visitors(clean: Path, lang: str, caplog: pytest.LogCaptureFixture) -> None:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.secrets["admins"] = {"alice": GOOD, "carol": "not-a-hash"}
    caplog.set_level(logging.ERROR, logger="chuanyu.access")
    admin_page(at, lang)
    text = shown(at)
    assert tr("ui.setup_broken", lang) in [e.value for e in at.error]
    assert "carol" not in text and "scrypt" not in text and "[admins]" not in text
    assert "[admins].carol: not a scrypt password hash" in caplog.text  # the server log has the details
    # A signed-in admin is an administrator: the page gives them the details.
    at.text_input(key="admin-login-user").input("alice")
    at.text_input(key="admin-login-password").input(PASSWORD)
    next(b for b in at.button if b.label == tr("ui.login_submit", lang)).click().run()
    assert at.file_uploader, "alice, whose line is fine, signs in"
    assert any("[admins].carol: not a scrypt password hash" in w.value for w in at.warning)


def test_a_secrets_file_that_is_not_toml_shows_no_path(
    clean: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    secrets = clean / "deploy-secrets" / "secrets.toml"
    secrets.parent.mkdir()
    secrets.write_text('[admins]\nalice = "$scrypt$ln=10\n', encoding="utf-8")  # an unterminated string
    monkeypatch.setattr(access, "load_access", functools.partial(load_access, path=secrets))
    caplog.set_level(logging.ERROR, logger="chuanyu.access")
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    text = shown(at)
    assert [e.value for e in at.title] == [tr("ui.view_login_title", "zh")]  # fails closed: viewing needs a login
    assert tr("ui.setup_broken", "zh") in [e.value for e in at.error]
    assert str(secrets.parent) not in text and "TOML" not in text and "secrets.toml" not in text
    assert f"{secrets}: not valid TOML" in caplog.text


def test_check_lists_the_access_problems_in_full(
    clean: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    good = clean / "good.toml"
    good.write_text(f'[admins]\nalice = "{GOOD}"\n', encoding="utf-8")
    assert cli_main(["check", "--secrets", str(good)]) == 0
    assert "access settings valid" in capsys.readouterr().out
    bad = clean / "bad.toml"
    bad.write_text(f'[admins]\nalice = "{GOOD}"\ncarol = "not-a-hash"\n', encoding="utf-8")
    monkeypatch.setenv("CHUANYU_VIEWERS", "victor")
    assert cli_main(["check", "--secrets", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "access settings: [admins].carol: not a scrypt password hash" in err
    assert "access settings: CHUANYU_VIEWERS: entries are user:$scrypt$... (got 'victor')" in err
    assert "2 problem(s) in the access settings" in err
    broken = clean / "broken.toml"
    broken.write_text("[admins\n", encoding="utf-8")
    monkeypatch.delenv("CHUANYU_VIEWERS")
    assert cli_main(["check", "--secrets", str(broken)]) == 1
    assert f"access settings: {broken}: not valid TOML" in capsys.readouterr().err

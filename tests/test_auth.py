"""Access control, library level: scrypt hashes, admin accounts from secrets/env, OIDC settings, throttling."""

from __future__ import annotations

from pathlib import Path

import pytest

from metrics import auth
from metrics.auth import (
    AccessSettings,
    WeakPassword,
    check_strength,
    hash_password,
    load_access,
    login_local,
    parse_hash,
    verify_password,
)
from metrics.throttle import LoginThrottle
from metrics.userstore import open_store

# Cheap parameters keep the suite fast; the default cost is tested once.
FAST = {"log_n": 10, "r": 8, "p": 1}
ALICE = hash_password("correct horse battery", **FAST)
VIEWER = hash_password("viewer passphrase 1", **FAST)
OIDC = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "s" * 32,
    "client_id": "id",
    "client_secret": "secret",
    "server_metadata_url": "https://idp.example/.well-known/openid-configuration",
}


def settings(secrets: dict, env: dict | None = None) -> AccessSettings:
    return load_access(secrets, env or {})


def test_default_hash_is_salted_scrypt_at_owasp_cost() -> None:
    h = hash_password("correct horse battery")
    assert h.startswith("$scrypt$ln=17,r=8,p=1$")
    assert verify_password("correct horse battery", h) and not verify_password("correct horse batterY", h)
    assert hash_password("correct horse battery", **FAST) != ALICE  # a new salt every time
    log_n, r, p, salt, key = parse_hash(h)
    assert (log_n, r, p, len(salt), len(key)) == (17, 8, 1, 16, 32)


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "plaintext",
        "correct horse battery",
        "$scrypt$ln=30,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA",
        ALICE.replace("ln=10", "ln=9"),
        ALICE[:-10],
        "$2b$12$bcrypt",
    ],
    # Fixed ids: ALICE's salt is random, and test workers must collect the same names.
    ids=["empty", "plaintext", "words", "cost-too-high", "cost-changed", "cut-short", "bcrypt"],
)
def test_malformed_or_foreign_hashes_never_verify(stored: str) -> None:
    assert not verify_password("correct horse battery", stored)


def test_password_strength() -> None:
    for weak, why in [
        ("short", "at least 12"),
        ("aaaaaaaaaaaaaa", "different characters"),
        ("alice-is-the-admin", "user name"),
    ]:
        with pytest.raises(WeakPassword, match=why):
            check_strength(weak, "alice")
    check_strength("correct horse battery", "alice")


def test_local_admin_login_refused_and_accepted() -> None:
    s = settings({"admins": {"alice": ALICE}})
    assert s.admin_mode == "local" and not s.problems
    assert login_local(s, "alice", "correct horse battery").ok
    assert login_local(s, " alice ", "correct horse battery").username == "alice"
    for user, pw in [("alice", "wrong password!!"), ("alice", ""), ("mallory", "correct horse battery"), ("", "")]:
        r = login_local(s, user, pw)
        assert not r.ok and r.message == "wrong user name or password"  # same message: no user enumeration


def test_viewer_accounts_may_view_but_not_administer() -> None:
    s = settings({"admins": {"alice": ALICE}, "viewers": {"victor": VIEWER}, "access": {"require_login": True}})
    assert s.require_login
    assert login_local(s, "victor", "viewer passphrase 1", role="viewer").role == "viewer"
    assert not login_local(s, "victor", "viewer passphrase 1", role="admin").ok
    assert login_local(s, "alice", "correct horse battery", role="viewer").role == "admin"


def test_admins_from_the_environment() -> None:
    env = {
        auth.ENV_ADMINS: f"alice:{ALICE}; bob:{hash_password('bob passphrase 42', **FAST)}",
        auth.ENV_REQUIRE_LOGIN: "yes",
    }
    s = settings({}, env)
    assert set(s.admins) == {"alice", "bob"} and s.require_login
    assert login_local(s, "bob", "bob passphrase 42").ok


def test_bad_entries_are_reported_not_trusted() -> None:
    s = settings({"admins": {"alice": "hunter2", "bad name!": ALICE, "carol": ALICE}})
    assert set(s.admins) == {"carol"}
    text = "\n".join(s.problems)
    assert "[admins].alice: not a scrypt password hash (make one with `python -m metrics hash-password`)" in text
    assert "[admins].bad name!: user names are" in text


def test_no_admin_configured_means_no_admin_page() -> None:
    s = settings({})
    assert s.admin_mode == "none" and not s.require_login
    assert not login_local(s, "alice", "correct horse battery").ok
    for lang, words in (("zh", "尚未配置管理员"), ("en", "No admin is configured")):
        help_text = s.setup_help(lang)  # in the page's language: a Chinese page shows no English prose
        assert words in help_text and "hash-password" in help_text and "[admins]" in help_text and "[auth]" in help_text


def test_oidc_takes_precedence_and_needs_admin_emails() -> None:
    s = settings({"auth": OIDC, "admins": {"alice": ALICE}})
    assert s.oidc and s.oidc_provider is None and s.admin_mode == "none"
    assert any("admin_emails is empty" in p for p in s.problems)
    assert not login_local(s, "alice", "correct horse battery").ok  # local accounts are off with a provider

    s = settings({"auth": OIDC, "access": {"admin_emails": ["Officer@HRSS.example.cn"]}})
    assert s.admin_mode == "oidc"
    assert s.is_admin_email("officer@hrss.example.cn")
    assert not s.is_admin_email("officer@hrss.example.cn", verified=False)
    assert not s.is_admin_email("someone@hrss.example.cn") and not s.is_admin_email(None)
    assert s.may_view_email("anyone@example.com")


def test_named_provider_and_viewer_domains() -> None:
    named = {
        "redirect_uri": OIDC["redirect_uri"],
        "cookie_secret": OIDC["cookie_secret"],
        "microsoft": {k: OIDC[k] for k in auth.OIDC_KEYS},
    }
    s = settings({"auth": named, "access": {"admin_emails": "a@x.cn", "viewer_emails": ["@hrss.cq.gov.cn"]}})
    assert s.oidc and s.oidc_provider == "microsoft" and s.admin_mode == "oidc"
    assert s.may_view_email("li@hrss.cq.gov.cn") and s.may_view_email("a@x.cn")
    assert not s.may_view_email("li@gmail.com")


def test_incomplete_provider_does_not_fall_back_to_local_accounts() -> None:
    s = settings({"auth": {"redirect_uri": OIDC["redirect_uri"]}, "admins": {"alice": ALICE}})
    assert not s.oidc and s.admin_mode == "none"
    assert any(p.startswith("[auth] is incomplete: missing cookie_secret") for p in s.problems)


def test_throttle_backs_off_repeated_failures(tmp_path: Path) -> None:
    s = settings({"admins": {"alice": ALICE}})
    store = open_store(tmp_path)
    now = [1000.0]
    t = LoginThrottle(store, clock=lambda: now[0])
    for _ in range(4):
        assert not login_local(s, "alice", "wrong password!!", throttle=t).ok
    r = login_local(s, "alice", "correct horse battery", throttle=t)
    assert not r.ok and "too many failed attempts" in r.message and r.retry_after == 1.0
    now[0] += 1.0  # the wait ends: a backoff, not a lockout
    assert login_local(s, "alice", "correct horse battery", throttle=t).ok
    assert t.wait("alice") == 0


def test_secrets_file_is_read_with_tomllib(tmp_path: Path) -> None:
    path = tmp_path / "secrets.toml"
    path.write_text(f'[access]\nrequire_login = true\n\n[admins]\nalice = "{ALICE}"\n', encoding="utf-8")
    s = load_access(environ={}, path=path)
    assert s.require_login and s.admin_mode == "local"
    assert load_access(environ={}, path=tmp_path / "missing.toml").admin_mode == "none"
    path.write_text("[admins\n", encoding="utf-8")
    with pytest.raises(auth.AuthConfigError, match="not valid TOML"):
        load_access(environ={}, path=path)


def test_the_shipped_project_has_no_admin_by_default() -> None:
    s = load_access(environ={}, path=auth.SECRETS_PATH.parent / "no-such-secrets.toml")
    assert s.admin_mode == "none"

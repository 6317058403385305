"""Who is signed in: access settings from secrets and the environment, local and OIDC sign-in, the viewing gate.

The rules live in metrics.auth; this module only draws the forms and keeps the session's sign-in. With no
secrets and no CHUANYU_* access variables, viewing stays open and require_viewer() draws nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.logger import get_logger

from metrics.auth import SECRETS_PATH, AccessSettings, AuthConfigError, load_access, login_local
from metrics.i18n import tr
from metrics.throttle import LoginThrottle
from metrics.userstore import StoreError, open_store, store_url

from .lang import current_lang
from .navigation import Access

LOGIN = "access_login"  # session_state: {"user": name, "role": "admin" | "viewer"} after a local sign-in
LOG = get_logger("chuanyu.access")
_logged: set[tuple[str, ...]] = set()  # problem sets already written to the server log
_THROTTLES: dict[str, LoginThrottle] = {}  # per store: guesses count together across sessions and processes


def throttle() -> LoginThrottle:
    """The sign-in throttle of the store this server uses (the data dir's, or $CHUANYU_DATABASE_URL)."""
    url = store_url()
    if url not in _THROTTLES:
        store = open_store(url=url)
        assert store is not None
        _THROTTLES[url] = LoginThrottle(store)
    return _THROTTLES[url]


def client_address() -> str | None:
    """The connection's address as the server sees it (None for a local one); the throttle counts per address."""
    try:
        ip = st.context.ip_address
    except Exception:  # outside a script run there is no context
        return None
    return ip if isinstance(ip, str) and ip else None  # AppTest's context is a mock


@dataclass(frozen=True)
class Who:
    """The signed-in person: the name the audit log records (user name or e-mail) and their role."""

    name: str
    role: str

    @property
    def is_admin(self) -> bool:
        """True when this person may ingest and roll back."""
        return self.role == "admin"


def _streamlit_secrets() -> dict | None:
    """st.secrets as a dict, or None when Streamlit found no secrets file (st.secrets raises then)."""
    try:
        return st.secrets.to_dict() if st.secrets.load_if_toml_exists() else None
    except FileNotFoundError:
        return None


def settings() -> AccessSettings:
    """Access settings for this run: st.secrets (or the project's secrets file) overridden by the environment."""
    found = _streamlit_secrets()
    if found is not None:
        return load_access(found)
    try:
        return load_access()  # reads SECRETS_PATH when Streamlit looked elsewhere (another working directory)
    except AuthConfigError as e:
        # A secrets file that cannot be read may have meant to close viewing: fail closed and say why (in the log).
        return AccessSettings(require_login=True, problems=(str(e),))


def signed_in(cfg: AccessSettings) -> Who | None:
    """Who this session is signed in as, checked against the current settings (a removed account is out)."""
    if cfg.oidc:
        return _oidc_user(cfg)
    kept = st.session_state.get(LOGIN)
    if not isinstance(kept, dict):
        return None
    name, role = kept.get("user"), kept.get("role")
    if not isinstance(name, str):
        return None
    if role == "admin" and name in cfg.admins:
        return Who(name, "admin")
    if role == "viewer" and name in cfg.viewers:
        return Who(name, "viewer")
    return None


def _oidc_user(cfg: AccessSettings) -> Who | None:
    """The identity provider's user, when signed in and allowed; admins first."""
    user = st.user
    if not user.get("is_logged_in"):
        return None
    claim, flag = user.get("email"), user.get("email_verified")
    email = claim if isinstance(claim, str) else None
    verified = flag if isinstance(flag, bool) else None  # only a boolean false marks the e-mail unverified
    if cfg.is_admin_email(email, verified):
        return Who(str(email), "admin")
    if cfg.may_view_email(email, verified):
        return Who(str(email), "viewer")
    return None


def oidc_email() -> str | None:
    """The identity provider's e-mail of this session, when signed in there (allowed or not)."""
    user = st.user
    if not user.get("is_logged_in"):
        return None
    return str(user.get("email") or "") or None


def login_form(cfg: AccessSettings, lang: str, *, role: str, key: str) -> None:
    """A user name + password form for a local account; a success is kept in the session and the page reruns."""
    with st.form(key, clear_on_submit=True, enter_to_submit=True):
        name = st.text_input(tr("ui.login_user", lang), key=f"{key}-user", autocomplete="username")
        password = st.text_input(
            tr("ui.login_password", lang), type="password", key=f"{key}-password", autocomplete="current-password"
        )
        submitted = st.form_submit_button(tr("ui.login_submit", lang), type="primary")
    if not submitted:
        return
    try:
        result = login_local(cfg, name, password, role=role, throttle=throttle(), client=client_address())
    except StoreError:
        st.error(tr("ui.login_store_error", lang), icon=":material/error:")
        return
    if result.retry_after > 0:
        st.error(tr("ui.login_throttled", lang, seconds=int(result.retry_after) + 1), icon=":material/lock_clock:")
        return
    if result.busy:
        st.error(tr("ui.login_busy", lang), icon=":material/hourglass_top:")
        return
    if not result.ok:
        st.error(tr("ui.login_wrong", lang), icon=":material/block:")
        return
    st.session_state[LOGIN] = {"user": result.username, "role": result.role}
    st.rerun()


def oidc_button(cfg: AccessSettings, lang: str, key: str) -> None:
    """The button that starts the identity provider's sign-in (st.login)."""
    if st.button(tr("ui.oidc_sign_in", lang), key=key, type="primary", icon=":material/login:"):
        st.login(cfg.oidc_provider) if cfg.oidc_provider else st.login()


def sign_out(cfg: AccessSettings, lang: str, key: str) -> None:
    """A sign-out button: forgets a local sign-in, or logs out of the identity provider."""
    if st.button(tr("ui.sign_out", lang), key=key, icon=":material/logout:"):
        if cfg.oidc:
            st.logout()
        st.session_state.pop(LOGIN, None)
        st.rerun()


def log_problems(cfg: AccessSettings) -> None:
    """Write the access settings' problems to the server log, once per distinct set."""
    if cfg.problems and cfg.problems not in _logged:
        _logged.add(cfg.problems)
        LOG.error(
            "access settings (%s or the CHUANYU_* environment) have %d problem(s):\n%s",
            SECRETS_PATH,
            len(cfg.problems),
            "\n".join(f"  - {p}" for p in cfg.problems),
        )


def show_problems(cfg: AccessSettings, lang: str) -> None:
    """Tell a visitor, in a short line, that the set-up is broken; the details go to the server log only.

    They name accounts and files, which are nobody's business but the administrator's: `python -m metrics check`
    and the server log give them in full, and so does the admin page to a signed-in admin (show_details).
    """
    if cfg.problems:
        log_problems(cfg)
        st.error(tr("ui.setup_broken", lang), icon=":material/warning:")


def show_details(cfg: AccessSettings, lang: str) -> None:
    """The access settings' problems in full, for a signed-in admin."""
    if cfg.problems:
        log_problems(cfg)
        st.warning(
            tr("ui.setup_broken_admin", lang) + "\n\n" + "\n".join(f"- `{p}`" for p in cfg.problems),
            icon=":material/warning:",
        )


def require_viewer(lang: str | None = None) -> None:
    """Stop the page with a sign-in prompt when viewing requires login and this session has not signed in."""
    cfg = settings()
    if not cfg.require_login:
        return
    lang = lang or current_lang()
    who = signed_in(cfg)
    if who is not None:
        with st.sidebar:
            st.caption(tr("ui.signed_in_as", lang, user=who.name))
            sign_out(cfg, lang, key="view-sign-out")
        return
    st.title(tr("ui.view_login_title", lang))
    st.info(tr("ui.view_login_intro", lang), icon=":material/lock:")
    show_problems(cfg, lang)
    if cfg.oidc:
        email = oidc_email()
        if email:
            st.error(tr("ui.oidc_not_viewer", lang, email=email), icon=":material/block:")
            sign_out(cfg, lang, key="view-sign-out")
        else:
            oidc_button(cfg, lang, key="view-oidc")
    else:
        login_form(cfg, lang, role="viewer", key="view-login")
    st.stop()


def nav_access() -> Access:
    """What this session may see in the navigation: signed in or not, admin, reporter or reviewer (server-side)."""
    cfg = settings()
    roles = cfg.roles
    who = signed_in(cfg)
    return Access(
        signed_in=who is not None,
        admin=who is not None and who.is_admin,
        may_report=who is not None and (roles.party_of(who.name) is not None or roles.is_reviewer(who.name)),
        reporting_set_up=bool(roles.reporters or roles.reviewers),
        can_sign_in=can_sign_in(cfg),
    )


def can_sign_in(cfg: AccessSettings) -> bool:
    """True when some account or an identity provider is configured, so a sign-in link leads somewhere."""
    return cfg.oidc or bool(cfg.admins or cfg.viewers)

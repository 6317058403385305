"""Who may view and who may ingest: OIDC (st.login) settings, local accounts with scrypt hashes, sign-in checks.

Pure library: it reads secrets (a mapping, or .streamlit/secrets.toml) and the environment; the page does the UI.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import threading
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .config import PROJECT_ROOT
from .i18n import tr
from .roles import Roles, load_roles
from .throttle import LoginThrottle

SECRETS_PATH = PROJECT_ROOT / ".streamlit" / "secrets.toml"
ENV_ADMINS = "CHUANYU_ADMINS"  # "alice:$scrypt$... bob:$scrypt$..." (space or ; between)
ENV_VIEWERS = "CHUANYU_VIEWERS"  # same form
ENV_ADMIN_EMAILS = "CHUANYU_ADMIN_EMAILS"  # "a@x.cn, b@x.cn"
ENV_REQUIRE_LOGIN = "CHUANYU_REQUIRE_LOGIN"

# OWASP's scrypt recommendation: N=2^17, r=8, p=1 (128 MiB, about 0.5 s here).
SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P = 17, 8, 1
SALT_BYTES, KEY_BYTES = 16, 32
MIN_PASSWORD_LENGTH = 12
# A hash from the config is trusted data, but bound its cost so a typo cannot freeze the login.
MAX_LOG_N, MAX_R, MAX_P = 20, 32, 16
USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
HASH = re.compile(r"^\$scrypt\$ln=(\d{1,2}),r=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$")
OIDC_KEYS = ("client_id", "client_secret", "server_metadata_url")


class AuthConfigError(ValueError):
    """A setting or a stored hash is malformed; the message says how to fix it."""


class WeakPassword(ValueError):
    """The password is too short or too plain to protect an admin account."""


# -- hashing --------------------------------------------------------------------------------
def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii").rstrip("=")


def _unb64(s: str) -> bytes:
    return base64.b64decode(s + "=" * (-len(s) % 4), validate=True)


def _scrypt(password: str, salt: bytes, log_n: int, r: int, p: int, dklen: int) -> bytes:
    maxmem = 128 * r * (2**log_n) * p + 64 * 2**20
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=2**log_n, r=r, p=p, maxmem=maxmem, dklen=dklen)


def hash_password(password: str, *, log_n: int = SCRYPT_LOG_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """A salted scrypt hash in PHC form: $scrypt$ln=17,r=8,p=1$<salt>$<key>."""
    if not password:
        raise WeakPassword("the password is empty")
    salt = secrets.token_bytes(SALT_BYTES)
    key = _scrypt(password, salt, log_n, r, p, KEY_BYTES)
    return f"$scrypt$ln={log_n},r={r},p={p}${_b64(salt)}${_b64(key)}"


def parse_hash(encoded: str) -> tuple[int, int, int, bytes, bytes]:
    """(log_n, r, p, salt, key) of a stored hash; AuthConfigError when it is not one of ours."""
    m = HASH.match(encoded.strip()) if isinstance(encoded, str) else None
    if not m:
        raise AuthConfigError("not a scrypt password hash (make one with `python -m metrics hash-password`)")
    log_n, r, p = (int(x) for x in m.groups()[:3])
    salt, key = _unb64(m.group(4)), _unb64(m.group(5))
    if not (10 <= log_n <= MAX_LOG_N and 1 <= r <= MAX_R and 1 <= p <= MAX_P):
        raise AuthConfigError("scrypt parameters out of range")
    if len(salt) < SALT_BYTES or len(key) < 16:
        raise AuthConfigError("scrypt hash has a salt or key that is too short")
    return log_n, r, p, salt, key


def verify_password(password: str, encoded: str) -> bool:
    """True when password matches the stored hash; False for a wrong password or a malformed hash."""
    try:
        log_n, r, p, salt, key = parse_hash(encoded)
    except (AuthConfigError, ValueError):
        return False
    got = _scrypt(password, salt, log_n, r, p, len(key))
    return hmac.compare_digest(got, key)


def check_strength(password: str, username: str | None = None) -> None:
    """WeakPassword unless the password is long enough and not the user name."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"use at least {MIN_PASSWORD_LENGTH} characters")
    if len(set(password)) < 4:
        raise WeakPassword("use more different characters")
    if username and username.lower() in password.lower():
        raise WeakPassword("the password must not contain the user name")


# -- settings -------------------------------------------------------------------------------
def read_secrets(path: Path = SECRETS_PATH) -> dict:
    """The secrets file as a dict; {} when it does not exist."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as e:
        raise AuthConfigError(f"{path}: not valid TOML: {e}") from None


def _truthy(v: object) -> bool:
    return str(v).strip().lower() in ("1", "true", "yes", "on") if not isinstance(v, bool) else v


def _accounts(section: object, where: str, problems: list[str]) -> dict[str, str]:
    """username -> hash from a [admins]/[viewers] table, keeping only well-formed entries."""
    out: dict[str, str] = {}
    if section is None:
        return out
    if not isinstance(section, Mapping):
        problems.append(f'{where} must be a table of username = "$scrypt$..." lines')
        return out
    for user, h in section.items():
        if not USERNAME.match(str(user)):
            problems.append(f"{where}.{user}: user names are letters, digits and _ . @ - (at most 64)")
            continue
        try:
            parse_hash(str(h))
        except (AuthConfigError, ValueError) as e:
            problems.append(f"{where}.{user}: {e}")
            continue
        out[str(user)] = str(h)
    return out


def _env_accounts(text: str | None, where: str, problems: list[str]) -> dict[str, str]:
    """Accounts from an environment variable: 'user:hash' entries separated by spaces or semicolons."""
    entries = [e for e in re.split(r"[\s;]+", text or "") if e]
    pairs = {}
    for e in entries:
        user, sep, h = e.partition(":")
        if not sep:
            problems.append(f"{where}: entries are user:$scrypt$... (got {user!r})")
            continue
        pairs[user] = h
    return _accounts(pairs, where, problems)


def _oidc(auth: object, problems: list[str]) -> tuple[bool, str | None]:
    """Whether [auth] configures an identity provider for st.login, and its name if it is a named one."""
    if not isinstance(auth, Mapping) or not auth:
        return False, None
    missing = [k for k in ("redirect_uri", "cookie_secret") if not auth.get(k)]
    named = [k for k, v in auth.items() if isinstance(v, Mapping)]
    provider = None
    if all(auth.get(k) for k in OIDC_KEYS):
        pass
    elif named:
        provider = named[0]
        missing += [f"{provider}.{k}" for k in OIDC_KEYS if not auth[provider].get(k)]
    else:
        missing += list(OIDC_KEYS)
    if missing:
        problems.append(f"[auth] is incomplete: missing {', '.join(missing)}")
        return False, None
    return True, provider


@dataclass(frozen=True)
class AccessSettings:
    """Who may view and who may ingest, from secrets.toml and the environment."""

    oidc: bool = False
    oidc_provider: str | None = None
    admin_emails: frozenset[str] = frozenset()
    viewer_emails: frozenset[str] = frozenset()
    admins: Mapping[str, str] = field(default_factory=dict)
    viewers: Mapping[str, str] = field(default_factory=dict)
    require_login: bool = False
    problems: tuple[str, ...] = ()
    roles: Roles = Roles()  # who reports for which party and who reviews (metrics.roles)

    @property
    def admin_mode(self) -> str:
        """'oidc' (st.login + admin e-mails), 'local' (accounts with scrypt hashes) or 'none'."""
        if self.oidc:
            return "oidc" if self.admin_emails else "none"
        if any(p.startswith("[auth]") for p in self.problems):
            return "none"  # a half-configured provider must not silently fall back to local accounts
        return "local" if self.admins else "none"

    def is_admin_email(self, email: str | None, verified: bool | None = None) -> bool:
        """True for an OIDC user whose e-mail is an admin e-mail (and not marked unverified)."""
        return self.oidc and verified is not False and _email_in(email, self.admin_emails)

    def may_view_email(self, email: str | None, verified: bool | None = None) -> bool:
        """Any logged-in OIDC user may view, unless viewer e-mails or @domains are listed."""
        if not self.oidc or verified is False or not email:
            return False
        return not self.viewer_emails or _email_in(email, self.viewer_emails | self.admin_emails)

    def setup_help(self, lang: str = "en") -> str:
        """What to put where to configure admins (shown by the admin page when none is configured), in lang."""
        return tr("ui.admin_setup_help", lang)


def _email_in(email: str | None, allowed: frozenset[str]) -> bool:
    if not email:
        return False
    e = email.strip().lower()
    domain = "@" + e.rpartition("@")[2]
    return e in allowed or domain in allowed


def _emails(v: object) -> frozenset[str]:
    items = v if isinstance(v, (list, tuple)) else re.split(r"[\s,]+", str(v or ""))
    return frozenset(str(x).strip().lower() for x in items if str(x).strip())


def load_access(
    secrets_map: Mapping | None = None, environ: Mapping[str, str] | None = None, path: Path = SECRETS_PATH
) -> AccessSettings:
    """Settings from secrets (st.secrets.to_dict() or the secrets file) overridden by the environment."""
    sec = dict(secrets_map) if secrets_map is not None else read_secrets(path)
    env = os.environ if environ is None else environ
    problems: list[str] = []
    oidc, provider = _oidc(sec.get("auth"), problems)
    access = sec.get("access") or {}
    admins = _accounts(sec.get("admins"), "[admins]", problems)
    admins.update(_env_accounts(env.get(ENV_ADMINS), ENV_ADMINS, problems))
    viewers = _accounts(sec.get("viewers"), "[viewers]", problems)
    viewers.update(_env_accounts(env.get(ENV_VIEWERS), ENV_VIEWERS, problems))
    admin_emails = _emails(access.get("admin_emails")) | _emails(env.get(ENV_ADMIN_EMAILS))
    require = (
        _truthy(env[ENV_REQUIRE_LOGIN]) if ENV_REQUIRE_LOGIN in env else _truthy(access.get("require_login", False))
    )
    if oidc and not admin_emails:
        problems.append("an identity provider is configured but [access] admin_emails is empty: nobody may ingest")
    roles = load_roles(access if isinstance(access, Mapping) else {}, env)
    problems += roles.problems
    return AccessSettings(
        oidc=oidc,
        oidc_provider=provider,
        admin_emails=admin_emails,
        viewer_emails=_emails(access.get("viewer_emails")),
        admins=admins,
        viewers=viewers,
        require_login=require,
        problems=tuple(problems),
        roles=roles,
    )


def check_access(path: Path = SECRETS_PATH, environ: Mapping[str, str] | None = None) -> list[str]:
    """Every problem in the access settings (the secrets file and the environment), in full, for the operator."""
    try:
        return list(load_access(None, environ, path).problems)
    except AuthConfigError as e:
        return [str(e)]


# -- local login ----------------------------------------------------------------------------
# Each scrypt check takes 128 MiB for about half a second: at most this many run at once in a process, so eight
# simultaneous sign-ins cost 256 MiB, not 1 GiB. An attempt that waits longer than SCRYPT_WAIT is refused as busy.
SCRYPT_SLOTS = 2
SCRYPT_WAIT = 10.0
_SCRYPT_GATE = threading.BoundedSemaphore(SCRYPT_SLOTS)


class SignInBusy(RuntimeError):
    """Every password check slot stayed taken: try again in a moment."""


def check_password(password: str, encoded: str, *, wait: float = SCRYPT_WAIT) -> bool:
    """verify_password() through the process's scrypt slots; SignInBusy when none frees up within wait seconds."""
    try:
        log_n, r, p, salt, key = parse_hash(encoded)
    except (AuthConfigError, ValueError):
        return False
    if not _SCRYPT_GATE.acquire(timeout=wait):
        raise SignInBusy("the sign-in is busy; try again in a few seconds")
    try:
        got = _scrypt(password, salt, log_n, r, p, len(key))
    finally:
        _SCRYPT_GATE.release()
    return hmac.compare_digest(got, key)


def _dummy_hash(like: str | None) -> str:
    """A hash nobody's password matches, at the cost of `like` (a real account's), so unknown names cost the same."""
    try:
        log_n, r, p, _, key = parse_hash(like or "")
    except (AuthConfigError, ValueError):
        log_n, r, p, key = SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P, b"\0" * KEY_BYTES
    salt, fake = secrets.token_bytes(SALT_BYTES), secrets.token_bytes(len(key))
    return f"$scrypt$ln={log_n},r={r},p={p}${_b64(salt)}${_b64(fake)}"


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a local login attempt; retry_after > 0 when it was throttled, busy when no slot was free."""

    ok: bool
    username: str | None = None
    role: str | None = None
    message: str = ""
    retry_after: float = 0.0
    busy: bool = False


def login_local(
    settings: AccessSettings,
    username: str,
    password: str,
    *,
    role: str = "admin",
    throttle: LoginThrottle | None = None,
    client: str | None = None,
) -> LoginResult:
    """Check a local account for role 'admin' (admins only) or 'viewer' (viewers and admins).

    client: the address the attempt comes from (st.context.ip_address), counted by the throttle.
    """
    if settings.oidc:
        return LoginResult(False, message="this site signs in with the identity provider, not local accounts")
    name = (username or "").strip()
    if throttle is not None:
        wait = throttle.check(name, client)
        if wait > 0:
            return LoginResult(
                False, message=f"too many failed attempts; try again in {int(wait) + 1} s", retry_after=wait
            )
    pools = (
        [("admin", settings.admins)] if role == "admin" else [("admin", settings.admins), ("viewer", settings.viewers)]
    )
    stored = next(((r, pool[name]) for r, pool in pools if name in pool), None)
    like = next((h for _, pool in pools for h in pool.values()), None)
    try:
        ok = check_password(password or "", stored[1] if stored else _dummy_hash(like)) and stored is not None
    except SignInBusy as e:
        if throttle is not None:
            throttle.busy(name, client)
        return LoginResult(False, message=str(e), busy=True)
    if throttle is not None:
        throttle.record(name, ok, client, role=stored[0] if ok and stored else None)
    if not ok or stored is None:
        return LoginResult(False, message="wrong user name or password")
    return LoginResult(True, username=name, role=stored[0])

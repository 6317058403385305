"""Which Host headers the server answers: a defence against DNS rebinding, for HTTP and the websocket alike.

A web page on a foreign domain can have its name re-pointed at this server (DNS rebinding) and then talk to it
as if same-origin; the one thing it cannot fake is the Host header, which still carries the foreign name. So
every request and every websocket upgrade whose Host is not allowed is refused before anything else runs.

CHUANYU_ALLOWED_HOSTS (comma or space separated) lists the names a deployment is reached by, e.g.
"dashboard.hrss.example.gov.cn" or "*.hrss.example.gov.cn"; "*" accepts any. Loopback names and the address the
server is bound to are always allowed (the warm-up and health checks connect there). Unset, the server accepts
loopback, this machine's own host name and any IP address literal: a rebinding attack needs a domain name,
never an IP address.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from .asgi import ASGIApp, Receive, Scope, Send, header, plain

ENV = "CHUANYU_ALLOWED_HOSTS"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def hostname(host: str | None) -> str | None:
    """The lower-case name in a Host header ('example.org:8501' -> 'example.org'), None when malformed."""
    if not host or any(c in host for c in "/?#@\\ \t"):
        return None
    try:
        parts = urlsplit(f"//{host}")
        _ = parts.port  # raises on a port that is not a number
    except ValueError:
        return None
    name = parts.hostname
    return name.rstrip(".") if name else None


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class AllowedHosts:
    """Names (exact, '*.suffix' or '*') a request may address; any_ip also admits every IP address literal."""

    names: tuple[str, ...]
    any_ip: bool = False

    def allows(self, host: str | None) -> bool:
        """True when the Host header names this server."""
        name = hostname(host)
        if name is None:
            return False
        if name in LOOPBACK_NAMES or (self.any_ip and _is_ip(name)):
            return True
        for pattern in self.names:
            if pattern == "*" or name == pattern:
                return True
            if pattern.startswith("*.") and name.endswith(pattern[1:]):
                return True
        return False


def bound_address() -> str | None:
    """The address Streamlit listens on when it is one address (not every interface)."""
    from streamlit import config

    address = str(config.get_option("server.address") or "").strip("[]").lower()
    return None if address in ("", "0.0.0.0", "::") else address


def from_env(environ: Mapping[str, str] | None = None, bound: str | None = None) -> AllowedHosts:
    """The allowed hosts from CHUANYU_ALLOWED_HOSTS, or the default (see the module's docstring)."""
    env = os.environ if environ is None else environ
    listed = [p.strip().lower().rstrip(".") for p in env.get(ENV, "").replace(",", " ").split()]
    if listed:
        return AllowedHosts(tuple(listed + ([bound] if bound else [])))
    own = socket.gethostname().lower()  # not getfqdn(): it may wait on a DNS server an intranet cannot reach
    return AllowedHosts((own,) if own else (), any_ip=True)


class HostGuard:
    """Refuse requests (400) and websocket upgrades (403) whose Host header is not allowed."""

    def __init__(self, app: ASGIApp, allowed: AllowedHosts | None = None) -> None:
        self.app = app
        self.allowed = allowed if allowed is not None else from_env(bound=bound_address())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI entry."""
        if scope["type"] in ("http", "websocket") and not self.allowed.allows(header(scope, "host")):
            if scope["type"] == "http":
                await plain(send, 400, "Invalid Host header")
            else:
                await send({"type": "websocket.close", "code": 1008})  # before accept: the server answers 403
            return
        await self.app(scope, receive, send)

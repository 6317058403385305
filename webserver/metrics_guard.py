"""Keep Streamlit's /_stcore/metrics for the operator: loopback callers, or callers with the configured token.

The endpoint tells anyone how many sessions are open and how much memory the caches and uploads hold: useful to
an attacker timing a flood, of no use to a visitor. A scraper on the same machine reads it directly; one
elsewhere sends `Authorization: Bearer <CHUANYU_METRICS_TOKEN>`. A request that came through a reverse proxy
on the same machine also arrives from loopback, so a request carrying forwarding headers (X-Forwarded-For,
X-Real-IP, Forwarded) does not count as local: every visitor behind the proxy is refused unless it has the token.
"""

from __future__ import annotations

import hmac
import ipaddress
import os

from .asgi import ASGIApp, Receive, Scope, Send, base_url_path, header, plain, route_path

ENV_TOKEN = "CHUANYU_METRICS_TOKEN"
ROUTE = "/_stcore/metrics"
FORWARDING = ("x-forwarded-for", "x-real-ip", "forwarded")


def is_loopback(scope: Scope) -> bool:
    """True for a client on this machine that did not come through a proxy."""
    client = scope.get("client")
    if not client:
        return False
    try:
        local = ipaddress.ip_address(str(client[0])).is_loopback
    except ValueError:
        return False
    return local and not any(header(scope, h) for h in FORWARDING)


def has_token(scope: Scope, token: str) -> bool:
    """True when the request's bearer token equals the configured one (compared in constant time)."""
    got = header(scope, "authorization") or ""
    scheme, _, value = got.partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(), token.encode())


class MetricsGuard:
    """403 for /_stcore/metrics unless the caller is local or has the token."""

    def __init__(self, app: ASGIApp, token: str | None = None) -> None:
        self.app = app
        self.token = os.environ.get(ENV_TOKEN, "") if token is None else token
        self.base: str | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI entry."""
        if scope["type"] == "http":
            if self.base is None:
                self.base = base_url_path()
            if route_path(scope, self.base).rstrip("/") == ROUTE and not (
                is_loopback(scope) or has_token(scope, self.token)
            ):
                await plain(send, 403, "Forbidden")
                return
        await self.app(scope, receive, send)

"""Uploads only where an uploader is shown to a signed-in admin.

Streamlit accepts a file PUT to /_stcore/upload_file/<session>/<file> from any live session, whether or not its
page shows an uploader, and holds the bytes in memory until the session ends (up to server.maxUploadSize each,
as many as are sent). The dashboard's only uploader is on the data admin page, drawn after an admin signed in:
that page registers its session here (ui/admin.py), for a while, renewed on each run. Every other session's
upload is refused with 403 before its body is read, so nothing is buffered.

Streamlit itself offers no such hook: the upload route checks only that the session exists (and the XSRF
token), and the upload URLs it hands out are not remembered, so the check has to sit in front of the route.
"""

from __future__ import annotations

import re
import threading
import time

from .asgi import ASGIApp, Receive, Scope, Send, base_url_path, plain, route_path

WINDOW_S = 2 * 3600.0  # an admin may leave the page open for a while before choosing the file
MAX_SESSIONS = 1000
ROUTE = re.compile(r"^/_stcore/upload_file/(?P<session>[^/]+)/[^/]+/?$")
REFUSED = "Uploads are accepted only on the data admin page, for a signed-in administrator."


class UploadRegistry:
    """Sessions that may upload, each until a moment on the monotonic clock; shared by the whole process."""

    def __init__(self) -> None:
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()

    def allow(self, session_id: str, seconds: float = WINDOW_S, now: float | None = None) -> None:
        """Let session_id upload for the next seconds."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if len(self._until) >= MAX_SESSIONS:
                self._until = {s: t for s, t in self._until.items() if t > now}
            self._until[session_id] = now + seconds

    def revoke(self, session_id: str) -> None:
        """Stop session_id from uploading (its page no longer shows the uploader)."""
        with self._lock:
            self._until.pop(session_id, None)

    def allowed(self, session_id: str, now: float | None = None) -> bool:
        """True while session_id may upload."""
        now = time.monotonic() if now is None else now
        with self._lock:
            return self._until.get(session_id, 0.0) > now


REGISTRY = UploadRegistry()


class UploadGate:
    """403 for an upload PUT from a session the registry does not list, before the body is read."""

    def __init__(self, app: ASGIApp, registry: UploadRegistry = REGISTRY) -> None:
        self.app = app
        self.registry = registry
        self.base: str | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI entry."""
        if scope["type"] == "http" and scope.get("method") in ("PUT", "POST"):
            if self.base is None:
                self.base = base_url_path()
            m = ROUTE.match(route_path(scope, self.base))
            if m and not self.registry.allowed(m.group("session")):
                await plain(send, 403, REFUSED, [(b"connection", b"close")])
                return
        await self.app(scope, receive, send)

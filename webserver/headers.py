"""Security headers on every response: no framing by other sites, no type sniffing, no leaking referrers, and a
Content-Security-Policy that Streamlit's pages satisfy.

The policy is as tight as the frontend allows (checked in Chromium on every page: tests/test_server_browser.py):
- scripts only from this server, plus the one inline script in Streamlit's index.html, by its hash (computed
  from the installed file, so a Streamlit upgrade keeps working); no eval, but WebAssembly may compile
  ('wasm-unsafe-eval': the protobuf library's 64-bit arithmetic instantiates a tiny wasm module, and a refusal
  is reported as a violation on every page even though it falls back to JavaScript);
- styles from this server and inline ('unsafe-inline'): Streamlit's CSS-in-JS (emotion) and plotly write
  <style> elements at run time, which no hash can cover;
- images, fonts and media from this server, data: and blob: (the page icon, plotly's PNG download);
- connections (fetch and the websocket) only to this server; frames only from it; nobody else may frame it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache

from .asgi import ASGIApp, Message, Receive, Scope, Send, streamlit_static_dir, with_headers

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions ('sha256-...') for every inline <script> in an HTML page."""
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(body.encode('utf-8')).digest()).decode()}'"
        for body in INLINE_SCRIPT.findall(html)
    ]


def _index_html() -> str:
    return (streamlit_static_dir() / "index.html").read_text(encoding="utf-8")


def content_security_policy(index_html: str) -> str:
    """The policy for pages built from this index.html."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'wasm-unsafe-eval'", *inline_script_hashes(index_html)],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "media-src": ["'self'", "data:", "blob:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    return "; ".join(f"{k} {' '.join(v)}" for k, v in directives.items())


@lru_cache(maxsize=1)
def security_headers() -> tuple[tuple[bytes, bytes], ...]:
    """The headers every response carries."""
    return (
        (b"content-security-policy", content_security_policy(_index_html()).encode("latin-1")),
        (b"x-frame-options", b"SAMEORIGIN"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
    )


class SecurityHeaders:
    """Add the security headers to every HTTP response (a handler's own value wins)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = list(security_headers())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI entry."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        def extra(_message: Message) -> list[tuple[bytes, bytes]]:
            return self.headers

        await self.app(scope, receive, with_headers(send, extra))

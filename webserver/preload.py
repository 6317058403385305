"""Tell the browser, with the page's HTML, to fetch the big files a chart page needs right away.

Streamlit's frontend asks for plotly's bundle (1.1 MB compressed) only once the first chart element has come
over the websocket, and for the icon font only once its CSS is applied: on a phone network that is two more
waits in a row before the first chart (measured: benchmarks/firstload.md). A `Link: rel=modulepreload` /
`rel=preload` header on the HTML starts both downloads with the page's other scripts; the browser then uses the
preloaded copies. Pages without charts (chartless) do not get the plotly hint. The hints go with compression
(CHUANYU_COMPRESS_STATIC): uncompressed, plotly's 4.7 MB would only delay everything else on a slow link.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from . import static
from .asgi import ASGIApp, Message, Receive, Scope, Send, base_url_path, route_path, with_headers

PLOTLY = "js/PlotlyChart.*.js"
ICON_FONT = "media/MaterialSymbols-Rounded.*.woff2"


@lru_cache(maxsize=1)
def _static_dir() -> Path:
    from streamlit import file_util

    return Path(file_util.get_static_dir()) / "static"


def _one(pattern: str) -> str | None:
    """The one file matching pattern under Streamlit's static folder, relative to it (None if not exactly one)."""
    found = sorted(_static_dir().glob(pattern))
    return found[0].relative_to(_static_dir()).as_posix() if len(found) == 1 else None


def link_header(base: str, charts: bool) -> bytes | None:
    """The Link header value for a page (with or without charts), or None when the files are not found."""
    hints = []
    font = _one(ICON_FONT)
    if font:
        hints.append(f"<{base}/static/{font}>; rel=preload; as=font; type=\"font/woff2\"; crossorigin")
    plotly = _one(PLOTLY) if charts else None
    if plotly:
        hints.append(f"<{base}/static/{plotly}>; rel=modulepreload")
    return ", ".join(hints).encode("latin-1") if hints else None


class PreloadHints:
    """Add the Link header to the HTML of the app's pages (not to /static/, /_stcore/ or other API answers)."""

    def __init__(self, app: ASGIApp, chartless: Iterable[str] = ()) -> None:
        self.app = app
        self.chartless = {p.strip("/") for p in chartless}
        self.on = static.enabled()
        self.base: str | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI entry."""
        if not self.on or scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        if self.base is None:
            self.base = base_url_path()
        page = route_path(scope, self.base).strip("/")
        if page.startswith(("static/", "_stcore/", "media/", "component/", "api/")) or "." in page:
            await self.app(scope, receive, send)
            return
        value = link_header(self.base, charts=page.split("/")[0] not in self.chartless)

        def extra(message: Message) -> list[tuple[bytes, bytes]]:
            kinds = [v for k, v in message.get("headers", ()) if bytes(k).lower() == b"content-type"]
            html = message.get("status") == 200 and bool(kinds) and bytes(kinds[0]).startswith(b"text/html")
            return [(b"link", value)] if html and value else []
        await self.app(scope, receive, with_headers(send, extra))

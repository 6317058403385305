"""Tell the browser, with the page's HTML, to fetch plotly's bundle while it loads the rest of the page.

Streamlit's frontend asks for plotly's bundle (1.1 MB compressed) only once the first chart element has come
over the websocket: on a phone network that download then stands alone between the page and its first chart.
A `Link: <...>; rel=modulepreload; fetchpriority=low` header on the HTML of a chart page starts it with the
page's other scripts, behind them in priority, and the browser uses the preloaded copy. Measured on the iPhone 13
profile (benchmarks/firstload.md and the trial below it): at 9 Mbps / 150 ms the first chart came 2.5 s sooner
and the title 0.2 s later; at 1.6 Mbps / 300 ms the chart 1 s sooner and the title 2 s later. Preloading the icon
font as well, or at normal priority, delayed the title more for no gain.

Pages without charts (chartless) get no hint. The hint goes with compression (CHUANYU_COMPRESS_STATIC):
uncompressed, plotly's 4.7 MB would only delay everything else.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from . import static
from .asgi import ASGIApp, Message, Receive, Scope, Send, base_url_path, route_path, with_headers

PLOTLY = "js/PlotlyChart.*.js"


@lru_cache(maxsize=1)
def _static_dir() -> Path:
    from streamlit import file_util

    return Path(file_util.get_static_dir()) / "static"


def _one(pattern: str) -> str | None:
    """The one file matching pattern under Streamlit's static folder, relative to it (None if not exactly one)."""
    found = sorted(_static_dir().glob(pattern))
    return found[0].relative_to(_static_dir()).as_posix() if len(found) == 1 else None


def link_header(base: str) -> bytes | None:
    """The Link header value for a chart page, or None when plotly's bundle is not found."""
    plotly = _one(PLOTLY)
    return f"<{base}/static/{plotly}>; rel=modulepreload; fetchpriority=low".encode("latin-1") if plotly else None


class PreloadHints:
    """Add the Link header to the HTML of the app's chart pages (not to /static/, /_stcore/ or API answers)."""

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
        value = link_header(self.base)
        if (
            page.startswith(("static/", "_stcore/", "media/", "component/", "api/"))
            or "." in page
            or page.split("/")[0] in self.chartless
            or value is None
        ):
            await self.app(scope, receive, send)
            return

        def extra(message: Message) -> list[tuple[bytes, bytes]]:
            kinds = [v for k, v in message.get("headers", ()) if bytes(k).lower() == b"content-type"]
            html = message.get("status") == 200 and bool(kinds) and bytes(kinds[0]).startswith(b"text/html")
            return [(b"link", value)] if html else []

        await self.app(scope, receive, with_headers(send, extra))

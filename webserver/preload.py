"""Start the charts' plotly bundle with the page: a <script async> added to the HTML of every chart page.

The chart element (ui/chart_element.py) would ask for plotly only once its element has come over the websocket
and its component script has run; on a phone the bundle's download and its compile then stand between the page
and its first chart. Named in the page's <head>, the bundle downloads beside Streamlit's own scripts and runs
while the page still waits for them (the main thread is idle then), so the chart element finds window.Plotly
ready. Measured on the iPhone 13 profile at 9 Mbps / 150 ms (benchmarks/firstload.md): first chart 5.1-5.5 s
with a Link preload header, 4.7-4.8 s with the script in the page.

Only the HTML of chart pages changes (not chartless pages, /static/, /_stcore/ or API answers, nor an encoded
body). Its ETag gets a suffix, taken off again from a revalidation (If-None-Match) so that Streamlit can still
answer 304. The script goes with compression (CHUANYU_COMPRESS_STATIC): uncompressed, the bundle would only
delay everything else.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import static
from .asgi import ASGIApp, Message, Receive, Scope, Send, base_url_path, header, route_path

ETAG_SUFFIX = "-chart"
MAX_HTML = 256 * 1024  # Streamlit's index.html is 8 KB; anything larger is passed on untouched


def script_tag(base: str, script: str) -> bytes:
    """The tag that loads script (a path below the base URL) without holding up the page."""
    # data-cy-plotly: the chart element (ui/plot/plot.js) waits for this script rather than adding its own.
    return f'<script async data-cy-plotly fetchpriority="low" src="{base}{script}"></script>'.encode("latin-1")


def inject(html: bytes, tag: bytes) -> bytes:
    """html with tag at the end of its <head> (unchanged when it has none)."""
    at = html.find(b"</head>")
    return html if at < 0 else html[:at] + tag + html[at:]


def _request_without_suffix(scope: Scope) -> Scope:
    """scope with our ETag suffix taken off If-None-Match, so Streamlit compares its own tags."""
    inm = header(scope, "if-none-match")
    if inm is None or ETAG_SUFFIX not in inm:
        return scope
    plain = inm.replace(ETAG_SUFFIX + '"', '"').encode("latin-1")
    headers = [(k, plain if bytes(k).lower() == b"if-none-match" else v) for k, v in scope.get("headers", ())]
    return {**scope, "headers": headers}


class PreloadHints:
    """Add the script tag for script (a path such as /_stcore/bidi-components/name/bundle.js, or None for
    nothing) to the HTML of the app's chart pages."""

    def __init__(self, app: ASGIApp, chartless: Iterable[str] = (), script: str | None = None) -> None:
        self.app = app
        self.chartless = {p.strip("/") for p in chartless}
        self.script = script
        self.on = static.enabled() and script is not None
        self.base: str | None = None

    def _applies(self, scope: Scope) -> bool:
        if not self.on or scope["type"] != "http" or scope.get("method") != "GET":
            return False
        if self.base is None:
            self.base = base_url_path()
        page = route_path(scope, self.base).strip("/")
        return not (
            page.startswith(("static/", "_stcore/", "media/", "component/", "api/"))
            or "." in page
            or page.split("/")[0] in self.chartless
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI entry."""
        if self.script is None or not self._applies(scope):
            await self.app(scope, receive, send)
            return
        tag = script_tag(self.base or "", self.script)
        held: dict[str, Message] = {}
        parts: list[bytes] = []

        async def rewrite(message: Message) -> None:
            if message["type"] == "http.response.start":
                if _rewritable(message):
                    held["start"] = message  # sent with the new length once the body is complete
                    return
                await send(message)
                return
            if "start" not in held or message["type"] != "http.response.body":
                await send(message)
                return
            parts.append(bytes(message.get("body", b"")))
            if message.get("more_body"):
                return
            body = b"".join(parts)
            body = inject(body, tag) if len(body) <= MAX_HTML else body
            start = held.pop("start")
            await send({**start, "headers": _headers(list(start.get("headers", ())), len(body))})
            await send({"type": "http.response.body", "body": body})

        await self.app(_request_without_suffix(scope), receive, rewrite)


def _rewritable(message: Message) -> bool:
    """A 200 HTML answer that is not encoded."""
    headers = {bytes(k).lower(): bytes(v) for k, v in message.get("headers", ())}
    kind = headers.get(b"content-type", b"")
    return message.get("status") == 200 and kind.startswith(b"text/html") and b"content-encoding" not in headers


def _headers(headers: list[tuple[bytes, bytes]], length: int) -> list[tuple[bytes, bytes]]:
    """The response headers for the changed body: its length, and the ETag with our suffix."""
    out: list[tuple[bytes, bytes]] = []
    for k, v in headers:
        name = bytes(k).lower()
        if name == b"content-length":
            continue
        if name == b"etag" and bytes(v).endswith(b'"'):
            v = bytes(v)[:-1] + ETAG_SUFFIX.encode() + b'"'
        out.append((k, v))
    return [*out, (b"content-length", str(length).encode())]

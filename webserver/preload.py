"""Start what a chart page's first chart needs with the page: tags added to the HTML of every chart page.

The chart element (ui/chart_element.py) would ask for plotly only once its element has come over the websocket
and its component script has run; on a phone the bundle's download and its compile then stand between the page
and its first chart. Named in the page's <head>, the bundle downloads beside Streamlit's own scripts and runs
while the page still waits for them (the main thread is idle then), so the chart element finds window.Plotly
ready. The same goes for the modules between the element and its drawing: Streamlit's lazy chunk for
components (webserver/chunks.py) and the component's plot.js, each asked for only once the one before it had
run. Measured on the iPhone 13 profile at 9 Mbps / 150 ms (benchmarks/firstload.md, 4 runs each): first chart
5.0-5.5 s with a Link preload header for the bundle, 4.5-5.0 s with the script in the page, 4.1-4.4 s with the
modules named too, about 4.0 s with the bundle at high priority as well (3.5-3.8 s in the benchmark's runs).

Only the HTML of chart pages changes (not chartless pages, /static/, /_stcore/ or API answers). Streamlit is
asked for it uncompressed and the changed page is compressed here, as the browser accepts. Its ETag gets a
suffix (a hash of the tags, and the encoding), taken off again from a revalidation (If-None-Match) so that
Streamlit can still answer 304; a page with other tags is sent anew. The tags go with compression
(CHUANYU_COMPRESS_STATIC): uncompressed, the bundle would only delay everything else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache

from . import static
from .asgi import ASGIApp, Message, Receive, Scope, Send, base_url_path, header, route_path

MAX_HTML = 256 * 1024  # Streamlit's index.html is 8 KB; anything larger is passed on untouched


def hint_tags(base: str, script: str, modules: Iterable[str] = ()) -> bytes:
    """The tags that load script and fetch modules (paths below the base URL) without holding up the page."""
    # data-cy-plotly: the chart element (ui/plot/plot.js) waits for this script rather than adding its own.
    # High priority: at low, the bundle arrived later and compiled while React drew the page (benchmarks/).
    tags = [f'<script async data-cy-plotly fetchpriority="high" src="{base}{script}"></script>']
    # A module preloaded here is the one Streamlit later imports (the browser's module map is keyed by URL).
    tags += [f'<link rel="modulepreload" crossorigin href="{base}{m}">' for m in modules]
    return "".join(tags).encode("latin-1")


def inject(html: bytes, tag: bytes) -> bytes:
    """html with tag at the end of its <head> (unchanged when it has none)."""
    at = html.find(b"</head>")
    return html if at < 0 else html[:at] + tag + html[at:]


@lru_cache(maxsize=8)  # one tag, a few encodings: hashed once each, not per page request
def etag_suffix(tag: bytes, encoding: str | None) -> bytes:
    """What this adds to Streamlit's ETag: which tag went in (a changed tag is a new page) and the encoding."""
    digest = hashlib.sha256(tag).hexdigest()[:8]
    return f"-chart{digest}{'-' + encoding if encoding else ''}".encode()


def _inner_request(scope: Scope, suffix: bytes) -> Scope:
    """scope as Streamlit should see it: our ETag suffix taken off If-None-Match (so that it compares its own
    tags), and no Accept-Encoding (Streamlit gzips the HTML of pages other than "/"; this compresses it after
    adding the tag)."""
    headers = []
    for k, v in scope.get("headers", ()):
        name = bytes(k).lower()
        if name == b"accept-encoding":
            continue
        if name == b"if-none-match":
            v = bytes(v).replace(suffix + b'"', b'"')
        headers.append((k, v))
    return {**scope, "headers": headers}


class PreloadHints:
    """Add the tags for script (a path such as /_stcore/bidi-components/name/bundle.js, or None for nothing) and
    modules (module scripts' paths) to the HTML of the app's chart pages."""

    def __init__(
        self, app: ASGIApp, chartless: Iterable[str] = (), script: str | None = None, modules: Iterable[str] = ()
    ) -> None:
        self.app = app
        self.chartless = {p.strip("/") for p in chartless}
        self.script = script
        self.modules = tuple(modules)
        self.on = static.enabled() and script is not None
        self.base: str | None = None
        self.tag: bytes | None = None  # made once, at the first page (the base URL path is known by then)

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
        if self.tag is None:
            self.tag = hint_tags(self.base or "", self.script, self.modules)
        tag = self.tag
        encoding = static.choose(header(scope, "accept-encoding"), static.encodings())
        suffix = etag_suffix(tag, encoding)
        held: list[Message] = []
        parts: list[bytes] = []

        async def rewrite(message: Message) -> None:
            if message["type"] == "http.response.start":
                if message.get("status") == 304:  # the browser keeps the page it has, and our tag for it
                    await send({**message, "headers": _headers(list(message.get("headers", ())), suffix, None)})
                elif _rewritable(message):
                    held.append(message)  # sent with the new length once the body is complete
                else:
                    await send(message)
                return
            if not held or message["type"] != "http.response.body":
                await send(message)
                return
            parts.append(bytes(message.get("body", b"")))
            if message.get("more_body"):
                return
            body = b"".join(parts)
            body = inject(body, tag) if len(body) <= MAX_HTML else body
            headers = list(held.pop().get("headers", ()))
            if encoding is not None:
                body = static.compress(body, encoding, best=False)  # 8 KB: a fraction of a millisecond
                headers += [(b"content-encoding", encoding.encode()), (b"vary", b"Accept-Encoding")]
            await send({"type": "http.response.start", "status": 200, "headers": _headers(headers, suffix, len(body))})
            await send({"type": "http.response.body", "body": body})

        await self.app(_inner_request(scope, suffix), receive, rewrite)


def _rewritable(message: Message) -> bool:
    """A 200 HTML answer that is not encoded."""
    headers = {bytes(k).lower(): bytes(v) for k, v in message.get("headers", ())}
    kind = headers.get(b"content-type", b"")
    return message.get("status") == 200 and kind.startswith(b"text/html") and b"content-encoding" not in headers


def _headers(headers: list[tuple[bytes, bytes]], suffix: bytes, length: int | None) -> list[tuple[bytes, bytes]]:
    """The response headers for the changed page: the ETag with our suffix, and the body's new length."""
    out: list[tuple[bytes, bytes]] = []
    for k, v in headers:
        name = bytes(k).lower()
        if name == b"content-length" and length is not None:
            continue
        if name == b"etag" and bytes(v).endswith(b'"'):
            v = bytes(v)[:-1] + suffix + b'"'
        out.append((k, v))
    return out if length is None else [*out, (b"content-length", str(length).encode())]

"""The HTTP layer (webserver/) in-process: each middleware driven with hand-made ASGI scopes, no server needed.

tests/test_server_http.py checks the same behaviour over real HTTP against `streamlit run server.py`.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import gzip
import hashlib
import logging
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import brotli
import pytest

from metrics.ingest import MAX_UPLOAD_BYTES
from tests.support.asgi import body, call, endpoint, response_headers, run, status
from webserver import headers, hosts, metrics_guard, preload, stack, static, uploads
from webserver.asgi import Receive, Scope, Send

ROOT = Path(__file__).resolve().parents[1]


# -- uploads --------------------------------------------------------------------------------------------------
def test_the_servers_upload_limit_is_the_apps() -> None:
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert cfg["server"]["maxUploadSize"] * 2**20 == MAX_UPLOAD_BYTES == 16 * 2**20


def test_upload_registry_allows_for_a_while_and_revokes() -> None:
    reg = uploads.UploadRegistry()
    assert not reg.allowed("s1", now=100.0)
    reg.allow("s1", 60.0, now=100.0)
    assert reg.allowed("s1", now=159.0) and not reg.allowed("s1", now=161.0) and not reg.allowed("s2", now=120.0)
    reg.allow("s1", 60.0, now=150.0)  # each run that shows the uploader renews it
    assert reg.allowed("s1", now=209.0)
    reg.revoke("s1")
    assert not reg.allowed("s1", now=151.0)


@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_upload_from_an_unlisted_session_is_refused_before_the_body_is_read(method: str) -> None:
    reg = uploads.UploadRegistry()
    gate = uploads.UploadGate(endpoint, reg)
    gate.base = ""
    sent, reads = call(gate, "/_stcore/upload_file/anon-session/file-1", method=method)
    assert status(sent) == 403 and reads == 0 and b"data admin page" in body(sent)
    assert response_headers(sent)["connection"] == "close"  # the client stops sending the rest
    reg.allow("admin-session")
    sent, _ = call(gate, "/_stcore/upload_file/admin-session/file-1", method=method)
    assert status(sent) == 200 and body(sent) == b"inner"
    sent, _ = call(gate, "/_stcore/upload_file/anon-session/file-1", method="DELETE")  # nothing to hold
    assert status(sent) == 200


def test_upload_gate_honours_a_base_url_path() -> None:
    gate = uploads.UploadGate(endpoint, uploads.UploadRegistry())
    gate.base = "/dash"
    assert status(call(gate, "/dash/_stcore/upload_file/anon/f", method="PUT")[0]) == 403
    assert status(call(gate, "/dash/tasks", method="PUT")[0]) == 200


# -- hosts ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "header_, name",
    [
        ("example.org:8501", "example.org"),
        ("EXAMPLE.org.", "example.org"),
        ("[::1]:8501", "::1"),
        ("127.0.0.1", "127.0.0.1"),
        ("", None),
        (None, None),
        ("a@evil.example", None),
        ("evil.example/x", None),
        ("host:notaport", None),
    ],
)
def test_hostname_of_a_host_header(header_: str | None, name: str | None) -> None:
    assert hosts.hostname(header_) == name


def test_default_hosts_are_loopback_own_name_and_ip_literals(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hosts.socket, "gethostname", lambda: "Dash-01")
    allowed = hosts.from_env({})
    for ok in ("localhost:8501", "127.0.0.1:8501", "[::1]:8501", "dash-01:8501", "10.2.3.4", "[fd00::2]:80"):
        assert allowed.allows(ok), ok
    for bad in ("evil.example", "evil.example:8501", "dash-01.evil.example", "localhost.evil.example", None, ""):
        assert not allowed.allows(bad), bad


def test_listed_hosts_replace_the_default_and_keep_loopback() -> None:
    allowed = hosts.from_env({hosts.ENV: "dashboard.hrss.example.gov.cn, *.intra.example.cn"})
    assert allowed.allows("dashboard.hrss.example.gov.cn") and allowed.allows("a.intra.example.cn:443")
    assert allowed.allows("127.0.0.1:8501") and allowed.allows("localhost")
    assert not allowed.allows("10.2.3.4") and not allowed.allows("intra.example.cn.evil.example")
    assert not allowed.allows("evilintra.example.cn")
    assert hosts.from_env({hosts.ENV: "*"}).allows("anything.example")
    # The address the server is bound to stays allowed: the warm-up connects to it.
    bound = hosts.from_env({hosts.ENV: "dashboard.hrss.example.gov.cn"}, bound="10.9.8.7")
    assert bound.allows("10.9.8.7:8501") and not bound.allows("10.9.8.6:8501")


@pytest.mark.parametrize("kind", ["http", "websocket"])
def test_a_foreign_host_is_refused_for_http_and_the_websocket(kind: str) -> None:
    guard = hosts.HostGuard(endpoint, hosts.AllowedHosts(("dashboard.example.cn",)))
    sent, _ = call(guard, "/_stcore/stream", kind=kind, host="rebound.evil.example")
    assert status(sent) == (400 if kind == "http" else 403)
    sent, _ = call(guard, "/_stcore/stream", kind=kind, host="dashboard.example.cn")
    assert status(sent) == (200 if kind == "http" else 101)


# -- headers --------------------------------------------------------------------------------------------------
def test_inline_script_hash_is_the_sha256_of_its_text() -> None:
    html = '<script src="./a.js"></script><script>\n  window.x = 1\n</script><SCRIPT type="module">y()</SCRIPT>'
    want = [base64.b64encode(hashlib.sha256(t.encode()).digest()).decode() for t in ("\n  window.x = 1\n", "y()")]
    assert headers.inline_script_hashes(html) == [f"'sha256-{w}'" for w in want]


def test_csp_forbids_framing_by_others_and_foreign_sources() -> None:
    csp = dict(d.split(" ", 1) for d in headers.content_security_policy("<script>a</script>").split("; "))
    assert csp["frame-ancestors"] == "'self'" and csp["default-src"] == "'self'" and csp["object-src"] == "'none'"
    assert "'unsafe-eval'" not in csp["script-src"] and "'unsafe-inline'" not in csp["script-src"]
    assert "https:" not in " ".join(csp.values()) and "*" not in " ".join(csp.values())


def test_security_headers_on_every_response() -> None:
    sent, _ = call(headers.SecurityHeaders(endpoint), "/")
    h = response_headers(sent)
    assert h["x-frame-options"] == "SAMEORIGIN" and h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "frame-ancestors 'self'" in h["content-security-policy"]
    # The hash is that of the inline script in the installed Streamlit's index.html.
    assert headers.inline_script_hashes(headers._index_html())[0] in h["content-security-policy"]


# -- metrics --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "client, extra, token, want",
    [
        ("127.0.0.1", {}, "", 200),
        ("::1", {}, "", 200),
        ("192.0.2.7", {}, "", 403),
        ("127.0.0.1", {"X-Forwarded-For": "192.0.2.7"}, "", 403),  # through a proxy on this machine
        ("127.0.0.1", {"Forwarded": "for=192.0.2.7"}, "", 403),
        ("192.0.2.7", {"Authorization": "Bearer s3cret-token"}, "s3cret-token", 200),
        ("192.0.2.7", {"Authorization": "Bearer wrong"}, "s3cret-token", 403),
        ("192.0.2.7", {"Authorization": "Bearer "}, "", 403),  # no token configured: none matches
    ],
)
def test_metrics_only_for_loopback_or_the_token(client: str, extra: dict, token: str, want: int) -> None:
    guard = metrics_guard.MetricsGuard(endpoint, token=token)
    guard.base = ""
    assert status(call(guard, "/_stcore/metrics", client=client, headers_=extra)[0]) == want
    assert status(call(guard, "/_stcore/health", client=client, headers_=extra)[0]) == 200


# -- compressed static files ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "accept, want",
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip;q=0.5", "gzip"),
        ("identity", None),
        ("*", "br"),
        ("", None),
        (None, None),
        ("gzip;q=0", None),
        ("BR", "br"),
    ],
)
def test_encoding_follows_accept_encoding(accept: str | None, want: str | None) -> None:
    assert static.choose(accept, ("br", "gzip")) == want


@pytest.fixture()
def site(tmp_path: Path) -> tuple[Path, Path]:
    """A static folder with one script, one font and an index.html naming the script; and a cache folder."""
    root = tmp_path / "static"
    (root / "js").mkdir(parents=True)
    (root / "media").mkdir()
    (root / "js" / "app.abc123.js").write_text("function hello(){return 'hello, world';}\n" * 400)
    (root / "js" / "big.def456.js").write_text("var x = 1;\n" * 2000)
    (root / "media" / "font.woff2").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "index.html").write_text('<script src="./static/js/app.abc123.js"></script>')
    return root, tmp_path / "cache"


def test_source_refuses_anything_outside_the_folder_or_not_compressible(site: tuple[Path, Path]) -> None:
    root, cache = site
    sc = static.StaticCache(root, cache)
    assert sc.source("js/app.abc123.js") == (root / "js" / "app.abc123.js").resolve()
    for bad in (
        "../index.html",
        "js/../../index.html",
        "/etc/passwd",
        "js//app.abc123.js",
        "media/font.woff2",
        "js/missing.js",
        "js\\app.abc123.js",
        "js/app.abc123.js%00",
    ):
        assert sc.source(bad) is None, bad


def test_each_file_is_compressed_once_and_the_best_copy_replaces_the_fast_one(
    site: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, cache = site
    calls: list[tuple[str, bool]] = []
    real = static.compress

    def counting(data: bytes, encoding: str, best: bool) -> bytes:
        calls.append((encoding, best))
        return real(data, encoding, best)

    monkeypatch.setattr(static, "compress", counting)
    sc = static.StaticCache(root, cache)
    path = root / "js" / "app.abc123.js"

    async def burst() -> list[static.Variant]:
        return await asyncio.gather(*[sc.get("js/app.abc123.js", "br", path) for _ in range(10)])

    first = run(burst())
    assert calls == [("br", False)] and len({id(v) for v in first}) == 1  # ten visitors, one compression
    assert brotli.decompress(first[0].body) == path.read_bytes() and not first[0].best
    sc.precompress()
    assert sc.progress == {"files": 2, "done": 2, "finished": True}
    assert sc.pending()[0] == "js/app.abc123.js"  # what index.html loads comes first
    assert gzip.decompress((cache / "js" / "app.abc123.js.gz").read_bytes()) == path.read_bytes()
    best = run(sc.get("js/app.abc123.js", "br", path))
    assert best.best and brotli.decompress(best.body) == path.read_bytes() and best.etag == first[0].etag
    n = len(calls)
    sc.precompress()  # a restart finds them on disk
    assert len(calls) == n


def serve(site: tuple[Path, Path], path: str, **kw: Any) -> tuple[list[dict], int]:
    """One request through CompressedStatic on the site (Streamlit's own handler stands behind it)."""
    root, cache = site
    sc = static.StaticCache(root, cache)
    mw = static.CompressedStatic(endpoint, cache=lambda: sc)
    mw.on, mw.base = True, ""
    return call(mw, path, **kw)


def test_scripts_come_compressed_with_vary_and_a_long_lifetime(site: tuple[Path, Path]) -> None:
    root, _ = site
    sent, _ = serve(site, "/static/js/app.abc123.js", headers_={"Accept-Encoding": "gzip, deflate, br"})
    h = response_headers(sent)
    assert status(sent) == 200 and h["content-encoding"] == "br" and h["vary"] == "Accept-Encoding"
    assert h["cache-control"] == "public, immutable, max-age=31536000" and h["etag"].startswith('W/"')
    assert h["content-type"].endswith("javascript; charset=utf-8") and int(h["content-length"]) == len(body(sent))
    assert brotli.decompress(body(sent)) == (root / "js" / "app.abc123.js").read_bytes()
    sent, _ = serve(site, "/static/js/app.abc123.js", headers_={"Accept-Encoding": "gzip"})
    assert response_headers(sent)["content-encoding"] == "gzip"
    assert gzip.decompress(body(sent)) == (root / "js" / "app.abc123.js").read_bytes()


def test_revalidation_answers_304_for_the_same_encoding_only(site: tuple[Path, Path]) -> None:
    sent, _ = serve(site, "/static/js/app.abc123.js", headers_={"Accept-Encoding": "br"})
    etag = response_headers(sent)["etag"]
    again, _ = serve(site, "/static/js/app.abc123.js", headers_={"Accept-Encoding": "br", "If-None-Match": etag})
    assert status(again) == 304 and body(again) == b"" and response_headers(again)["etag"] == etag
    other, _ = serve(site, "/static/js/app.abc123.js", headers_={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert status(other) == 200 and response_headers(other)["content-encoding"] == "gzip"
    head, _ = serve(site, "/static/js/app.abc123.js", method="HEAD", headers_={"Accept-Encoding": "br"})
    assert status(head) == 200 and body(head) == b"" and int(response_headers(head)["content-length"]) > 0


@pytest.mark.parametrize(
    "path, extra",
    [
        ("/static/js/app.abc123.js", {}),  # no Accept-Encoding
        ("/static/js/app.abc123.js", {"Accept-Encoding": "br", "Range": "bytes=0-9"}),
        ("/static/media/font.woff2", {"Accept-Encoding": "br"}),  # compressed already
        ("/static/../index.html", {"Accept-Encoding": "br"}),
        ("/tasks", {"Accept-Encoding": "br"}),
    ],
)
def test_everything_else_goes_to_streamlits_handler(site: tuple[Path, Path], path: str, extra: dict) -> None:
    sent, _ = serve(site, path, headers_=extra)
    assert status(sent) == 200 and body(sent) == b"inner"
    assert "content-encoding" not in response_headers(sent)
    if path.endswith(".js"):
        assert response_headers(sent)["vary"] == "Accept-Encoding"  # a cache must not mix the two


# -- the safe default -----------------------------------------------------------------------------------------
def test_make_run_listens_on_loopback_unless_told_otherwise() -> None:
    def command(*args: str, env: dict[str, str] | None = None) -> str:
        out = subprocess.run(
            ["make", "-n", "run", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={"PATH": "/usr/bin:/bin", **(env or {})},
            check=True,
        ).stdout
        return out.strip().splitlines()[-1]

    assert "--server.address 127.0.0.1" in command()
    assert "--server.address 0.0.0.0" in command("HOST=0.0.0.0")
    assert "--server.address 10.1.2.3" in command(env={"CHUANYU_HOST": "10.1.2.3"})
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert cfg["server"]["address"] == "127.0.0.1"  # `streamlit run server.py` without make, too


# -- the app's asset folders ----------------------------------------------------------------------------------
ASSET_PREFIX = "/_stcore/bidi-components/chuanyu.plot/"


def serve_asset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, **kw: Any) -> tuple[list[dict], int]:
    """One request for an asset folder's file through CompressedStatic."""
    root = tmp_path / "plot"
    root.mkdir(exist_ok=True)
    (root / "bundle-4.1.1.min.js").write_text("var Plotly = {draw: function () { return 1; }};\n" * 200)
    (root / "plot.js").write_text("export default function () { return 'drawn'; }\n" * 60)
    monkeypatch.setenv(static.ENV_CACHE, str(tmp_path / "cache"))
    static.assets_cache.cache_clear()
    mw = static.CompressedStatic(endpoint, assets={ASSET_PREFIX: root})
    mw.on, mw.base = True, ""
    try:
        return call(mw, ASSET_PREFIX + name, **kw)
    finally:
        static.assets_cache.cache_clear()


def test_an_asset_folder_is_served_compressed_versioned_names_for_a_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent, _ = serve_asset(tmp_path, monkeypatch, "bundle-4.1.1.min.js", headers_={"Accept-Encoding": "br, gzip"})
    h = response_headers(sent)
    assert status(sent) == 200 and h["content-encoding"] == "br" and h["vary"] == "Accept-Encoding"
    assert h["cache-control"] == "public, immutable, max-age=31536000"
    assert brotli.decompress(body(sent)) == (tmp_path / "plot" / "bundle-4.1.1.min.js").read_bytes()
    # Unversioned (the component's loader): kept, but revalidated before each use.
    sent, _ = serve_asset(tmp_path, monkeypatch, "plot.js", headers_={"Accept-Encoding": "gzip"})
    h = response_headers(sent)
    assert h["content-encoding"] == "gzip" and h["cache-control"] == "no-cache"
    assert gzip.decompress(body(sent)) == (tmp_path / "plot" / "plot.js").read_bytes()
    # Outside the folder, or not there: Streamlit's own handler answers.
    for name in ("../plot.js", "missing-1.0.0.js"):
        sent, _ = serve_asset(tmp_path, monkeypatch, name, headers_={"Accept-Encoding": "br"})
        assert body(sent) == b"inner", name


@pytest.mark.parametrize(
    "rel, lifetime",
    [
        ("plotly-basic-4.1.1.min.js", static.IMMUTABLE),
        ("lib-10.2.0.js", static.IMMUTABLE),
        ("plot.js", static.REVALIDATE),
        ("plotly-basic.min.js", static.REVALIDATE),
        ("LICENSE-plotly.txt", static.REVALIDATE),
    ],
)
def test_only_files_named_for_their_version_are_immutable(rel: str, lifetime: str) -> None:
    assert static.asset_lifetime(rel) == lifetime


def test_the_shipped_chart_assets_are_served_from_the_folder_the_component_declares() -> None:
    from ui import chart_element

    assert f"/_stcore/bidi-components/{chart_element.COMPONENT}/" == chart_element.ROUTE
    assert (chart_element.ASSETS / chart_element.BUNDLE).is_file()
    assert (chart_element.ASSETS / chart_element.SCRIPT).is_file()
    assert static.asset_lifetime(chart_element.BUNDLE) == static.IMMUTABLE
    assert static.asset_lifetime(chart_element.SCRIPT) == static.REVALIDATE


# -- the plotly bundle started with the page ------------------------------------------------------------------
SCRIPT = "/_stcore/bidi-components/chuanyu.plot/plotly-basic-4.1.1.min.js"
MODULES = ("/_stcore/bidi-components/chuanyu.plot/plot.js", "/static/js/BidiComponent.abc.js")
TAG = (
    f'<script async data-cy-plotly fetchpriority="high" src="{SCRIPT}"></script>'
    '<link rel="modulepreload" crossorigin href="/_stcore/bidi-components/chuanyu.plot/plot.js">'
    '<link rel="modulepreload" crossorigin href="/static/js/BidiComponent.abc.js">'
)


def html_app(seen: list[dict[str, str]], status_: int = 200) -> Any:
    """Streamlit's handler for a page: index.html (recording the request headers it saw), or JSON for an API path;
    gzipped when asked, as Streamlit does for pages other than "/"."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        asked = {bytes(k).decode(): bytes(v).decode() for k, v in scope["headers"]}
        seen.append(asked)
        api = scope["path"].startswith("/_stcore/")
        kind = b"application/json" if api else b"text/html; charset=utf-8"
        page = b"<html><head><title>t</title></head><body></body></html>"
        headers = [(b"content-type", kind), (b"etag", b'"abc"')]
        if "gzip" in asked.get("accept-encoding", ""):
            page = gzip.compress(page)
            headers.append((b"content-encoding", b"gzip"))
        if status_ == 304:
            await send({"type": "http.response.start", "status": 304, "headers": [(b"etag", b'"abc"')]})
            await send({"type": "http.response.body", "body": b""})
            return
        headers.append((b"content-length", str(len(page)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": page})

    return app


def hints(app: Any, **kw: Any) -> preload.PreloadHints:
    mw = preload.PreloadHints(app, script=SCRIPT, modules=MODULES, **kw)
    mw.on, mw.base = True, ""
    return mw


@pytest.mark.parametrize(
    "path, started",
    [
        ("/", True),
        ("/tasks", True),
        ("/employment/", True),
        ("/definitions", False),
        ("/admin", False),  # no chart there
        ("/_stcore/host-config", False),
        ("/static/js/index.def.js", False),
        ("/favicon.png", False),
    ],
)
def test_chart_pages_start_the_plotly_bundle_with_the_page(path: str, started: bool) -> None:
    sent, _ = call(hints(html_app([]), chartless=("definitions", "admin")), path)
    page, h = body(sent), response_headers(sent)
    assert int(h["content-length"]) == len(page)
    suffix = preload.etag_suffix(TAG.encode(), None).decode()
    if started:
        assert page == f"<html><head><title>t</title>{TAG}</head><body></body></html>".encode()
        assert h["etag"] == f'"abc{suffix}"' and suffix.startswith("-chart")
    else:
        assert TAG.encode() not in page and h["etag"] == '"abc"'


def test_the_changed_page_is_compressed_as_the_browser_accepts() -> None:
    seen: list[dict[str, str]] = []
    sent, _ = call(hints(html_app(seen)), "/tasks", headers_={"Accept-Encoding": "gzip, deflate, br"})
    h = response_headers(sent)
    assert "accept-encoding" not in seen[0]  # Streamlit would have gzipped it, hiding </head>
    assert (
        h["content-encoding"] == "br" and h["vary"] == "Accept-Encoding" and int(h["content-length"]) == len(body(sent))
    )
    assert TAG.encode() in brotli.decompress(body(sent))
    assert h["etag"] == f'"abc{preload.etag_suffix(TAG.encode(), "br").decode()}"'


def test_a_revalidation_reaches_streamlit_with_its_own_etag(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[dict[str, str]] = []
    ours = preload.etag_suffix(TAG.encode(), None).decode()
    call(hints(html_app(seen)), "/", headers_={"If-None-Match": f'"abc{ours}"'})
    call(hints(html_app(seen)), "/", headers_={"If-None-Match": '"abc-chart0000000"'})  # another tag: a new page
    assert [s["if-none-match"] for s in seen] == ['"abc"', '"abc-chart0000000"']
    sent, _ = call(hints(html_app([], status_=304)), "/", headers_={"If-None-Match": f'"abc{ours}"'})
    assert status(sent) == 304 and response_headers(sent)["etag"] == f'"abc{ours}"'  # the browser keeps ours
    monkeypatch.setenv(static.ENV_ENABLED, "0")  # Streamlit's own behaviour: no compression, page unchanged
    sent, _ = call(preload.PreloadHints(html_app([]), script=SCRIPT), "/")
    assert TAG.encode() not in body(sent)
    sent, _ = call(preload.PreloadHints(html_app([]), script=None), "/")  # nothing to start
    assert TAG.encode() not in body(sent)


def test_the_tags_follow_the_base_url() -> None:
    tags = preload.hint_tags("/cy", "/b.js", ["/static/js/x.js"]).decode()
    assert tags == (
        '<script async data-cy-plotly fetchpriority="high" src="/cy/b.js"></script>'
        '<link rel="modulepreload" crossorigin href="/cy/static/js/x.js">'
    )
    assert preload.hint_tags("", "/b.js").decode().count("<link") == 0


def test_a_page_without_a_head_is_left_as_it_is() -> None:
    assert preload.inject(b"<p>no head</p>", b"<x>") == b"<p>no head</p>"
    assert preload.inject(b"<head></head></head>", b"<x>") == b"<head><x></head></head>"


def test_the_lifespan_turns_uvicorns_per_connection_lines_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(static.ENV_ENABLED, "0")
    log = logging.getLogger("uvicorn.error")
    monkeypatch.setattr(log, "level", logging.INFO)  # as uvicorn's own logging set-up leaves it
    seen: list[int] = []

    @contextlib.asynccontextmanager
    async def inner(_app: Any) -> Any:
        seen.append(log.getEffectiveLevel())
        yield None

    async def start() -> None:
        async with stack.lifespan(inner)(None):
            pass

    asyncio.run(start())
    assert seen == [logging.WARNING] and not log.isEnabledFor(logging.INFO) and log.isEnabledFor(logging.WARNING)

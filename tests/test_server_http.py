"""The deployed server over real HTTP: `streamlit run server.py` (as `make run`), then plain requests.

Hosts (DNS rebinding, for HTTP and the websocket upgrade), security headers, /_stcore/metrics, uploads from an
anonymous session, compressed static files, and /api/ready with broken access settings. The admin's accepted
upload and the pages' CSP are checked in a browser (tests/test_server_browser.py).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import gzip
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import brotli
import pytest
from streamlit import file_util

from tests.support.asgi import run
from tests.support.browser import SHOTS, free_port
from webserver.uploads import REFUSED

pytestmark = pytest.mark.server
ROOT = Path(__file__).resolve().parents[1]
STATIC = Path(file_util.get_static_dir())
TOKEN = "metrics-token-for-tests-0123456789"
MB = 2**20


def own_address() -> str | None:
    """A non-loopback address of this machine, if it has one (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))
        except OSError:
            return None
        address = s.getsockname()[0]
    return None if address.startswith("127.") or address == "0.0.0.0" else address


@contextmanager
def server(log_name: str, env: dict[str, str], address: str = "127.0.0.1") -> Iterator[tuple[str, subprocess.Popen]]:
    """`streamlit run server.py` on a free port (no warm-up) until the block ends; its log in artifacts/."""
    port = free_port()
    SHOTS.parent.mkdir(parents=True, exist_ok=True)
    full = {k: v for k, v in os.environ.items() if not k.startswith("CHUANYU_")}
    full.update(CHUANYU_WARMUP="0", **env)
    with open(SHOTS.parent / log_name, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "server.py",
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--server.address",
                address,
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=full,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, (SHOTS.parent / log_name).read_text()
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[str, subprocess.Popen]]:
    """The server with a metrics token, on every interface when this machine has another address."""
    address = "0.0.0.0" if own_address() else "127.0.0.1"
    with server("streamlit-http-tests.log", {"CHUANYU_METRICS_TOKEN": TOKEN}, address) as started:
        yield started


def request(
    url: str, path: str, method: str = "GET", headers: dict[str, str] | None = None, body: bytes | None = None
) -> tuple[int, dict[str, str], bytes]:
    """(status, headers with lower-case names, body) of one request; the Host header may be overridden."""
    host, port = url.split("://", 1)[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.putrequest(method, path, skip_host="Host" in (headers or {}), skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        conn.endheaders(body)
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def index_script() -> str:
    """The path of Streamlit's main script bundle, as index.html names it."""
    found = re.search(r'src="\./(static/js/index\.[^"]+\.js)"', (STATIC / "index.html").read_text(encoding="utf-8"))
    assert found
    return "/" + found.group(1)


def rss_mb(pid: int) -> float:
    """The resident memory of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


METRICS_TTL_S = 5.0  # Streamlit recomputes the memory figures at most this often


def upload_bytes_held(url: str, fresh: bool = True) -> int:
    """What Streamlit's upload manager holds in memory, from /_stcore/metrics (0 when it holds nothing).

    fresh waits out Streamlit's short cache of the figure, so it is not one read before the uploads.
    """
    if fresh:
        time.sleep(METRICS_TTL_S + 0.5)
    _, _, text = request(url, "/_stcore/metrics")
    held = re.search(rb'cache_memory_bytes\{cache_type="UploadedFileManager"[^}]*\} (\d+)', text)
    return int(held.group(1)) if held else 0


# -- headers and hosts ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path, method",
    [
        ("/", "GET"),
        ("/tasks?lang=en", "GET"),
        (index_script(), "GET"),
        (index_script(), "HEAD"),
        ("/_stcore/health", "GET"),
        ("/_stcore/host-config", "GET"),
        ("/api/ready", "GET"),
        ("/static/js/no-such-file.js", "GET"),
        ("/favicon.png", "GET"),
    ],
)
def test_every_response_carries_the_security_headers(
    site: tuple[str, subprocess.Popen], path: str, method: str
) -> None:
    url, _ = site
    status, h, _ = request(url, path, method)
    assert status < 500
    assert h["x-frame-options"] == "SAMEORIGIN" and h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "strict-origin-when-cross-origin"
    csp = h["content-security-policy"]
    assert "frame-ancestors 'self'" in csp and "default-src 'self'" in csp and "'unsafe-eval'" not in csp


def test_a_foreign_host_is_refused_and_still_gets_the_headers(site: tuple[str, subprocess.Popen]) -> None:
    url, _ = site
    port = url.rsplit(":", 1)[1]
    status, h, body = request(url, "/", headers={"Host": f"rebound.evil.example:{port}"})
    assert status == 400 and b"Invalid Host" in body and h["x-frame-options"] == "SAMEORIGIN"
    assert request(url, "/", headers={"Host": f"localhost:{port}"})[0] == 200


def upgrade(url: str, host: str, origin: str) -> str:
    """The status line the server answers a websocket upgrade of /_stcore/stream with."""
    port = int(url.rsplit(":", 1)[1])
    key = base64.b64encode(os.urandom(16)).decode()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(
            (
                f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: streamlit\r\n"
                f"Origin: {origin}\r\n\r\n"
            ).encode()
        )
        return s.recv(4096).split(b"\r\n", 1)[0].decode()


def test_websocket_with_a_rebound_host_is_refused(site: tuple[str, subprocess.Popen]) -> None:
    url, _ = site
    port = url.rsplit(":", 1)[1]
    # DNS rebinding: the attacker's page is same-origin with its own name, so Origin matches Host. Only the
    # name gives it away.
    evil = f"rebound.evil.example:{port}"
    assert " 403 " in upgrade(url, evil, f"http://{evil}")
    assert " 101 " in upgrade(url, f"127.0.0.1:{port}", f"http://127.0.0.1:{port}")


# -- metrics --------------------------------------------------------------------------------------------------
def test_metrics_are_for_the_operator_only(site: tuple[str, subprocess.Popen]) -> None:
    url, _ = site
    assert request(url, "/_stcore/metrics")[0] == 200  # a scraper on this machine
    assert request(url, "/_stcore/metrics", headers={"X-Forwarded-For": "203.0.113.9"})[0] == 403  # via a proxy
    assert (
        request(
            url, "/_stcore/metrics", headers={"X-Forwarded-For": "203.0.113.9", "Authorization": f"Bearer {TOKEN}"}
        )[0]
        == 200
    )
    other = own_address()
    if other is None:
        pytest.skip("this machine has no non-loopback address to call from")
    far = f"http://{other}:{url.rsplit(':', 1)[1]}"
    status, _, body = request(far, "/_stcore/metrics")
    assert status == 403 and b"cache_memory_bytes" not in body
    assert request(far, "/_stcore/metrics", headers={"Authorization": "Bearer wrong"})[0] == 403
    assert request(far, "/_stcore/metrics", headers={"Authorization": f"Bearer {TOKEN}"})[0] == 200
    assert request(far, "/_stcore/health")[0] == 200  # the rest of the server answers from there


# -- uploads --------------------------------------------------------------------------------------------------
async def _anonymous_uploads(url: str, pid: int, n: int, size: int) -> tuple[str, list[str], float]:
    """Open the Overview as a visitor, keep its session open, and try n uploads of size bytes from it.

    Returns the session, the server's answers and its memory (MB) once the page had run, before the uploads.
    """
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    _, h, _ = request(url, "/_stcore/health")
    xsrf = re.search(r"_streamlit_xsrf=([^;]+)", h["set-cookie"]).group(1)  # type: ignore[union-attr]
    host = url.split("://", 1)[1]
    async with websockets.connect(
        f"ws://{host}/_stcore/stream",
        subprotocols=["streamlit"],  # type: ignore[list-item]
        origin=f"http://{host}",
        max_size=None,
    ) as ws:  # type: ignore[arg-type]
        msg = BackMsg()
        msg.rerun_script.query_string = "lang=zh"
        await ws.send(msg.SerializeToString())
        session, finished = "", False
        while not finished:
            fm = ForwardMsg()
            fm.ParseFromString(await asyncio.wait_for(ws.recv(), 120))
            if fm.WhichOneof("type") == "new_session":
                session = fm.new_session.initialize.session_id
            finished = fm.WhichOneof("type") == "script_finished"
        before = rss_mb(pid)
        answers = [await asyncio.to_thread(_put, url, session, f"file-{i}", xsrf, size) for i in range(n)]
    return session, answers, before


def _read_answer(s: socket.socket) -> str:
    """A whole HTTP response (headers and a body of Content-Length bytes) from a socket."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(65536) or b"\r\n\r\n"
    head, _, rest = data.partition(b"\r\n\r\n")
    length = re.search(rb"content-length: (\d+)", head, re.IGNORECASE)
    while length and len(rest) < int(length.group(1)):
        chunk = s.recv(65536)
        if not chunk:
            break
        rest += chunk
    return (head + b"\r\n\r\n" + rest).decode("latin-1")


def _put(url: str, session: str, file_id: str, xsrf: str, size: int) -> str:
    """PUT a multipart upload: headers first, then the server's answer, or the body if it waits for it."""
    boundary = "----chuanyu-test"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    port = int(url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(
            (
                f"PUT /_stcore/upload_file/{session}/{file_id} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                f"Content-Length: {len(head) + size + len(tail)}\r\nX-Xsrftoken: {xsrf}\r\n"
                f"Cookie: _streamlit_xsrf={xsrf}\r\n\r\n"
            ).encode()
        )
        s.settimeout(5)
        try:
            answer = _read_answer(s)  # answered before a single byte of the body was sent
        except TimeoutError:  # the server waits for the body (Streamlit alone): send it and read what it says
            s.settimeout(60)
            s.sendall(head + b"x" * size + tail)
            return _read_answer(s)
        with contextlib.suppress(OSError):  # the server closed the connection: it will not read the rest
            s.sendall(head + b"x" * size + tail)  # what a careless or hostile client does anyway
    return answer


def test_an_anonymous_session_cannot_upload_and_nothing_is_buffered(site: tuple[str, subprocess.Popen]) -> None:
    url, proc = site
    session, answers, before = run(_anonymous_uploads(url, proc.pid, 10, 15 * MB))  # under the 16 MB limit
    assert session
    for answer in answers:
        assert answer.startswith("HTTP/1.1 403"), answer[:200]
        assert REFUSED in answer and "connection: close" in answer.lower()
    assert upload_bytes_held(url) == 0
    # Held, ten 15 MB bodies are 150 MB; what grows besides (the page run, the static compressor) stays well below.
    assert rss_mb(proc.pid) - before < 100, "ten refused 15 MB uploads must not grow the server"


# -- compressed static files ----------------------------------------------------------------------------------
def test_scripts_come_compressed_and_revalidate(site: tuple[str, subprocess.Popen]) -> None:
    url, _ = site
    path = index_script()
    raw = (STATIC / path.lstrip("/")).read_bytes()
    status, h, body = request(url, path, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert status == 200 and h["content-encoding"] == "br" and h["vary"] == "Accept-Encoding"
    assert "immutable" in h["cache-control"] and brotli.decompress(body) == raw and len(body) < len(raw) / 3
    assert request(url, path, headers={"Accept-Encoding": "br", "If-None-Match": h["etag"]})[0] == 304
    status, h, body = request(url, path, headers={"Accept-Encoding": "gzip"})
    assert h["content-encoding"] == "gzip" and gzip.decompress(body) == raw
    status, h, body = request(url, path)
    assert status == 200 and "content-encoding" not in h and body == raw and h["vary"] == "Accept-Encoding"


# -- a broken set-up ------------------------------------------------------------------------------------------
def test_ready_says_why_a_broken_setup_is_not_ready_and_the_log_says_what() -> None:
    env = {"CHUANYU_ADMINS": "carol:not-a-hash"}
    with server("streamlit-broken-setup.log", env) as (url, _):
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/ready", timeout=5) as r:
                    status, body = r.status, r.read()
            except urllib.error.HTTPError as e:
                status, body = e.code, e.read()
            answer = json.loads(body)
            if answer["reason"] != "warming_up" or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        assert status == 503 and answer["ready"] is False and answer["reason"] == "access_settings_invalid"
        assert b"carol" not in body and b"scrypt" not in body and b"CHUANYU_ADMINS" not in body
        log = (SHOTS.parent / "streamlit-broken-setup.log").read_text(encoding="utf-8")
        assert "CHUANYU_ADMINS.carol: not a scrypt password hash" in log

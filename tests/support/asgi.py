"""Driving ASGI middleware in-process with hand-made scopes (tests/test_webserver.py, tests/test_server_http.py)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from webserver.asgi import Receive, Scope, Send


def run(coro):
    """asyncio.run in its own thread: Playwright's sync tests may leave an event loop running in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
    """The app behind the middleware: 200 'inner' for HTTP, accept for a websocket."""
    if scope["type"] == "websocket":
        await send({"type": "websocket.accept"})
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"inner"})


def call(
    app: Any,
    path: str = "/",
    *,
    method: str = "GET",
    kind: str = "http",
    host: str = "127.0.0.1:8501",
    client: str = "127.0.0.1",
    headers_: dict[str, str] | None = None,
) -> tuple[list[dict], int]:
    """Send one request through app; (messages sent back, times the app read the body)."""
    sent: list[dict] = []
    reads = 0
    hdrs = [(b"host", host.encode())] + [(k.lower().encode(), v.encode()) for k, v in (headers_ or {}).items()]
    scope = {
        "type": kind,
        "path": path,
        "method": method,
        "headers": hdrs,
        "client": (client, 50000),
        "root_path": "",
        "query_string": b"",
    }

    async def receive() -> dict:
        nonlocal reads
        reads += 1
        return {"type": "http.request", "body": b"x" * 1024, "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    run(app(scope, receive, send))
    return sent, reads


def status(sent: list[dict]) -> int:
    """The status of the response (or the websocket outcome: 101 accepted, 403 closed before accept)."""
    first = sent[0]
    if first["type"] == "websocket.accept":
        return 101
    if first["type"] == "websocket.close":
        return 403
    return int(first["status"])


def response_headers(sent: list[dict]) -> dict[str, str]:
    """The response's headers, lower-case names."""
    return {k.decode().lower(): v.decode() for k, v in sent[0]["headers"]}


def body(sent: list[dict]) -> bytes:
    """The response's body."""
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")

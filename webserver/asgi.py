"""Small ASGI helpers shared by the middleware: header lookup, the route path, plain answers, and where
Streamlit serves from (its base URL path and its frontend folder)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def header(scope: Scope, name: str) -> str | None:
    """The first value of a request header (name in lower case), decoded as latin-1."""
    key = name.encode("latin-1")
    for k, v in scope.get("headers", ()):
        if k.lower() == key:
            return bytes(v).decode("latin-1")
    return None


def base_url_path() -> str:
    """Streamlit's server.baseUrlPath as '/prefix' ('' when unset)."""
    from streamlit import config

    base = str(config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def streamlit_static_dir() -> Path:
    """Streamlit's frontend folder: index.html, and its bundles under static/."""
    from streamlit import file_util

    return Path(file_util.get_static_dir())


def route_path(scope: Scope, base: str) -> str:
    """The request path without the ASGI root_path and the configured base URL path."""
    path = str(scope.get("path", ""))
    for prefix in (str(scope.get("root_path", "") or ""), base):
        if prefix and (path == prefix or path.startswith(prefix + "/")):
            path = path[len(prefix) :] or "/"
    return path


async def plain(send: Send, status: int, text: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    """Answer with a short text/plain body (the request body is never read)."""
    body = text.encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def with_headers(send: Send, extra: Callable[[Message], list[tuple[bytes, bytes]]]) -> Send:
    """send, adding the headers extra(message) returns to the response start (those not already set)."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            present = {bytes(k).lower() for k, _ in message.get("headers", ())}
            added = [(k, v) for k, v in extra(message) if k.lower() not in present]
            if added:
                message = {**message, "headers": [*message.get("headers", ()), *added]}
        await send(message)

    return wrapped

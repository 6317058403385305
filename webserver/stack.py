"""The middleware server.py gives st.App, outermost first, and the lifespan that starts the static compression.

Order matters: the security headers wrap everything (refusals carry them too); a foreign Host is refused before
any route runs; the metrics and upload gates answer before Streamlit reads a body; the pages' HTML gets its
preload hints; compressed static files are served last, in front of Streamlit's own static handler.
Streamlit's middleware (path checks, sessions, gzip for its API answers) runs inside these.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from . import static
from .headers import SecurityHeaders
from .hosts import HostGuard
from .metrics_guard import MetricsGuard
from .preload import PreloadHints
from .uploads import UploadGate

Lifespan = Callable[[Any], AbstractAsyncContextManager[Any]]


def middleware(chartless: Iterable[str] = ()) -> list[Any]:
    """Starlette Middleware entries for st.App(middleware=...); chartless: page paths that draw no plotly chart."""
    from starlette.middleware import Middleware

    return [
        Middleware(SecurityHeaders),
        Middleware(HostGuard),
        Middleware(MetricsGuard),
        Middleware(UploadGate),
        Middleware(PreloadHints, chartless=tuple(chartless)),
        Middleware(static.CompressedStatic),
    ]


def lifespan(inner: Lifespan) -> Lifespan:
    """inner (the warm-up), with the static files' background compression running alongside."""

    @asynccontextmanager
    async def combined(app: Any) -> AsyncIterator[Any]:
        stop = static.start_precompress() if static.enabled() else None
        try:
            async with inner(app) as state:
                yield state
        finally:
            if stop is not None:
                stop.set()

    return combined

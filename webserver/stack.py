"""The middleware server.py gives st.App, outermost first, and the lifespan that starts the static compression.

Order matters: the security headers wrap everything (refusals carry them too); a foreign Host is refused before
any route runs; the metrics and upload gates answer before Streamlit reads a body; the pages' HTML gets its
preload hints; compressed static files are served last, in front of Streamlit's own static handler.
Streamlit's middleware (path checks, sessions, gzip for its API answers) runs inside these.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

from . import static
from .headers import SecurityHeaders
from .hosts import HostGuard
from .metrics_guard import MetricsGuard
from .preload import PreloadHints
from .uploads import UploadGate

Lifespan = Callable[[Any], AbstractAsyncContextManager[Any]]


def middleware(
    chartless: Iterable[str] = (),
    assets: Mapping[str, Path] | None = None,
    preload: str | None = None,
    modules: Iterable[str] = (),
) -> list[Any]:
    """Starlette Middleware entries for st.App(middleware=...).

    chartless: page paths that draw no chart; assets: the app's asset folders by URL prefix, served compressed;
    preload: the script every chart page needs and modules: the module scripts its first chart waits for (paths
    below the base URL), both started with the page's HTML.
    """
    from starlette.middleware import Middleware

    return [
        Middleware(SecurityHeaders),
        Middleware(HostGuard),
        Middleware(MetricsGuard),
        Middleware(UploadGate),
        Middleware(PreloadHints, chartless=tuple(chartless), script=preload, modules=tuple(modules)),
        Middleware(static.CompressedStatic, assets=dict(assets or {})),
    ]


def lifespan(inner: Lifespan, assets: Iterable[Path] = ()) -> Lifespan:
    """inner (the warm-up), with the background compression of Streamlit's static files and of the app's asset
    folders (those first: they are few and the first chart waits for them) running alongside."""

    @asynccontextmanager
    async def combined(app: Any) -> AsyncIterator[Any]:
        quiet_connection_log()
        stops = (
            [static.start_precompress(static.assets_cache(root)) for root in assets] + [static.start_precompress()]
            if static.enabled()
            else []
        )
        try:
            async with inner(app) as state:
                yield state
        finally:
            for stop in stops:
                stop.set()

    return combined


def quiet_connection_log() -> None:
    """uvicorn's per-connection INFO lines off (warnings and errors stay); call once uvicorn has set up logging."""
    # uvicorn logs every websocket's accept and close at INFO; Streamlit shows none of them, yet each record
    # walks the stack to find its caller: 6 % of the GIL when fifty sessions connect at once (py-spy).
    logging.getLogger("uvicorn.error").setLevel(logging.WARNING)

"""Server-side chart images (PNG, SVG) through one warm Chromium driven by kaleido.

Kaleido's own start_sync_server() blocks forever when Chromium fails to start (its worker thread dies and the
caller waits on a queue), so this module keeps its own event-loop thread and waits on futures with timeouts.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import threading
from collections.abc import Iterable
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, Literal, Protocol

import plotly.graph_objects as go

from ..i18n import tr

ImageFormat = Literal["png", "svg"]
# Layout pixels of an exported chart; PNG is rendered at SCALE× for projectors.
WIDTH = 1200
HEIGHT = 600
SCALE = 2
# Browser tabs: a batch (the deck) renders this many charts at once.
TABS = 1
START_TIMEOUT = 60.0
RENDER_TIMEOUT = 60.0


class ImageExportUnavailable(RuntimeError):
    """Chart images cannot be rendered here (no Chromium, or it failed to start)."""


def browser_path() -> str | None:
    """The Chromium kaleido would use (BROWSER_PATH first), or None when there is none."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env if os.path.isfile(env) and os.access(env, os.X_OK) else None
    try:
        from choreographer.browsers.chromium import Chromium

        path = Chromium.find_browser(skip_local=False)
    except Exception:
        return None
    return path if path and os.access(path, os.X_OK) else None


def images_available() -> bool:
    """True when a Chromium is installed for kaleido."""
    return browser_path() is not None


def enable_hint(lang: str = "zh") -> str:
    """How to enable image export, in lang."""
    return tr("images.enable_hint", lang)


class _Kaleido(Protocol):
    """What this module uses of kaleido.Kaleido (the package ships no type hints)."""

    async def close(self) -> None: ...

    async def calc_fig(self, fig: dict[str, Any], opts: dict[str, Any] | None = None) -> bytes: ...


class Renderer:
    """One Chromium kept warm on a background event loop; renders are serialised by a lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: _Kaleido | None = None

    @property
    def running(self) -> bool:
        """True while the warm Chromium is up."""
        return self._kaleido is not None

    def _start(self) -> None:
        path = browser_path()
        if path is None:
            raise ImageExportUnavailable(enable_hint("en"))
        import kaleido

        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="kaleido-renderer", daemon=True)
        thread.start()

        async def open_browser():
            # mathjax=False: no CDN fetch (machines may be offline), and charts use no LaTeX.
            k = kaleido.Kaleido(n=TABS, timeout=RENDER_TIMEOUT, mathjax=False, path=path)
            await k.open()
            return k

        try:
            self._kaleido = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(START_TIMEOUT)
        except (Exception, FutureTimeout) as e:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(5)
            raise ImageExportUnavailable(f"Chromium failed to start ({path}): {e}") from e
        self._loop, self._thread = loop, thread

    def start(self) -> None:
        """Start Chromium now (otherwise it starts on the first render)."""
        with self._lock:
            if not self.running:
                self._start()

    def _stop(self) -> None:
        if self._loop is None:
            return
        if self._kaleido is not None:
            with contextlib.suppress(Exception, FutureTimeout):  # closing a dead browser is best effort
                asyncio.run_coroutine_threadsafe(self._kaleido.close(), self._loop).result(15)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(5)
        self._kaleido = self._loop = self._thread = None

    def stop(self) -> None:
        """Close Chromium and the loop thread."""
        with self._lock:
            self._stop()

    def _run(self, specs: list[tuple[dict, dict]]) -> list[bytes]:
        k = self._kaleido
        assert self._loop is not None and k is not None

        async def batch() -> list[bytes]:
            return list(await asyncio.gather(*(k.calc_fig(f, opts=o) for f, o in specs)))

        wait = RENDER_TIMEOUT * max(1, len(specs) // TABS) + 5
        return asyncio.run_coroutine_threadsafe(batch(), self._loop).result(wait)

    def render_many(
        self,
        figs: Iterable[go.Figure],
        fmt: ImageFormat = "png",
        width: int = WIDTH,
        height: int | None = None,
        scale: float = SCALE,
    ) -> list[bytes]:
        """PNG or SVG bytes of each figure, rendered together through the warm Chromium.

        ImageExportUnavailable when Chromium is missing or fails twice (a crashed one is restarted once).
        """
        specs = []
        for fig in figs:
            h = int(height or fig.layout.height or HEIGHT)
            specs.append(
                (
                    fig.to_plotly_json(),
                    {"format": fmt, "width": width, "height": h, "scale": scale if fmt == "png" else 1},
                )
            )
        if not specs:
            return []
        with self._lock:
            for attempt in (1, 2):
                if not self.running:
                    self._start()
                try:
                    return self._run(specs)
                except (Exception, FutureTimeout) as e:
                    self._stop()
                    if attempt == 2:
                        raise ImageExportUnavailable(f"chart rendering failed: {e}") from e
        raise AssertionError("unreachable")

    def render(
        self,
        fig: go.Figure,
        fmt: ImageFormat = "png",
        width: int = WIDTH,
        height: int | None = None,
        scale: float = SCALE,
    ) -> bytes:
        """One figure as PNG or SVG bytes."""
        return self.render_many([fig], fmt, width, height, scale)[0]


_RENDERER = Renderer()
atexit.register(_RENDERER.stop)


def renderer() -> Renderer:
    """The process-wide warm renderer."""
    return _RENDERER


def render(
    fig: go.Figure,
    fmt: ImageFormat = "png",
    *,
    width: int = WIDTH,
    height: int | None = None,
    scale: float = SCALE,
) -> bytes:
    """Render through the process-wide warm renderer."""
    return _RENDERER.render(fig, fmt, width, height, scale)

"""Warm the dashboard when the server starts, and say when it is ready.

A link shared in a meeting's group chat is opened by twenty people within seconds. If the server has just
started, every one of them would wait behind the first-time work: imports, the warehouse build, the first
queries and every chart's first build. So the server does that work itself, right after it starts listening:
it opens each data page in both languages, for both provinces together and each one alone, through the same
websocket a browser uses (ui.wsclient). The results and figures land in the shared caches (ui.data), so the
first visitors get what the warm-up computed.

`GET /api/ready` answers 503 until the warm-up has finished and 200 afterwards, with what it did: point a
load balancer's readiness probe at it. CHUANYU_WARMUP=0 turns the warm-up off (the route then answers 200 at
once). It also answers 503 while the access settings are broken (a malformed hash, secrets.toml that is not
TOML): a deployment with a broken set-up never becomes ready. The body says why in a short machine-readable
`reason` ("warming_up", "access_settings_invalid"), never the details: those are in the server log and in
`python -m metrics check`. `static` reports the background compression of Streamlit's files (webserver.static).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import time
import urllib.request
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from metrics.config import load_config
from metrics.database import config_file
from metrics.i18n import LANGS

from .navigation import DATA_PAGES
from .wsclient import open_page

ROUTE = "/api/ready"


@dataclass
class WarmState:
    """What the warm-up has done so far; served by the readiness route."""

    enabled: bool = True
    done: bool = False
    runs: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float | None = None
    # Tells processes behind one address apart (a load balancer's stickiness is checked with it); not the pid.
    instance: str = field(default_factory=lambda: secrets.token_hex(4))


STATE = WarmState()


def enabled() -> bool:
    """Whether this server warms itself at start (CHUANYU_WARMUP, default on)."""
    return os.environ.get("CHUANYU_WARMUP", "1") != "0"


def plan() -> list[tuple[str, str]]:
    """(page url path, query string) for every data page, language and province: defaults first."""
    pages = ["" if p == "overview" else p for p in DATA_PAGES]  # "" is the default page, as a bare link opens
    out = []
    # Both provinces together first: the view a shared link opens most often.
    for province in (None, *load_config(config_file()).province_ids()):
        for lang in LANGS:
            query = f"lang={lang}" + (f"&province={province}" if province else "")
            out += [(page, query) for page in pages]
    return out


async def warm(url: str, state: WarmState = STATE, timeout: float = 600.0) -> WarmState:
    """Open every planned page on url, one at a time (the first one may build the warehouse)."""
    started = time.perf_counter()
    for page, query in plan():
        result = await open_page(url, page, query, timeout=timeout)
        state.runs += 1
        if result["error"] or result["status"] != "FINISHED_SUCCESSFULLY":
            state.errors.append(f"/{page}?{query}: {result['error'] or result['status']}")
    state.seconds = round(time.perf_counter() - started, 2)
    state.done = True
    return state


def _local_url() -> str:
    from streamlit import config

    address = config.get_option("server.address") or "127.0.0.1"
    host = "127.0.0.1" if address in ("0.0.0.0", "::", "localhost") else address
    return f"http://{host}:{config.get_option('server.port')}"


async def _when_listening(url: str, limit_s: float = 120.0) -> bool:
    # The lifespan runs before the server accepts connections: wait for its health check.
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        try:
            ok = await asyncio.to_thread(_healthy, url)
            if ok:
                return True
        except OSError:
            pass
        await asyncio.sleep(0.2)
    return False


def _healthy(url: str) -> bool:
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
        return r.status == 200


async def _warm_in_background(state: WarmState) -> None:
    url = _local_url()
    if await _when_listening(url):
        await warm(url, state)
    else:
        state.errors.append("the server did not answer its health check")
        state.done = True


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """Start the warm-up once the server listens (st.App lifespan hook); cancel it on shutdown."""
    STATE.enabled = enabled()
    task = asyncio.create_task(_warm_in_background(STATE)) if STATE.enabled else None
    if task is None:
        STATE.done = True
    try:
        yield
    finally:
        if task is not None and not task.done():
            task.cancel()


def not_ready_reason() -> str | None:
    """Why the server is not ready ("warming_up", "access_settings_invalid"), or None when it is."""
    if not STATE.done:
        return "warming_up"
    from .access import log_problems, settings

    cfg = settings()
    if cfg.problems:
        log_problems(cfg)
        return "access_settings_invalid"
    return None


def _static_progress() -> dict[str, Any] | None:
    from webserver import static

    return dict(static.static_cache().progress) if static.enabled() else None


async def ready(_request: Any) -> Any:
    """200 with the warm-up's report once it has finished and the set-up is sound, 503 with the reason before."""
    from starlette.responses import JSONResponse

    reason = not_ready_reason()
    body = {**asdict(STATE), "ready": reason is None, "reason": reason, "static": _static_progress()}
    return JSONResponse(body, status_code=200 if reason is None else 503, headers={"Cache-Control": "no-store"})


def routes() -> list[Any]:
    """The readiness route for st.App."""
    from starlette.routing import Route

    return [Route(ROUTE, ready, methods=["GET"])]

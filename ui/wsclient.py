"""Open one dashboard page the way a browser does, over Streamlit's websocket, and wait for its run to end.

Used by the warm-up at server start (ui.warmup) and by the load test (benchmarks/loadtest.py). It speaks only
the public wire protocol (BackMsg / ForwardMsg), so it exercises exactly what a visitor's first view costs.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any


async def open_page(
    url: str, page: str, query: str, *, timeout: float = 120.0, go: asyncio.Event | None = None
) -> dict[str, Any]:
    """Run page (its url path, "" for the default) with query; a dict with status, error and client_s.

    With go, the websocket is opened first and the page requested only once go is set, so many sessions can
    start at the same moment. A failure is reported in the dict, never raised.
    """
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.typing import Origin, Subprotocol

    host = url.split("://", 1)[1].rstrip("/")
    out: dict[str, Any] = {"page": page, "query": query, "session": None, "error": None, "status": None}
    try:
        async with websockets.connect(
            f"ws://{host}/_stcore/stream",
            subprotocols=[Subprotocol("streamlit")],
            origin=Origin(f"http://{host}"),
            max_size=None,
            open_timeout=timeout,
        ) as ws:
            if go is not None:
                await go.wait()
            started = time.perf_counter()
            msg = BackMsg()
            msg.rerun_script.query_string = query
            msg.rerun_script.page_name = page
            await ws.send(msg.SerializeToString())
            while True:
                fm = ForwardMsg()
                fm.ParseFromString(await asyncio.wait_for(ws.recv(), timeout))
                kind = fm.WhichOneof("type")
                if kind == "new_session":
                    out["session"] = fm.new_session.initialize.session_id
                elif (
                    kind == "delta"
                    and fm.delta.WhichOneof("type") == "new_element"
                    and fm.delta.new_element.WhichOneof("type") == "exception"
                ):
                    out["error"] = fm.delta.new_element.exception.message or "exception"
                elif kind == "script_finished":
                    out["status"] = ForwardMsg.ScriptFinishedStatus.Name(fm.script_finished)
                    out["client_s"] = time.perf_counter() - started
                    return out
    except Exception as e:
        out["error"] = f"{type(e).__name__}: {e}"
    return out

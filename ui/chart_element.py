"""The dashboard's own chart element: plotly's basic bundle (bar, scatter, pie) instead of Streamlit's full one.

Streamlit's st.plotly_chart loads plotly.js whole (1.06 MB brotli, 4.7 MB to compile); on a phone that bundle,
not the network, kept the first chart past 4 s (benchmarks/firstload.md). Every chart but the sankey is bar,
scatter or pie, which plotly's basic bundle draws from 0.33 MB brotli. This element is a Streamlit component
(st.components.v2) whose JavaScript (ui/plot/plot.js) loads that bundle, vendored beside it at the same
plotly.js version as the Python package's, from this server (webserver/static.py serves it compressed and
immutable) and draws the figure. Figures with other trace types still go to st.plotly_chart.

The component's files are served from a folder registered with Streamlit's component manager (the way an
installed component package declares its asset_dir), so the browser loads plot.js as a file from this
server: the Content-Security-Policy allows scripts only from 'self', and an inline component script would
arrive as a blob: URL.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

PACKAGE = "chuanyu"
NAME = "plot"
COMPONENT = f"{PACKAGE}.{NAME}"
ASSETS = Path(__file__).resolve().parent / "plot"
PLOTLY_VERSION = "4.1.1"
BUNDLE = f"plotly-basic-{PLOTLY_VERSION}.min.js"
SCRIPT = "plot.js"  # the component's module: draws a figure, loading BUNDLE once
LAZY_CHUNK = "BidiComponent"  # Streamlit's frontend chunk that runs st.components.v2 elements
# The trace types plotly.js's basic bundle registers (its lib/index-basic.js).
BASIC_TRACES = frozenset({"bar", "scatter", "pie"})
ROUTE = f"/_stcore/bidi-components/{COMPONENT}/"

_lock = threading.Lock()
_registered: tuple[object, Any] | None = None  # (the component manager, the mount function registered with it)


def drawable(fig: go.Figure) -> bool:
    """Whether the basic bundle draws every trace of fig."""
    return all((t.type or "scatter") in BASIC_TRACES for t in fig.data)


def payload(fig: go.Figure, config: dict[str, Any]) -> bytes:
    """The element's data: the figure and plotly config as JSON bytes, made once per shared chart."""
    # plotly's own encoder (numpy arrays, dates, NaN); the bytes go over the websocket as they are, so a rerun
    # serialises nothing.
    return ('{"figure":' + fig.to_json() + ',"config":' + json.dumps(config, ensure_ascii=False) + "}").encode()


def _mount() -> Any:
    """The component's mount function, registered once with the running Streamlit's component manager."""
    import streamlit as st
    from streamlit.components.v2.get_bidi_component_manager import get_bidi_component_manager
    from streamlit.components.v2.manifest_scanner import ComponentConfig, ComponentManifest

    global _registered
    manager = get_bidi_component_manager()
    with _lock:
        if _registered is None or _registered[0] is not manager or manager.get(COMPONENT) is None:
            manifest = ComponentManifest(PACKAGE, PLOTLY_VERSION, [ComponentConfig(NAME, asset_dir=ASSETS.name)])
            manager.register_from_manifest(manifest, ASSETS.parent)
            # isolate_styles=False: plotly writes its own stylesheet into the page, and the page's rule that
            # hides the toolbar on touch screens has to reach the chart.
            mount = st.components.v2.component(
                COMPONENT, html="<div class='cy-plot' style='width:100%'></div>", js=SCRIPT, isolate_styles=False
            )
            _registered = (manager, mount)
        return _registered[1]


def draw(data: bytes, key: str) -> None:
    """Draw one chart from its payload bytes."""
    _mount()(data=data, key=key)

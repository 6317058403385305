"""The dashboard as it is deployed: app.py behind Streamlit's ASGI server, warmed at start.

    streamlit run server.py        (what `make run` does)

app.py stays the Streamlit script (router and pages). This file adds what a server needs around it: the
warm-up that opens every data page once right after start, and GET /api/ready for a readiness probe
(ui/warmup.py); the HTTP layer (webserver/): allowed hosts, security headers, uploads only for a signed-in
admin's session, /_stcore/metrics for the operator only, Streamlit's static files compressed once and cached,
and a burst of sessions run a few at a time (webserver/runs.py).
`streamlit run app.py` still works, without any of these.
"""

import streamlit as st

from ui import warmup
from webserver import runs, stack

runs.install()  # lock-free config reads, at most CHUANYU_MAX_RUNS script runs at once (webserver/runs.py)

CHARTLESS = ("definitions", "admin")  # pages that draw no plotly chart: their HTML does not preload plotly

app = st.App(
    "app.py",
    lifespan=stack.lifespan(warmup.lifespan),
    routes=warmup.routes(),
    middleware=stack.middleware(chartless=CHARTLESS),
)

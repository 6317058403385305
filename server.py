"""The dashboard as it is deployed: app.py behind Streamlit's ASGI server, warmed at start.

    streamlit run server.py        (what `make run` does)

app.py stays the Streamlit script (router and pages). This file adds what a server needs around it: the
warm-up that opens every data page once right after start, and GET /api/ready for a readiness probe
(ui/warmup.py); the HTTP layer (webserver/): allowed hosts, security headers, uploads only for a signed-in
admin's session, /_stcore/metrics for the operator only, Streamlit's static files and the chart element's plotly
bundle compressed once and cached, and Streamlit's config read without a lock under a burst (webserver/runs.py).
`streamlit run app.py` still works, without any of these.
"""

import streamlit as st

from ui import chart_element, warmup
from webserver import chunks, runs, stack

runs.install()  # Streamlit's config read without its lock on every message (webserver/runs.py)

CHARTLESS = ("definitions", "admin")  # pages that draw no chart: their HTML does not preload plotly
ASSETS = {chart_element.ROUTE: chart_element.ASSETS}  # the chart element's files, served compressed
# What the first chart waits for, named in a chart page's HTML: the element's module and Streamlit's chunk for it.
MODULES = (chart_element.ROUTE + chart_element.SCRIPT, *chunks.lazy(chart_element.LAZY_CHUNK))

app = st.App(
    "app.py",
    lifespan=stack.lifespan(warmup.lifespan, ASSETS.values()),
    routes=warmup.routes(),
    middleware=stack.middleware(
        chartless=CHARTLESS, assets=ASSETS, preload=chart_element.ROUTE + chart_element.BUNDLE, modules=MODULES
    ),
)

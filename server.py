"""The dashboard as it is deployed: app.py behind Streamlit's ASGI server, warmed at start.

    streamlit run server.py        (what `make run` does)

app.py stays the Streamlit script (router and pages). This file adds what a server needs around it: the
warm-up that opens every data page once right after start, and GET /api/ready for a readiness probe
(ui/warmup.py). `streamlit run app.py` still works, without the warm-up.
"""

import streamlit as st

from ui import warmup

app = st.App("app.py", lifespan=warmup.lifespan, routes=warmup.routes())

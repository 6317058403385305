"""The HTTP layer around Streamlit's server: host checks, security headers, upload and metrics gates, compressed
static assets. Plain ASGI middleware for st.App(middleware=...) (see webserver.stack); nothing here imports
Streamlit's script-run APIs, so it runs the same for every request and in unit tests without a session.
"""

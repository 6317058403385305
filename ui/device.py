"""Which kind of device a session's browser runs on, from its request headers.

A phone's KPI tile leaves out the sparkline (issue 14: "the sparkline small or omitted"): the sparklines are
Streamlit's vega charts, and on a phone's first visit vega's bundle is 0.23 MB of the page's 2.5 MB and about a
third of a second of script (benchmarks/firstload.md). The layout itself does not depend on this: the
stylesheet decides it by width (ui/page.py).
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st


def phone_headers(headers: Mapping[str, str]) -> bool:
    """True for a phone's browser: the Sec-CH-UA-Mobile client hint says so, else 'Mobi' in the User-Agent."""
    # Header names in any case: Streamlit hands them over as "Sec-Ch-Ua-Mobile", browsers send lower case.
    lower = {str(k).lower(): str(v) for k, v in headers.items()}
    hint = lower.get("sec-ch-ua-mobile")
    if hint:
        return hint.strip() == "?1"
    # MDN's advice for telling phones apart: "Mobi" anywhere in the User-Agent (iPhone, Android phones, and the
    # WeChat and WeCom in-app browsers, which keep the system's "Mobile/..." token); tablets do not send it.
    return "Mobi" in lower.get("user-agent", "")


def on_phone() -> bool:
    """Whether this session's browser is a phone (False outside a browser session, as in AppTest)."""
    try:
        headers = st.context.headers
    except Exception:  # outside a script run there is no context
        return False
    try:
        return phone_headers(headers)
    except (AttributeError, TypeError):  # AppTest's context is a mock
        return False

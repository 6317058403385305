"""The language of the current run, known before the sidebar is drawn (page titles, the loading message)."""

from __future__ import annotations

import streamlit as st

from metrics.i18n import DEFAULT_LANG, LANGS

STATE = "selection"  # the session's filter mirror (ui.sidebar.Selection), which carries the language


def current_lang() -> str:
    """The session's language, else the URL's ?lang=, else Chinese."""
    for candidate in (getattr(st.session_state.get(STATE), "lang", None), st.query_params.get("lang")):
        if candidate in LANGS:
            return str(candidate)
    return DEFAULT_LANG

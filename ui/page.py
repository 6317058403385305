"""What every page does first: the shared sidebar, then the page header."""

from __future__ import annotations

import streamlit as st

from metrics import Engine

from . import data
from .sidebar import Selection, sidebar
from .strings import page_title


def start(page_id: str) -> tuple[Engine, Selection]:
    """Draw the sidebar and the page title; return the engine and the user's selection."""
    sel = sidebar()
    engine = data.engine()
    p = engine.config.project
    st.caption(p.title_zh if sel.lang == "zh" else p.title_en)
    st.title(page_title(page_id, sel.lang))
    return engine, sel

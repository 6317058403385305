"""数据解读 on screen: the headline paragraph and the compact 需关注 list on the Overview, an area page's paragraph.

The text comes from metrics.narrative (the same Analysis the meeting pack and the Word brief print), built once
per data version, filter set and language through data.shared.
"""

from __future__ import annotations

import re

import streamlit as st

from metrics import Engine
from metrics.i18n import tr
from metrics.narrative import Analysis, analyse, attention_none

from . import data
from .sidebar import Selection

# Characters Streamlit's markdown would read as markup ($ opens LaTeX); names and titles are data, not markup.
_MARKUP = re.compile(r"([\\`*_$~#|<>\[\]])")


def _plain(text: str) -> str:
    return _MARKUP.sub(r"\\\1", text)


def analysis(engine: Engine, sel: Selection) -> Analysis:
    """The analysis for the selection, built once per data version, filter set and language."""
    return data.shared(engine, ("analysis", sel.key, sel.lang), lambda: analyse(engine, sel.filters, sel.lang))


def overview_analysis(engine: Engine, sel: Selection) -> None:
    """The headline paragraph, then 需关注 in one line per kind of concern."""
    a, lang = analysis(engine, sel), sel.lang
    with st.container(border=True, key="analysis"):
        st.markdown(f"**{tr('narrative.title', lang)}** · {_plain(a.period_text)}")
        st.markdown(_plain(a.headline.text))
        items = [f"- {_plain(p.text)}" for p in a.summaries] or [f"- {attention_none(lang)}"]
        st.markdown("\n".join([f"**{tr('narrative.attention_title', lang)}**", *items]))


def area_analysis(engine: Engine, sel: Selection, area_ids: list[str]) -> None:
    """Each area's paragraph, at the top of its page."""
    a = analysis(engine, sel)
    with st.container(border=True, key="area-analysis"):
        st.markdown(f"**{tr('narrative.title', sel.lang)}** · {_plain(a.period_text)}")
        for area_id in area_ids:
            st.markdown(_plain(a.area(area_id).text))

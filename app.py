"""川渝人社合作指标看板 — the dashboard's router: page config, navigation and the page list.

Run with `make run` (streamlit run app.py). Every page draws the shared sidebar itself (ui.sidebar.sidebar):
Streamlit can run a page file without this one (pages/ folder mode: AppTest reruns, a cold server opened at a
page's address), so no widget may live only here; ui.page.start() then runs this router once.
"""

import streamlit as st

from metrics.i18n import tr
from ui.lang import current_lang
from ui.navigation import PAGES
from ui.page import mark_routed

lang = current_lang()
st.set_page_config(page_title=tr("app.browser_title", lang),
                   page_icon=":material/handshake:", layout="wide", initial_sidebar_state="expanded")
pages = [st.Page(f"pages/{p.id}.py", title=tr(f"page.{p.id}", lang), icon=p.icon, url_path=p.id, default=i == 0)
         for i, p in enumerate(PAGES)]
page = st.navigation(pages, position="sidebar")
mark_routed()
page.run()

"""川渝人社合作指标看板 — the dashboard's router: page config, navigation and the page list.

Run with `make run` (streamlit run app.py). Every page draws the shared sidebar itself (ui.sidebar.sidebar):
Streamlit can run a page file without this one (pages/ folder mode: AppTest reruns, a cold server opened at a
page's address), so no widget may live only here; ui.page.start() then runs this router once.
"""

from pathlib import Path

import streamlit as st

from ui.page import mark_routed
from ui.sidebar import current_lang
from ui.strings import page_title

# (page id, icon): the file is pages/<id>.py. Adding a page is one line here.
PAGES: list[tuple[str, str]] = [
    ("overview", ":material/dashboard:"),
    ("tasks", ":material/checklist:"),
    ("employment", ":material/work:"),
    ("social_security", ":material/health_and_safety:"),
    ("talent", ":material/school:"),
    ("public_services", ":material/hub:"),
    ("definitions", ":material/menu_book:"),
    ("admin", ":material/admin_panel_settings:"),
]

# The page icon is a file of ours: a ":material/...:" icon here makes every browser fetch it from Google's fonts
# host, which intranets cannot reach (and a government page should not call out to at all).
ICON = Path(__file__).resolve().parent / "ui" / "assets" / "handshake.svg"

lang = current_lang()
st.set_page_config(page_title="川渝人社合作指标看板" if lang == "zh" else "Sichuan–Chongqing HR Dashboard",
                   page_icon=str(ICON), layout="wide", initial_sidebar_state="expanded")
pages = [st.Page(f"pages/{pid}.py", title=page_title(pid, lang), icon=icon, url_path=pid, default=i == 0)
         for i, (pid, icon) in enumerate(PAGES)]
page = st.navigation(pages, position="sidebar")
mark_routed()
page.run()

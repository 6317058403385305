"""川渝人社合作指标看板 — the dashboard's router: page config, navigation and the page list.

`make run` runs `streamlit run server.py`, which serves this script behind the HTTP layer and the warm-up
(`streamlit run app.py` also works, without them). Every page draws the shared sidebar itself (ui.sidebar.sidebar):
Streamlit can run a page file without this one (pages/ folder mode: AppTest reruns, a cold server opened at a
page's address), so no widget may live only here; ui.page.start() then runs this router once.
"""

from pathlib import Path

import streamlit as st

from metrics.i18n import tr
from ui.access import nav_access
from ui.lang import current_lang
from ui.navigation import nav_pages, nav_title_key
from ui.page import mark_routed

# The page icon is a file of ours: a ":material/...:" icon here makes every browser fetch it from Google's fonts
# host, which intranets cannot reach (and a government page should not call out to at all).
ICON = Path(__file__).resolve().parent / "ui" / "assets" / "handshake.svg"

lang = current_lang()
st.set_page_config(
    page_title=tr("app.browser_title", lang), page_icon=str(ICON), layout="wide", initial_sidebar_state="auto"
)
# The default page is served at / and still reserves its own path name, so it takes a name nobody links to,
# and its real address (/overview) becomes an alias that opens it: otherwise /overview says "Page not found".
# Pages for a role are listed only for that role; for others they stay registered but hidden, so their address
# opens the page's own sign-in (the check is the page's, on the server), and the account page reads "Sign in".
access = nav_access()
pages = [
    st.Page(
        f"pages/{e.page.id}.py",
        title=tr(nav_title_key(e.page, access), lang),
        icon=e.page.icon,
        url_path=f"{e.page.id}-home" if i == 0 else e.page.id,
        default=i == 0,
        visibility="visible" if e.listed else "hidden",
    )
    for i, e in enumerate(nav_pages(access))
]


def home_alias() -> None:
    """The default page's own address (/overview) opens it at /, keeping the filters in the URL."""
    st.switch_page(pages[0], query_params=st.query_params.to_dict())


alias = st.Page(home_alias, title=pages[0].title, url_path=nav_pages(access)[0].page.id, visibility="hidden")
page = st.navigation([*pages, alias], position="sidebar")
mark_routed()
page.run()

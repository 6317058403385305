"""The account page's widgets: the sign-in form for a visitor; for a signed-in person, their role's pages."""

from __future__ import annotations

import streamlit as st

from metrics.i18n import tr

from . import access
from .navigation import PAGES, nav_pages


def draw(lang: str) -> None:
    """The whole page below its title."""
    cfg = access.settings()
    who = access.signed_in(cfg)
    if who is None:
        if not access.can_sign_in(cfg):
            st.info(tr("ui.account_no_accounts", lang), icon=":material/info:")
            return
        st.caption(tr("ui.account_intro", lang))
        access.show_problems(cfg, lang)
        email = access.oidc_email() if cfg.oidc else None
        if cfg.oidc and email:
            st.error(tr("ui.oidc_not_viewer", lang, email=email), icon=":material/block:")
            access.sign_out(cfg, lang, key="account-sign-out")
        elif cfg.oidc:
            access.oidc_button(cfg, lang, key="account-oidc")
        else:
            access.login_form(cfg, lang, role="viewer", key="account-login")
        return
    st.markdown(f":material/verified_user: {tr('ui.signed_in_as', lang, user=who.name)}")
    listed = {e.page.id for e in nav_pages(access.nav_access()) if e.listed}
    mine = [p for p in PAGES if p.role in ("admin", "reporting") and p.id in listed]
    if mine:
        st.caption(tr("ui.account_pages", lang))
        for p in mine:
            st.page_link(f"pages/{p.id}.py", label=tr(f"page.{p.id}", lang), icon=p.icon)
    else:
        st.caption(tr("ui.account_no_role", lang))
    access.sign_out(cfg, lang, key="account-sign-out")

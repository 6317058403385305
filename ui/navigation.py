"""The dashboard's pages: id (the file pages/<id>.py and the URL path), icon, and who sees each in the navigation.

A page with a role (the data admin page, the reporting page) is listed only for a signed-in person with that role.
To everyone else it stays registered but hidden: a link to its address still opens it, and the page's own
server-side check then shows its sign-in, never data. A visitor sees a sign-in link instead (the account page).
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Role = Literal["", "admin", "reporting", "account"]


class PageSpec(NamedTuple):
    """One page of the dashboard."""

    id: str
    icon: str
    data: bool  # a data page: warmed at start and opened by the browser tests with charts
    role: Role = ""  # "": listed for everybody; otherwise listed by the rule in nav_pages


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", ":material/dashboard:", True),
    PageSpec("tasks", ":material/checklist:", True),
    PageSpec("employment", ":material/work:", True),
    PageSpec("social_security", ":material/health_and_safety:", True),
    PageSpec("talent", ":material/school:", True),
    PageSpec("public_services", ":material/hub:", True),
    PageSpec("definitions", ":material/menu_book:", True),
    PageSpec("report", ":material/edit_note:", False, role="reporting"),
    PageSpec("admin", ":material/admin_panel_settings:", False, role="admin"),
    PageSpec("account", ":material/login:", False, role="account"),
)
DATA_PAGES: tuple[str, ...] = tuple(p.id for p in PAGES if p.data)


class Access(NamedTuple):
    """What the navigation needs to know about this session (ui.access.nav_access works it out)."""

    signed_in: bool = False
    admin: bool = False
    may_report: bool = False  # a reporter or a reviewer
    reporting_set_up: bool = False  # reporters or reviewers are configured
    can_sign_in: bool = False  # some way to sign in is configured (accounts or an identity provider)


class NavEntry(NamedTuple):
    """A page to register with st.navigation, and whether the navigation lists it."""

    page: PageSpec
    listed: bool


def _entry(p: PageSpec, a: Access) -> NavEntry | None:
    if p.role == "admin":
        return NavEntry(p, a.admin)
    if p.role == "reporting":
        if not a.reporting_set_up or (a.signed_in and not a.may_report):
            return None  # nothing to open: a signed-in person without a role lands on the first page
        return NavEntry(p, a.signed_in)
    if p.role == "account":
        return NavEntry(p, a.signed_in or a.can_sign_in)
    return NavEntry(p, True)


def nav_pages(a: Access) -> list[NavEntry]:
    """The pages to register for this session, in order, each listed or hidden."""
    return [e for p in PAGES if (e := _entry(p, a)) is not None]


def nav_title_key(p: PageSpec, a: Access) -> str:
    """The string key of a page's name in the navigation: the account page reads 登录 / Sign in to a visitor."""
    return "nav.sign_in" if p.role == "account" and not a.signed_in else f"page.{p.id}"

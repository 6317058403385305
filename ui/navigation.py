"""The dashboard's pages: id (the file pages/<id>.py and the URL path), icon, and whether it shows data."""

from __future__ import annotations

from typing import NamedTuple


class PageSpec(NamedTuple):
    """One page of the dashboard."""

    id: str
    icon: str
    data: bool  # a data page: warmed at start and opened by the browser tests with charts
    reporting: bool = False  # listed only where reporting is set up, and not to a signed-in person without a role


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", ":material/dashboard:", True),
    PageSpec("tasks", ":material/checklist:", True),
    PageSpec("employment", ":material/work:", True),
    PageSpec("social_security", ":material/health_and_safety:", True),
    PageSpec("talent", ":material/school:", True),
    PageSpec("public_services", ":material/hub:", True),
    PageSpec("definitions", ":material/menu_book:", True),
    PageSpec("report", ":material/edit_note:", False, reporting=True),
    PageSpec("admin", ":material/admin_panel_settings:", False),
)
DATA_PAGES: tuple[str, ...] = tuple(p.id for p in PAGES if p.data)


def visible_pages(reporting_set_up: bool, may_report: bool | None) -> list[PageSpec]:
    """The pages to list: the reporting page only when roles are configured and the session is not signed in
    as someone without a role (may_report None: not signed in)."""
    return [p for p in PAGES if not p.reporting or (reporting_set_up and may_report is not False)]

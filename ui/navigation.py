"""The dashboard's pages: id (the file pages/<id>.py and the URL path), icon, and whether it shows data."""

from __future__ import annotations

from typing import NamedTuple


class PageSpec(NamedTuple):
    """One page of the dashboard."""

    id: str
    icon: str
    data: bool  # a data page: warmed at start and opened by the browser tests with charts


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", ":material/dashboard:", True),
    PageSpec("tasks", ":material/checklist:", True),
    PageSpec("employment", ":material/work:", True),
    PageSpec("social_security", ":material/health_and_safety:", True),
    PageSpec("talent", ":material/school:", True),
    PageSpec("public_services", ":material/hub:", True),
    PageSpec("definitions", ":material/menu_book:", True),
    PageSpec("admin", ":material/admin_panel_settings:", False),
)
DATA_PAGES: tuple[str, ...] = tuple(p.id for p in PAGES if p.data)

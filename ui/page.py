"""What every page does first: make sure the router ran, draw the shared sidebar, then the page header."""

from __future__ import annotations

import runpy
import threading
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from metrics import Engine
from metrics.i18n import tr

from . import data
from .access import require_viewer
from .sidebar import Selection, filter_bar, sidebar

APP = Path(__file__).resolve().parents[1] / "app.py"
_router = threading.local()  # per script thread: did app.py route this run?

# Layout that plain Streamlit does not give: names and values wrap instead of being cut off; KPI tiles share
# rows (five on a desktop, two on a phone) at the height of their content; touch screens get no plotly toolbar
# (it sits on chart titles and has nothing a finger needs); phones get compact tiles without sparklines, a tap
# button for what the tooltip says, and the task list as cards instead of the wide grid.
STYLE = """<style>
[data-testid="stMetricLabel"] p {white-space: normal; line-height: 1.3; overflow-wrap: anywhere;}
[data-testid="stMetricLabel"] {min-height: 2.6em; align-items: flex-start;}
.st-key-kpi-grid [data-testid="stMetricValue"] {font-size: 1.85rem;}
.st-key-kpi-grid [data-testid="stMetricValue"] > div {white-space: normal; overflow: visible;}
.st-key-kpi-grid > div {flex: 1 1 calc(20% - 1rem); min-width: 160px;}
@media (hover: none) {
  .modebar-container {display: none !important;}
  .st-key-kpi-grid [class*="st-key-kpi-"] [data-testid="stMetricLabel"] [data-testid="stTooltipIcon"] {display: none;}
}
@media (hover: hover) { .st-key-kpi-grid [class*="-src"] {display: none;} }
[class*="st-key-task-cards-"] {display: none;}
.task-cards {display: flex; flex-direction: column; gap: 0.5rem; width: 100%;}
.task-card {border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; padding: 0.6rem 0.75rem;}
.tc-title {line-height: 1.35; overflow-wrap: anywhere;}
.tc-meta {color: rgba(49, 51, 63, 0.65); font-size: 0.85rem; margin: 0.25rem 0; overflow-wrap: anywhere;}
.tc-row {display: flex; align-items: center; gap: 0.5rem;}
.tc-chip {border-radius: 1rem; padding: 0.05rem 0.55rem; font-size: 0.8rem; white-space: nowrap;}
.tc-completed {background: #dcfce7; color: #166534;} .tc-in_progress {background: #dbeafe; color: #1e40af;}
.tc-not_started {background: #f1f5f9; color: #475569;} .tc-overdue {background: #fee2e2; color: #991b1b;}
.tc-bar {flex: 1; height: 6px; background: #e5e7eb; border-radius: 3px; overflow: hidden;}
.tc-bar > span {display: block; height: 100%; background: #2a9d8f;}
.tc-pct {font-size: 0.85rem; min-width: 2.6em; text-align: right;}
@media (max-width: 640px) {
  .st-key-kpi-grid > div {flex: 1 1 calc(50% - 0.5rem); min-width: 0;}
  .st-key-kpi-grid [data-testid="stMetricValue"] {font-size: 1.5rem;}
  .st-key-kpi-grid [data-testid="stMetricLabel"] p {font-size: 0.85rem;}
  .st-key-kpi-grid [data-testid="stMetricDelta"] {font-size: 0.8rem; white-space: normal; height: auto;}
  .st-key-kpi-grid [data-testid="stMetricChart"],
  .st-key-kpi-grid .stElementContainer:has([data-testid="stProgress"]) {display: none;}
  .st-key-kpi-grid [data-testid="stVerticalBlockBorderWrapper"] {padding: 0.6rem;}
  h1 {font-size: 1.7rem !important; padding-top: 0.2rem;}
  h2 {font-size: 1.35rem !important;} h3 {font-size: 1.2rem !important;}
  [data-testid="stMainBlockContainer"] {padding-top: 4.25rem;}
  .st-key-kpi-grid [class*="-src"] button {min-height: 1.9rem; padding: 0 0.5rem; font-size: 0.85rem;}
  [class*="st-key-task-grid-"] {display: none;}
  [class*="st-key-task-cards-"] {display: flex;}
}
</style>"""


def mark_routed() -> None:
    """app.py calls this just before it runs the chosen page."""
    _router.routed = True


def _ensure_routed() -> None:
    # With a folder named pages/, Streamlit starts in its old pages-folder mode: a cold server opened at a
    # page's address (and AppTest, on every rerun) executes pages/<id>.py without app.py, so there is no page
    # config and no navigation. Then run app.py here (it resolves the same page) and end this outer run.
    if getattr(_router, "routed", False) or getattr(_router, "routing", False):
        _router.routed = False
        return
    _router.routing = True
    try:
        runpy.run_path(str(APP), run_name="__main__")
    finally:
        _router.routing = False
        _router.routed = False
    st.stop()


def start(page_id: str, actions: Callable[[Engine, Selection], None] | None = None) -> tuple[Engine, Selection]:
    """Draw the sidebar, the page title and the filter bar (with the page's actions beside it, e.g. the Overview's
    export); return the engine and the user's selection."""
    _ensure_routed()
    require_viewer()  # stops here with a sign-in form when viewing requires login (off by default)
    st.html(STYLE)
    sel = sidebar()
    engine = data.engine()
    st.caption(engine.config.project.text("title", sel.lang))
    st.title(tr(f"page.{page_id}", sel.lang))
    # One row, wrapping on a narrow screen: a phone's first screen is short, and each row costs a line of it.
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        filter_bar(engine, sel)
        if actions is not None:
            actions(engine, sel)
    return engine, sel

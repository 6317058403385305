"""The charts on a page run by AppTest, as plotly JSON, whichever element drew them.

AppTest knows st.plotly_chart (its spec) but not Streamlit components: the dashboard's own chart element
(ui/chart_element.py) comes back as an unknown "bidi_component" element, whose bytes are the payload the
browser draws ({"figure": ..., "config": ...}).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from streamlit.testing.v1 import AppTest

from ui import chart_element


def _walk(node: Any) -> Iterator[Any]:
    """Every element under node, in page order."""
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for key in sorted(children):
            yield from _walk(children[key])
    else:
        yield node


def chart_elements(at: AppTest) -> list[Any]:
    """The chart elements of the main area, in page order."""
    return [
        el
        for el in _walk(at.main)
        if getattr(el, "type", None) == "plotly_chart"
        or (getattr(el, "type", None) == "bidi_component" and el.proto.component_name == chart_element.COMPONENT)
    ]


def spec(el: Any) -> dict[str, Any]:
    """One chart element's figure as plotly JSON ({"data": ..., "layout": ...})."""
    if el.type == "plotly_chart":
        return dict(json.loads(el.proto.spec))
    return dict(json.loads(bytes(el.proto.bytes))["figure"])


def config(el: Any) -> dict[str, Any]:
    """One chart element's plotly config."""
    if el.type == "plotly_chart":
        return dict(json.loads(el.proto.config))
    return dict(json.loads(bytes(el.proto.bytes))["config"])


def specs(at: AppTest) -> list[dict[str, Any]]:
    """Every chart of the main area as plotly JSON, in page order."""
    return [spec(el) for el in chart_elements(at)]

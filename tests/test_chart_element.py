"""The dashboard's chart element: which figures it draws, what it sends, and the plotly bundle it ships."""

from __future__ import annotations

import json
import re

import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs_version

from metrics import Engine
from tests.test_figures_valid import FILTERS, every_chart
from ui import chart_element
from ui.components import plotly_config


@pytest.mark.parametrize(
    "traces, drawable",
    [
        ([go.Bar(x=[1], y=[2])], True),
        ([go.Scatter(x=[1], y=[2]), go.Pie(labels=["a"], values=[1])], True),
        ([], True),
        ([go.Sankey(node={"label": ["a", "b"]}, link={"source": [0], "target": [1], "value": [1]})], False),
        ([go.Bar(x=[1], y=[2]), go.Heatmap(z=[[1]])], False),
    ],
)
def test_the_element_draws_only_what_the_basic_bundle_has(traces: list, drawable: bool) -> None:
    assert chart_element.drawable(go.Figure(traces)) is drawable


def test_the_payload_is_the_figure_and_config_as_json() -> None:
    fig = go.Figure(go.Bar(x=["四川", "重庆"], y=[1.5, 2.25]), layout={"title": {"text": "岗位 (个)"}, "height": 320})
    sent = json.loads(chart_element.payload(fig, plotly_config("jobs_posted")))
    assert sent["figure"] == json.loads(fig.to_json())
    assert sent["figure"]["layout"]["title"]["text"] == "岗位 (个)" and sent["figure"]["layout"]["height"] == 320
    assert sent["config"]["displaylogo"] is False
    assert sent["config"]["toImageButtonOptions"] == {"format": "png", "scale": 2, "filename": "jobs_posted"}


def test_the_vendored_bundle_is_the_python_packages_plotly_version() -> None:
    # Figures are built by the Python package: its plotly.js version is the one they are written for.
    head = (chart_element.ASSETS / chart_element.BUNDLE).read_text(encoding="utf-8")[:200]
    found = re.search(r"plotly\.js \(basic - minified\) v(\S+)", head)
    assert found is not None and found.group(1) == chart_element.PLOTLY_VERSION
    assert get_plotlyjs_version() == chart_element.PLOTLY_VERSION, "plotly was upgraded: see ui/plot/README.md"
    loader = (chart_element.ASSETS / "plot.js").read_text(encoding="utf-8")
    assert f'"./{chart_element.BUNDLE}"' in loader  # the one name, in both languages


def test_every_chart_is_drawn_by_the_element_but_the_sankey(engine: Engine) -> None:
    # A new trace type would quietly fall back to Streamlit's full plotly (4x the bytes on a phone): say so here.
    types: set[str] = set()
    for filters in FILTERS:
        for chart in every_chart(engine, filters, "zh"):
            fig = chart.figure
            types |= {t.type or "scatter" for t in fig.data}
            assert chart_element.drawable(fig) or {t.type for t in fig.data} == {"sankey"}, chart.name
    assert types == {"bar", "scatter", "pie", "sankey"}

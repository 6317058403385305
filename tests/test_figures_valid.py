"""Every chart the sample draws is valid plotly: the dashboard builds figures without plotly's per-property
checks (metrics.figures.style.figure), so this rebuilds each one with the checks and wants the same JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from metrics import Engine, Filters
from metrics import charts as C
from metrics.catalog import flow_dimension
from metrics.charts import Chart
from metrics.figures.fit import export_figure, on_screen
from metrics.plans import plan_tasks

FILTERS = [Filters(), Filters("2023-01", "2023-08", "chongqing")]


def every_chart(engine: Engine, filters: Filters, lang: str) -> Iterator[Chart]:
    """The charts of every page and export for one filter set: per indicator, then the tasks'."""
    for ind in engine.config.indicators:
        yield C.monthly_chart(engine, ind, filters, lang)
        if ind.by_province:
            yield C.province_chart(engine, ind, filters, lang)
        for dim in ind.dimensions:
            yield C.breakdown_chart(engine, ind, dim, filters, lang)
        if flow_dimension(ind) is not None:
            yield C.flow_chart(engine, ind, filters, lang)
        yield C.published_chart(engine, ind, lang)
    yield from C.task_charts(engine, filters, lang)
    yield C.area_progress_chart(engine, filters, lang)
    for task_id in plan_tasks(engine)["task_id"].head(3):
        yield C.task_timeline_chart(engine, str(task_id), lang)


def plain(value: Any) -> Any:
    """JSON-decoded value without unset properties (null, or an object left empty): plotly drops them as it checks."""
    if isinstance(value, dict):
        kept = {k: plain(v) for k, v in value.items() if v is not None}
        return {k: v for k, v in kept.items() if v != {}}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def as_built(fig: go.Figure) -> Any:
    """What the browser or the image renderer receives."""
    return plain(json.loads(pio.to_json(fig, validate=False)))


def checked(fig: go.Figure) -> Any:
    """The same once plotly has checked and coerced every property (raises on an invalid one)."""
    return plain(json.loads(pio.to_json(go.Figure(fig.to_dict()), validate=True)))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("n", range(len(FILTERS)))
def test_every_chart_is_valid_plotly_as_built_on_screen_and_as_an_image(engine: Engine, lang: str, n: int) -> None:
    count = 0
    for chart in every_chart(engine, FILTERS[n], lang):
        for fig in (chart.figure, on_screen(chart.figure, chart.text), export_figure(chart.figure, chart.text)):
            assert as_built(fig) == checked(fig), chart.name
            count += 1
    assert count >= 3 * 40

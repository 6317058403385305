"""Figure builders are pure, carry the explicit template, and label axes the local way."""

from __future__ import annotations

import pandas as pd

from metrics import Engine
from metrics import figures as F
from metrics.tasks import area_summary, burnup


def test_monthly_lines_use_province_colours_and_chinese_ticks(engine: Engine) -> None:
    x = engine.crosstab("cardholders", "month", "province").rename(
        columns={"key1": "month", "key2": "group", "label2": "group_label"})
    colors = {k: p.color for k, p in engine.config.provinces.items()}
    fig = F.monthly_lines(x, F.ChartText("持卡人数", "人", lang="zh"), colors)
    assert fig.layout.template.layout.font.family.startswith("Noto Sans CJK SC")
    assert {tr.name for tr in fig.data} == {"四川", "重庆"}
    assert {tr.line.color for tr in fig.data} == set(colors.values())
    assert "8000万" in list(fig.layout.yaxis.ticktext)


def test_bars_are_capped(engine: Engine) -> None:
    fig = F.bars(engine.series("cardholders", by="city"), F.ChartText("t", "u"), horizontal=True)
    assert len(fig.data[0].x) == F.MAX_BARS


def test_footnote_is_drawn() -> None:
    text = F.ChartText("标题", "人", "2021-01 – 2023-08", "新闻报道", "2023-08-29")
    fig = F.with_footnote(F.sparkline(pd.DataFrame({"key": ["2023-01"], "value": [1.0]})), text)
    assert any("数据截至: 2023-08-29" in a.text for a in fig.layout.annotations)


def test_task_figures(engine: Engine) -> None:
    s = area_summary(engine, "en")
    fig = F.tasks_by_area(s, "en")
    assert sum(sum(tr.x) for tr in fig.data) == 97
    b = burnup(engine)
    fig = F.burnup_chart(b, "zh")
    assert list(fig.data[1].y)[-1] == 63

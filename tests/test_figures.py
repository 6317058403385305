"""Figure builders are pure, carry the explicit template, and label axes and tooltips the local way."""

from __future__ import annotations

from metrics import Engine, Filters
from metrics.charts import task_chart_text
from metrics.figures import builders as F
from metrics.figures import tasks as TF
from metrics.figures.fit import export_figure
from metrics.figures.style import MAX_BARS, ChartText
from metrics.frames import monthly_frame
from metrics.tasks import area_summary, burnup


def test_monthly_lines_use_province_colours_and_chinese_ticks(engine: Engine) -> None:
    x = monthly_frame(engine, "cardholders", Filters(), "zh")
    colors = {k: p.color for k, p in engine.config.provinces.items()}
    fig = F.monthly_lines(x, ChartText("持卡人数", "人", lang="zh"), colors)
    assert fig.layout.template.layout.font.family.startswith("Noto Sans CJK SC")
    assert [tr.name for tr in fig.data] == ["四川", "重庆"]  # the order config.yaml declares, as in legends
    assert [tr.line.color for tr in fig.data] == list(colors.values())
    assert "8000万" in list(fig.layout.yaxis.ticktext)


def test_bars_are_capped(engine: Engine) -> None:
    fig = F.bars(engine.series("cardholders", by="city"), ChartText("t", "u"), horizontal=True)
    assert len(fig.data[0].x) == MAX_BARS


def test_footnote_is_drawn() -> None:
    text = ChartText("标题", "人", "2021-01 – 2023-08", "新闻报道", "2023-08-29")
    fig = export_figure(F.base(text), text)
    assert any("数据截至: 2023-08-29" in a.text for a in fig.layout.annotations)


def test_task_figures(engine: Engine) -> None:
    s = area_summary(engine, "en")
    fig = TF.tasks_by_area(s, task_chart_text(engine, "word.tasks_by_area_title", "en"))
    assert sum(sum(tr.x) for tr in fig.data) == 97
    fig = TF.burnup_chart(burnup(engine), task_chart_text(engine, "word.burnup_title", "zh"))
    assert list(fig.data[1].y)[-1] == 63

"""Figure builders are pure, carry the explicit template, and label axes and tooltips the local way."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from metrics import Engine, Filters
from metrics.charts import breakdown_chart, monthly_chart, published_chart, task_chart_text
from metrics.figures import builders as F
from metrics.figures import published as PF
from metrics.figures import tasks as TF
from metrics.figures.fit import export_figure
from metrics.figures.style import MAX_BARS, ChartText
from metrics.formatting import format_number
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


def test_stacked_bars_list_their_legend_in_stack_order(engine: Engine) -> None:
    # Plotly reverses the legend of stacked bars by default, so it read the opposite way to the bars.
    fig = TF.tasks_by_area(area_summary(engine, "zh"), task_chart_text(engine, "word.tasks_by_area_title", "zh"))
    assert fig.layout.legend.traceorder == "normal"
    assert [t.name for t in fig.data] == ["已完成", "进行中", "未开始", "逾期"]


def test_ordered_dimensions_sort_by_key_not_by_label(engine: Engine) -> None:
    # 按批次 used to read 第一批, 第三批, 第二批, 第四批 (labels sorted as text, or values largest first).
    s = engine.series("cross_province_transactions", by="batch", lang="zh")
    assert list(s["key"]) == ["1", "2", "3", "4"] and list(s["label"]) == ["第一批", "第二批", "第三批", "第四批"]
    chart = breakdown_chart(engine, engine.indicator("cross_province_transactions"), "batch", Filters(), "zh")
    assert list(chart.figure.data[0].y) == ["第四批", "第三批", "第二批", "第一批"]  # drawn top to bottom: 1..4


def test_city_bars_coloured_by_province_have_a_legend(engine: Engine) -> None:
    chart = breakdown_chart(engine, engine.indicator("cardholders"), "city", Filters(), "zh")
    assert [(t.name, t.showlegend) for t in chart.figure.data] == [("四川", True), ("重庆", True)]
    assert sum(len(t.y) for t in chart.figure.data) == 25  # all bars drawn, cut to MAX_BARS
    assert chart.figure.layout.showlegend is True


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tooltips_and_ticks_use_the_one_number_format(engine: Engine, lang: str) -> None:
    # Tooltips read "合计 : 2022-12: 5,304" without a unit, ticks "1,500" beside cards saying "3178".
    ind = engine.indicator("card_service_outlets")
    chart = monthly_chart(engine, ind, Filters(), lang)
    values = [v for trace in chart.figure.data for v in trace.y]
    hover = [h for trace in chart.figure.data for h in trace.customdata]
    unit = ind.text("unit", lang)
    assert hover == [f"{format_number(v, lang)} {unit}" for v in values]
    assert all(
        t == format_number(v, lang)
        for v, t in zip(chart.figure.layout.yaxis.tickvals, chart.figure.layout.yaxis.ticktext, strict=True)
    )
    assert "%{customdata}" in chart.figure.data[0].hovertemplate


def test_chinese_and_english_round_to_the_same_precision() -> None:
    assert (format_number(369_300, "zh"), format_number(369_300, "en")) == ("36.93万", "369,300")
    assert (format_number(3178, "zh"), format_number(3178, "en")) == ("3178", "3,178")
    assert (format_number(125_000_000, "zh"), format_number(125_000_000, "en")) == ("1.25亿", "125 million")


def test_published_points_close_together_are_labelled_by_day() -> None:
    # One publication alone made plotly tick every few days, each tick reading "2023-08".
    one = PF.date_axis(pd.Series([date(2023, 8, 29)]))
    assert one["tickformat"] == "%Y-%m-%d"
    assert [str(d.date()) for d in one["range"]] == ["2023-08-09", "2023-09-18"]
    apart = PF.date_axis(pd.Series([date(2023, 8, 29), date(2023, 12, 31)]))
    assert apart == {"type": "date", "tickformat": "%Y-%m"}


def test_the_samples_published_chart_reads_by_day(engine: Engine) -> None:
    fig = published_chart(engine, engine.indicator("cross_province_transactions"), "en").figure
    assert fig.layout.xaxis.tickformat == "%Y-%m-%d"

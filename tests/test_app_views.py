"""The pure shapes behind the dashboard pages (catalog, frames, definitions) and the URL <-> selection mapping."""

from __future__ import annotations

from metrics import Engine, Filters
from metrics import catalog as V
from metrics import definitions as D
from metrics import frames as FR
from metrics.presets import month_options
from metrics.tasks import filter_tasks, task_table
from ui.sidebar import Selection, from_params, merge, to_params


def test_every_area_page_has_indicators_and_every_indicator_a_page(engine: Engine) -> None:
    pages = V.area_pages(engine.config)
    assert pages == ["employment", "social_security", "talent", "public_services"]
    on_pages = {i.id for p in pages for i in V.page_indicators(engine.config, p)}
    assert on_pages == {i.id for i in engine.config.indicators if i.area != "agreement"}


def test_flows_run_from_sender_to_receiver(engine: Engine) -> None:
    f = FR.flow_frame(engine, "insurance_transfers", Filters(), "zh")
    x = engine.crosstab("insurance_transfers", "from_province", "province")
    assert f["value"].sum() == engine.value("insurance_transfers").value == x["value"].sum()
    assert set(zip(f["from_key"], f["to_key"], strict=True)) == {("sichuan", "chongqing"), ("chongqing", "sichuan")}
    only_cq = FR.flow_frame(engine, "insurance_transfers", Filters(province="chongqing"), "zh")
    assert set(only_cq["to_key"]) == {"chongqing"}
    assert FR.flow_frame(engine, "cardholders", Filters(), "zh").empty


def test_area_progress_adds_up_to_the_agreement(engine: Engine) -> None:
    a = FR.area_progress(engine, Filters(), "en")
    assert (a["completed"].sum(), a["total"].sum()) == (63, 97)
    assert FR.area_progress(engine, Filters("2021-01", "2021-03"), "en")["completed"].sum() == 0


def test_filter_tasks(engine: Engine) -> None:
    t = task_table(engine, "zh")
    assert len(filter_tasks(t)) == 97
    assert len(filter_tasks(t, overdue_only=True)) == int(t["overdue"].sum())
    both = filter_tasks(t, areas=["talent"], leads=["joint"])
    assert set(both["area_id"]) == {"talent"} and set(both["lead_party"]) == {"joint"}


def test_monthly_frame_splits_by_province_only_when_declared(engine: Engine) -> None:
    m = FR.monthly_frame(engine, "cardholders", Filters("2023-01", "2023-03"), "en")
    assert set(m["group"]) == {"sichuan", "chongqing"} and len(m) == 6
    single = FR.monthly_frame(engine, "senior_startup_mentors", Filters("2023-01", "2023-03"), "en")
    assert set(single["group"]) == {"total"}


def test_definitions_cover_config(engine: Engine) -> None:
    d = D.indicator_definitions(engine, "en")
    assert list(d["indicator_id"]) == [i.id for i in engine.config.indicators]
    assert (d["as_of"] != "").all() and (d["datasets"] != "").all()
    c = D.dataset_contracts(engine, "zh")
    assert set(c["dataset"]) == set(engine.config.datasets)
    cols = D.dataset_columns(engine.config, "tasks", "en")
    assert "task_id" in set(cols["column"])


def test_month_options_end_at_the_data(engine: Engine) -> None:
    # No period after the data's as-of month can be chosen in the dashboard.
    months = month_options(engine)
    assert months[0] == "2021-01" and months[-1] == "2023-08" and len(months) == 32


def test_query_params_round_trip(engine: Engine) -> None:
    sel = Selection("2023-01", "2023-06", "sichuan", "chengdu", "en", preset="custom", compare="previous")
    assert to_params(sel) == {
        "lang": "en",
        "from": "2023-01",
        "to": "2023-06",
        "compare": "previous",
        "province": "sichuan",
        "city": "chengdu",
    }
    assert from_params(engine, to_params(sel)) == sel
    # The default is this year to date, compared year on year: the first screen has 同比 to show.
    assert from_params(engine, {}) == Selection("2023-01", "2023-08", preset="ytd", compare="yoy")
    assert to_params(from_params(engine, {})) == {"lang": "zh", "period": "ytd"}
    assert from_params(engine, {"period": "last12"}) == Selection("2022-09", "2023-08", preset="last12")
    assert from_params(engine, {"period": "last-year"}) == Selection("2022-01", "2022-12", preset="last-year")
    assert from_params(engine, {"period": "since-signing"}) == Selection("2021-01", "2023-08", preset="since-signing")
    assert from_params(engine, {"to": "2021-01"}) == Selection("2021-01", "2021-01", preset="custom")
    # A month after the data's last one cannot be chosen: it is dropped, not kept.
    assert from_params(engine, {"from": "2023-06", "to": "2025-12"}) == Selection("2023-06", "2023-08", preset="custom")
    assert from_params(engine, {"from": "2024-01", "to": "2024-06"}) == Selection("2023-01", "2023-08")


def test_merge_reads_only_the_widget_that_moved(engine: Engine) -> None:
    from ui.sidebar import W_CITY, W_COMPARE, W_LANG, W_PERIOD, W_PRESET, W_PROVINCE

    sel = Selection("2023-01", "2023-08", "sichuan", "chengdu")
    for widget, bad in [
        (W_LANG, "xx"),
        (W_PRESET, "nope"),
        (W_PERIOD, ("2030-01", "2031-01")),
        (W_COMPARE, "mom"),
        (W_PROVINCE, "mars"),
        (W_CITY, 5),
        (W_CITY, "yuzhong"),
    ]:
        assert merge(engine, sel, widget, bad) == sel, widget
    moved = merge(engine, sel, W_PERIOD, ("2023-06", "2023-01"))
    assert moved == Selection("2023-01", "2023-06", "sichuan", "chengdu", preset="custom")
    assert merge(engine, moved, W_PROVINCE, "chongqing") == Selection(
        "2023-01", "2023-06", "chongqing", None, preset="custom"
    )
    preset = merge(engine, moved, W_PRESET, "last12")
    assert (preset.start, preset.end, preset.preset) == ("2022-09", "2023-08", "last12")
    assert merge(engine, sel, W_COMPARE, "previous").compare == "previous"
    assert merge(engine, sel, W_LANG, "en").lang == "en"


def test_on_screen_tidies_every_figure_kind(engine: Engine) -> None:
    from metrics.figures import builders as F
    from metrics.figures import tasks as TF
    from metrics.figures.fit import on_screen
    from metrics.figures.style import ChartText
    from metrics.tasks import area_summary, burnup

    text = ChartText("标题", "人", lang="zh")
    flows = FR.flow_frame(engine, "insurance_transfers", Filters(), "zh")
    monthly = FR.monthly_frame(engine, "cardholders", Filters("2023-01", "2023-03"), "zh")
    figs = [
        F.flow_sankey(flows, text),
        TF.task_progress(63, 97, text),
        F.monthly_lines(monthly, text),
        F.bars(engine.series("cardholders", by="city"), text, horizontal=True),
        TF.tasks_by_area(area_summary(engine, "zh"), text),
        TF.burnup_chart(burnup(engine), text),
        TF.area_progress_bars(FR.area_progress(engine, Filters(), "zh"), text),
    ]
    for fig in figs:
        out = on_screen(fig, text, "短标题")
        assert out.layout.title.text.startswith("短标题")
        assert out.layout.yaxis.title.text != "人"  # the unit is in the title, not sideways on the axis
    lines = on_screen(figs[2], text)  # two provinces: the legend goes below the plot, never over the title
    assert (lines.layout.legend.yref, lines.layout.legend.y, lines.layout.legend.yanchor) == ("container", 0, "bottom")
    assert lines.layout.margin.b >= 48 + 22 * 2

"""The pure shapes behind the dashboard pages (metrics.views) and the URL <-> selection mapping."""

from __future__ import annotations

from metrics import Engine, Filters
from metrics import views as V
from metrics.tasks import task_table
from ui.sidebar import Selection, from_params, merge, to_params


def test_every_area_page_has_indicators_and_every_indicator_a_page(engine: Engine) -> None:
    pages = V.area_pages(engine.config)
    assert pages == ["employment", "social_security", "talent", "public_services"]
    on_pages = {i.id for p in pages for i in V.page_indicators(engine.config, p)}
    assert on_pages == {i.id for i in engine.config.indicators if i.area != "agreement"}


def test_flows_run_from_sender_to_receiver(engine: Engine) -> None:
    f = V.flow_frame(engine, "insurance_transfers", Filters(), "zh")
    x = engine.crosstab("insurance_transfers", "from_province", "province")
    assert f["value"].sum() == engine.value("insurance_transfers").value == x["value"].sum()
    assert set(zip(f["from_key"], f["to_key"])) == {("sichuan", "chongqing"), ("chongqing", "sichuan")}
    only_cq = V.flow_frame(engine, "insurance_transfers", Filters(province="chongqing"), "zh")
    assert set(only_cq["to_key"]) == {"chongqing"}
    assert V.flow_frame(engine, "cardholders", Filters(), "zh").empty


def test_area_progress_adds_up_to_the_agreement(engine: Engine) -> None:
    a = V.area_progress(engine, Filters(), "en")
    assert (a["completed"].sum(), a["total"].sum()) == (63, 97)
    assert V.area_progress(engine, Filters("2024-01", "2024-06"), "en")["total"].sum() == 0


def test_filter_tasks(engine: Engine) -> None:
    t = task_table(engine, "zh")
    assert len(V.filter_tasks(t)) == 97
    assert len(V.filter_tasks(t, overdue_only=True)) == int(t["overdue"].sum())
    both = V.filter_tasks(t, areas=["talent"], leads=["joint"])
    assert set(both["area_id"]) == {"talent"} and set(both["lead_party"]) == {"joint"}


def test_monthly_by_group_splits_by_province_only_when_declared(engine: Engine) -> None:
    m = V.monthly_by_group(engine, "cardholders", Filters("2023-01", "2023-03"), "en")
    assert set(m["group"]) == {"sichuan", "chongqing"} and len(m) == 6
    single = V.monthly_by_group(engine, "senior_startup_mentors", Filters("2023-01", "2023-03"), "en")
    assert set(single["group"]) == {"total"}


def test_definitions_cover_config(engine: Engine) -> None:
    d = V.indicator_definitions(engine, "en")
    assert list(d["indicator_id"]) == [i.id for i in engine.config.indicators]
    assert (d["as_of"] != "").all() and (d["datasets"] != "").all()
    c = V.dataset_contracts(engine, "zh")
    assert set(c["dataset"]) == set(engine.config.datasets)
    cols = V.dataset_columns(engine.config, "tasks", "en")
    assert "task_id" in set(cols["column"])


def test_month_options_span_data_and_agreement(engine: Engine) -> None:
    months = V.month_options(engine)
    assert months[0] == "2021-01" and months[-1] == "2025-12" and "2023-08" in months


def test_query_params_round_trip(engine: Engine) -> None:
    sel = Selection("2023-01", "2023-06", "sichuan", "chengdu", "en")
    assert from_params(engine, to_params(sel)) == sel
    assert from_params(engine, {}) == Selection("2021-01", "2023-08")
    assert from_params(engine, {"to": "2021-01"}) == Selection("2021-01", "2021-01")
    assert from_params(engine, {"from": "2025-06"}).end == "2025-12"  # crosses the default end


def test_merge_ignores_invalid_widget_values(engine: Engine) -> None:
    sel = Selection("2021-01", "2023-08", "sichuan", "chengdu")
    assert merge(engine, sel, "xx", ("2030-01", "2031-01"), "mars", 5) == sel
    moved = merge(engine, sel, "en", ("2023-06", "2023-01"), "chongqing", "chengdu")
    assert moved == Selection("2023-01", "2023-06", "chongqing", None, "en")


def test_on_screen_tidies_every_figure_kind(engine: Engine) -> None:
    from metrics import dashboard_figures as DF
    from metrics import figures as F
    from metrics.tasks import area_summary, burnup

    text = F.ChartText("标题", "人", lang="zh")
    flows = V.flow_frame(engine, "insurance_transfers", Filters(), "zh")
    monthly = V.monthly_by_group(engine, "cardholders", Filters("2023-01", "2023-03"), "zh")
    figs = [F.flow_sankey(flows, text), F.task_progress(63, 97), F.monthly_lines(monthly, text),
            F.bars(engine.series("cardholders", by="city"), text, horizontal=True),
            F.tasks_by_area(area_summary(engine, "zh")), F.burnup_chart(burnup(engine)),
            DF.area_progress_bars(V.area_progress(engine, Filters(), "zh"), text)]
    for fig in figs:
        out = DF.on_screen(fig, text, "短标题")
        assert out.layout.title.text.startswith("短标题")
        assert out.layout.yaxis.title.text != "人"  # the unit is in the title, not sideways on the axis
    lines = DF.on_screen(figs[2], text)
    assert lines.layout.margin.t >= 60 + 22 * 2

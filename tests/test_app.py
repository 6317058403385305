"""The dashboard in-process (Streamlit AppTest): every page renders, filters change numbers exactly as metrics does."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from metrics import Engine, Filters
from metrics.catalog import page_indicators
from metrics.columns import column_label
from metrics.comparisons import change_text
from metrics.formatting import format_number
from metrics.i18n import tr
from metrics.periods import month_str
from metrics.status import status_label
from metrics.targets import target_progress
from tests.support.charts import chart_elements
from tests.support.charts import config as chart_config
from tests.support.charts import spec as chart_spec
from tests.support.charts import specs as chart_specs
from ui.components import card_label
from ui.navigation import DATA_PAGES

APP = Path(__file__).resolve().parents[1] / "app.py"
PAGES = list(DATA_PAGES)
TIMEOUT = 120  # the first run builds the warehouse
CJK = re.compile(r"[\u3400-\u9fff\uff08\uff09\u3001\u3002\uff0c\uff1a\uff1b]")


def open_app(page: str = "overview", **params: str) -> AppTest:
    """The app, run once at "/" with query params, then switched to a page."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(params)
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics_by_label(at: AppTest) -> dict[str, str]:
    """Every st.metric on the page: label -> displayed value."""
    return {m.label: m.value for m in at.metric}


def _decode(node: object) -> object:
    # Plotly sends numeric arrays as base64 typed arrays: {"dtype": "f8", "bdata": "..."}.
    if isinstance(node, dict):
        if set(node) >= {"dtype", "bdata"}:
            return np.frombuffer(base64.b64decode(node["bdata"]), dtype=node["dtype"]).tolist()
        return {k: _decode(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_decode(v) for v in node]
    return node


def charts(at: AppTest) -> list[go.Figure]:
    """The plotly figures on the page, numeric arrays decoded."""
    return [go.Figure(_decode(spec), skip_invalid=True) for spec in chart_specs(at)]


def visible_text(at: AppTest) -> list[str]:
    """Text a person reads on the page (titles, captions, markdown, alerts, metric labels, widget labels)."""
    out = [
        e.value
        for kind in ("title", "subheader", "caption", "markdown", "info", "warning", "success")
        for e in getattr(at, kind)
    ]
    out += [m.label for m in at.metric] + [m.value for m in at.metric]
    out += [
        w.label
        for kind in ("selectbox", "multiselect", "select_slider", "toggle", "segmented_control")
        for w in getattr(at, kind)
    ]
    for fig in charts(at):
        out.append(fig.layout.title.text or "")
        out += [str(trace.name or "") for trace in fig.data]
    return out


def expected_card_values(engine: Engine, page_ids: list[str], filters: Filters, lang: str) -> dict[str, str]:
    """label -> value as the cards must show them, straight from metrics."""
    out = {}
    for ind in (engine.indicator(i) for i in page_ids):
        out[card_label(ind, lang)] = format_number(engine.value(ind.id, filters).value, lang, ind.format)
    return out


def headline_ids(engine: Engine) -> list[str]:
    """The Overview's card indicators (the task count is drawn as the progress figure instead)."""
    return [i.id for i in engine.config.headline_indicators() if i.area != "agreement"]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(page: str, lang: str) -> None:
    at = open_app(page, lang=lang)
    assert at.title[0].value == tr(f"page.{page}", lang)
    if page != "definitions":
        assert charts(at), "every data page draws charts"
        # Drawn by the chart element, but a sankey; each with the PNG download named after its chart.
        for el in chart_elements(at):
            kinds = {t.get("type") for t in chart_spec(el)["data"]}
            assert (el.type == "bidi_component") == (kinds != {"sankey"}), kinds
            assert chart_config(el)["displaylogo"] is False and chart_config(el)["toImageButtonOptions"]["filename"]
    if lang == "en" and page != "definitions":  # definitions quote the Chinese source on purpose
        leftovers = [t for t in visible_text(at) if CJK.search(t)]
        assert not leftovers, leftovers[:5]


def test_since_signing_shows_the_published_totals(engine: Engine) -> None:
    at = open_app(period="since-signing")
    shown = metrics_by_label(at)
    assert shown[card_label(engine.indicator("online_recruit_positions"), "zh")] == "141万"
    assert shown[card_label(engine.indicator("cardholders"), "zh")] == "1.25亿"
    donut = charts(at)[0]
    assert "<b>63</b>/97" in donut.layout.annotations[0].text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_first_screen_reads_like_an_official_report(engine: Engine, lang: str) -> None:
    # Without touching a filter: this year to date, every headline card with a 同比 and, where a target exists,
    # progress against 序时进度 and a status chip in words.
    at = open_app(lang=lang)
    ytd = Filters("2023-01", "2023-08")
    assert (at.session_state["selection"].start, at.session_state["selection"].end) == ("2023-01", "2023-08")
    cards = {m.label: m for m in at.metric}
    badges = [b.proto.body for b in at.get("badge")] if at.get("badge") else []
    texts = " ".join(visible_text(at))
    heading = f"{tr('ui.headline', lang)} · {tr('compare.yoy', lang)}"  # the grid says what the changes are
    assert heading in [h.value for h in at.subheader]
    for ind in (engine.indicator(i) for i in headline_ids(engine)):
        v = engine.value(ind.id, ytd)
        card = cards[card_label(ind, lang)]
        if v.yoy.reason is None:
            assert card.delta == change_text(v.yoy, lang, ind.format).replace("−", "-", 1), ind.id
        else:
            assert change_text(v.yoy, lang, ind.format) in texts, ind.id  # said in words, not a dash
    statuses = [
        p.status
        for i in engine.config.headline_indicators()
        if i.id != "agreement_tasks_completed" and (p := target_progress(engine, i, ytd)) is not None
    ]
    assert len(statuses) >= 5
    shown = " ".join(str(b) for b in badges) + texts
    assert all(status_label(x, lang) in shown for x in set(statuses))


@pytest.mark.parametrize("province", ["sichuan", "chongqing"])
def test_province_changes_numbers_exactly(engine: Engine, province: str) -> None:
    at = open_app()
    at.segmented_control(key="w_province").set_value(province).run()
    assert not at.exception
    want = expected_card_values(engine, headline_ids(engine), Filters("2023-01", "2023-08", province), "zh")
    shown = metrics_by_label(at)
    assert {k: shown[k] for k in want} == want
    assert at.query_params["province"] == province


def test_period_changes_numbers_and_deltas_exactly(engine: Engine) -> None:
    at = open_app(lang="en")
    at.select_slider(key="w_period").set_value(("2023-01", "2023-06")).run()
    assert not at.exception
    f = Filters("2023-01", "2023-06")
    want = expected_card_values(engine, headline_ids(engine), f, "en")
    shown = metrics_by_label(at)
    assert {k: shown[k] for k in want} == want
    card = next(m for m in at.metric if m.label == card_label(engine.indicator("insurance_transfers"), "en"))
    v = engine.value("insurance_transfers", f)
    assert v.yoy.delta is not None and card.delta.startswith("+" if v.yoy.delta >= 0 else "-")
    assert format_number(abs(v.yoy.delta), "en") in card.delta  # 同比, the default comparison
    assert (at.query_params["from"], at.query_params["to"]) == ("2023-01", "2023-06")
    at.segmented_control(key="w_compare").set_value("previous").run()  # 环比 stays one click away
    card = next(m for m in at.metric if m.label == card_label(engine.indicator("insurance_transfers"), "en"))
    assert v.prev.delta is not None and format_number(abs(v.prev.delta), "en") in card.delta
    assert at.query_params["compare"] == "previous"


def test_area_page_scopes_and_no_data(engine: Engine) -> None:
    at = open_app("talent", province="sichuan")
    shown = metrics_by_label(at)
    f = Filters("2023-01", "2023-08", "sichuan")
    ids = [i.id for i in page_indicators(engine.config, "talent")]
    assert shown == expected_card_values(engine, ids, f, "zh")
    assert shown[card_label(engine.indicator("talent_introduced_cq"), "zh")] == "—"  # Chongqing only
    captions = [c.value for c in at.caption]
    assert tr("scope.not_split_by_province", "zh") in captions
    assert tr("ui.scope_no_data", "zh") in captions


def test_comparison_chart_matches_metrics(engine: Engine) -> None:
    at = open_app("public_services", lang="en")
    bars = next(f for f in charts(at) if f.layout.title.text.startswith("Sichuan vs Chongqing"))
    by_province = engine.series("cross_province_transactions", Filters("2023-01", "2023-08"), by="province", lang="en")
    assert dict(zip(bars.data[0].x, bars.data[0].y, strict=True)) == dict(
        zip(by_province["label"], by_province["value"], strict=True)
    )
    colours = {p.color for p in engine.config.provinces.values()}
    assert set(bars.data[0].marker.color) == colours
    assert any(tr.type == "sankey" for f in charts(at) for tr in f.data), "flows have a direction chart"


def test_city_filter(engine: Engine) -> None:
    at = open_app("public_services", province="sichuan", city="chengdu")
    label = card_label(engine.indicator("cardholders"), "zh")
    f = Filters("2023-01", "2023-08", "sichuan", "chengdu")
    assert metrics_by_label(at)[label] == format_number(engine.value("cardholders", f).value, "zh")
    assert at.selectbox(key="w_city").value == "chengdu"
    assert tr("scope.not_split_by_city", "zh", province="四川") in [
        c.value for c in at.caption
    ]  # e.g. transactions have no city split


def task_rows(at: AppTest) -> pd.DataFrame:
    """The task table (the one with a status column; the page also has the reporting tables)."""
    return next(d.value for d in at.dataframe if "Status" in d.value.columns)


def test_tasks_filters(engine: Engine) -> None:
    at = open_app("tasks", lang="en")
    table = task_rows(at)
    assert len(table) == 97
    at.multiselect(key="tasks-area").set_value(["talent"]).run()
    assert len(task_rows(at)) == 20
    assert set(task_rows(at)["Area"]) == {"Talent"}
    at.multiselect(key="tasks-area").set_value([]).run()
    at.toggle(key="tasks-overdue").set_value(True).run()
    overdue = task_rows(at)
    assert len(overdue) == 7 and set(overdue["Status"]) == {"Overdue"}
    at.toggle(key="tasks-overdue").set_value(False).run()
    at.multiselect(key="tasks-lead").set_value(["ministry"]).run()
    at.multiselect(key="tasks-status").set_value(["completed"]).run()
    rows = task_rows(at)
    tasks = engine.table("tasks")
    assert len(rows) > 0 and set(rows["Lead party"]) == {"Ministry"} and set(rows["Status"]) == {"Completed"}
    assert len(rows) <= int((tasks["lead_party"] == "ministry").sum())


def test_tasks_filters_can_match_nothing() -> None:
    at = open_app("tasks")
    assert {m.proto.placeholder for m in at.multiselect} == {"全部"}
    at.multiselect(key="tasks-status").set_value(["not_started"]).run()
    at.toggle(key="tasks-overdue").set_value(True).run()
    assert not at.exception
    assert any(tr("ui.no_tasks", "zh") in i.value for i in at.info)


def test_no_month_after_the_data_can_be_chosen(engine: Engine) -> None:
    at = open_app(**{"from": "2024-01", "to": "2024-06"})  # a crafted link: falls back to this year to date
    assert (at.session_state["selection"].start, at.session_state["selection"].end) == ("2023-01", "2023-08")
    assert at.select_slider(key="w_period").options[-1] == month_str(engine.last_month)


def test_filters_persist_across_pages() -> None:
    at = open_app(lang="en")
    at.segmented_control(key="w_province").set_value("chongqing").run()
    at.select_slider(key="w_period").set_value(("2022-01", "2022-12")).run()
    for page in ("tasks", "employment", "definitions", "overview"):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception
        assert at.segmented_control(key="w_province").value == "chongqing"
        assert at.select_slider(key="w_period").value == ("2022-01", "2022-12")
        assert at.segmented_control(key="w_lang").value == "en"
        assert at.title[0].value == tr(f"page.{page}", "en")


def test_language_toggle_switches_text() -> None:
    at = open_app()
    assert at.title[0].value == "总览"
    at.segmented_control(key="w_lang").set_value("en").run()
    assert at.title[0].value == "Overview"
    assert at.query_params["lang"] == "en"


@pytest.mark.parametrize(
    "params",
    [
        {"lang": "fr", "from": "2019-13", "to": "soon", "province": "mars", "city": "nowhere"},
        {"from": "2023-06", "to": "2023-01"},
        {"city": "chengdu", "province": "chongqing"},
        {"lang": ["en", "zh"], "from": "", "to": "2099-01"},
    ],
)
def test_invalid_query_params_fall_back(engine: Engine, params: dict) -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(params)
    at.run()
    assert not at.exception
    sel = at.session_state["selection"]
    assert (sel.start, sel.end, sel.preset) == ("2023-01", "2023-08", "ytd")  # the default: this year to date
    assert sel.city is None


def test_valid_query_params_are_applied(engine: Engine) -> None:
    at = open_app(lang="en", **{"from": "2023-01", "to": "2023-06"}, province="chongqing")
    sel = at.session_state["selection"]
    assert (sel.lang, sel.start, sel.end, sel.province) == ("en", "2023-01", "2023-06", "chongqing")
    want = expected_card_values(engine, headline_ids(engine), Filters("2023-01", "2023-06", "chongqing"), "en")
    shown = metrics_by_label(at)
    assert {k: shown[k] for k in want} == want


def test_definitions_are_generated_from_config(engine: Engine) -> None:
    at = open_app("definitions", lang="en")
    table = at.dataframe[0].value
    assert list(table[column_label(engine.config, "indicator_id", "en")]) == [i.id for i in engine.config.indicators]
    # Closed expanders and tabs draw nothing until opened (they rerun the page when opened).
    assert len(at.dataframe) == 1 and not at.code
    at.session_state["def-cardholders"] = True
    at.run()
    assert [c.value.strip() for c in at.code] == [engine.indicator("cardholders").sql_text().strip()]
    assert "from card_holders" in at.code[0].value
    at.session_state["def-tab"] = tr("ui.def_datasets", "en")
    at.run()
    assert not at.code and len(at.dataframe) == 1
    datasets = at.dataframe[0].value
    assert set(datasets[column_label(engine.config, "dataset", "en")]) == set(engine.config.datasets)
    at.session_state["def-ds-card_holders"] = True
    at.run()
    assert len(at.dataframe) == 2 and not at.exception


def popover_keys(at: AppTest) -> list[str]:
    """The keys of the download popovers on the page (they track whether they are open)."""
    return sorted(k for k in at.session_state if str(k).endswith("-pop"))


def test_every_table_and_chart_has_downloads() -> None:
    at = open_app("social_security")
    n_charts, n_tables = len(chart_elements(at)), len(at.dataframe)
    keys = popover_keys(at)
    assert len(keys) == n_charts + n_tables
    # Closed popovers draw nothing: their buttons would cost every rerun for something nobody sees yet.
    assert not at.download_button and not any(at.session_state[k] for k in keys)
    for k in keys:
        at.session_state[k] = True
    at.run()
    assert not at.exception
    labels = [b.label for b in at.download_button]
    assert labels.count("CSV") == n_charts + n_tables
    assert labels.count("PNG") in (0, n_charts)  # PNG/SVG only where Chromium is installed
    assert isinstance(at.dataframe[0].value, pd.DataFrame)


def test_opening_one_popover_draws_only_its_buttons() -> None:
    at = open_app("employment", lang="en")
    key = next(k for k in popover_keys(at) if k.endswith("-monthly-pop"))
    at.session_state[key] = True
    at.run()
    assert not at.exception
    labels = [b.label for b in at.download_button]
    assert labels[:2] == ["CSV", "Excel"] and labels.count("CSV") == 1


def test_overview_export_menu_opens_with_bulk_deck_and_brief() -> None:
    at = open_app("overview", lang="en")
    assert not at.download_button and not at.button
    at.session_state["overview-export"] = True
    at.run()
    assert not at.exception
    labels = [b.label for b in at.download_button]
    assert labels == ["Download all indicator values · CSV", "Download all indicator values · Excel"]
    assert [b.label for b in at.button] == ["Build the meeting pack (PPTX)", "Build the work brief (Word)"]


def test_the_filter_bar_draws_its_widgets_once_opened_and_a_choice_closes_it() -> None:
    at = open_app(lang="en")
    keys = {w.key for w in at.get("button_group")}
    assert "w_province" in keys and "b_province" not in keys  # closed: only the sidebar's set is drawn
    at.session_state["filter-bar"] = True
    at.run()
    assert at.segmented_control(key="b_province").value == "all"
    at.segmented_control(key="b_province").set_value("chongqing").run()
    assert not at.exception
    assert at.session_state["selection"].province == "chongqing"
    assert at.session_state["filter-bar"] is False
    assert "b_province" not in {w.key for w in at.get("button_group")}
    assert at.segmented_control(key="w_province").value == "chongqing"  # the sidebar follows

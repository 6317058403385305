"""What every number says about itself, defined once (metrics.provenance, metrics.targets): the as-of date,
the place it covers and progress against its target agree on every surface."""

from __future__ import annotations

import json
from datetime import date

import pytest

from metrics import Engine, Filters
from metrics.charts import monthly_chart
from metrics.cli import main
from metrics.exports.deck import build_deck
from metrics.overview import card
from metrics.provenance import AsOf, data_as_of, indicator_as_of, scope_of
from metrics.tables import series_frame, values_frame
from metrics.targets import target_progress
from ui.components import card_help


def test_monthly_data_is_as_of_a_month_and_the_version_as_of_a_day(engine: Engine) -> None:
    assert AsOf(date(2023, 8, 1), monthly=True).label() == "2023-08"
    assert indicator_as_of(engine, engine.indicator("cardholders")).label() == "2023-08"
    assert indicator_as_of(engine, engine.indicator("agreement_tasks_completed")).label() == "2023-08-29"
    assert data_as_of(engine).label() == "2023-08-29"


def test_every_surface_states_an_indicators_as_of_the_same_way(engine: Engine) -> None:
    # Cards used to say 2023-08-01 while files and slides said 2023-08-29 for the same indicator.
    ind, f = engine.indicator("cardholders"), Filters("2023-01", "2023-08")
    want = indicator_as_of(engine, ind).label()
    assert want == "2023-08"
    assert f"数据截至:{want}" in card_help(engine, card(engine, ind, f), "zh")  # the card's tooltip
    assert monthly_chart(engine, ind, f, "en").text.as_of == want  # charts on screen, images, slides
    assert set(values_frame(engine, f, "en", ["cardholders"])["as_of"]) == {want}  # CLI, CSV, XLSX
    assert set(series_frame(engine, "cardholders", f, "month", "en")["as_of"]) == {want}
    assert "2023-08-01" not in card_help(engine, card(engine, ind, f), "en")


@pytest.mark.parametrize(
    ("indicator_id", "filters", "province", "city", "label"),
    [
        ("cardholders", Filters(province="sichuan", city="chengdu"), "sichuan", "chengdu", "成都市"),
        ("insurance_transfers", Filters(province="sichuan", city="chengdu"), "sichuan", None, "四川(不分城市)"),
        ("cross_province_service_items", Filters(province="sichuan"), None, None, "不分省市(两地合计)"),
        ("talent_introduced_cq", Filters(), "chongqing", None, "重庆"),  # the data covers Chongqing only
        ("cardholders", Filters(), None, None, "川渝两地"),
    ],
)
def test_scope_says_which_place_a_value_covers(
    engine: Engine, indicator_id: str, filters: Filters, province: str | None, city: str | None, label: str
) -> None:
    scope = scope_of(engine, engine.indicator(indicator_id), filters, "zh")
    assert (scope.province, scope.city, scope.label) == (province, city, label)


def test_a_cumulative_target_counts_from_its_start_to_the_periods_end(mini: Engine) -> None:
    # positions: 22 in 2023-01, 7 in 2023-02; target 50 counted since 2023-01.
    only_february = Filters("2023-02", "2023-02")
    assert mini.value("positions", only_february).value == 7
    progress = target_progress(mini, mini.indicator("positions"), only_february)
    assert progress is not None and progress.actual == 29 and progress.share == pytest.approx(0.58)
    assert target_progress(mini, mini.indicator("holders"), only_february) is None  # no target declared


def test_target_progress_of_the_researchers_programme(engine: Engine) -> None:
    # The case: 2023-01..06 placed 216, but the cumulative target counts all 392 placed by June.
    f = Filters("2023-01", "2023-06")
    assert engine.value("researchers_placed_cq", f).value == 216
    progress = target_progress(engine, engine.indicator("researchers_placed_cq"), f)
    assert progress is not None and progress.actual == 392 and progress.share == pytest.approx(0.392)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_rows_say_which_place_they_cover(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "values", "--city", "chengdu", "--format", "json")
    assert code == 0
    rows = {r["indicator_id"]: r for r in json.loads(out)}
    assert (rows["cardholders"]["city"], rows["cardholders"]["scope"]) == ("chengdu", "成都市")
    assert (
        rows["insurance_transfers"]["province"],
        rows["insurance_transfers"]["city"],
        rows["insurance_transfers"]["scope"],
    ) == ("sichuan", None, "四川(不分城市)")
    assert rows["agreement_tasks_total"]["scope"] == "不分省市(两地合计)"


def test_export_all_rows_say_which_place_they_cover(capsys: pytest.CaptureFixture[str]) -> None:
    import io

    import pandas as pd

    code, out, _ = run(capsys, "export", "--all", "--city", "chengdu", "--header", "ids", "-o", "-")
    assert code == 0
    df = pd.read_csv(io.StringIO(out.lstrip("\ufeff")))
    assert {"city", "scope"} <= set(df.columns)
    assert df.set_index("indicator_id").loc["cardholders", "city"] == "chengdu"
    assert df.set_index("indicator_id").loc["insurance_transfers", "scope"] == "四川(不分城市)"


@pytest.mark.parametrize(
    "argv",
    [
        ["values", "--city", "nosuchcity"],
        ["values", "--province", "chongqing", "--city", "chengdu"],
        ["series", "cardholders", "--city", "nosuchcity"],
        ["export", "cardholders", "--province", "chongqing", "--city", "chengdu", "-o", "-"],
    ],
)
def test_filters_the_dashboard_cannot_produce_are_refused(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1 and "city" in err


def test_the_deck_states_the_scope_the_description_states(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from pptx import Presentation

    from metrics.exports import images

    class NoChromium:
        def render(self, *a: object, **k: object) -> bytes:
            raise images.ImageExportUnavailable("no Chromium")

    monkeypatch.setattr(images, "renderer", lambda: NoChromium())
    prs = Presentation(io.BytesIO(build_deck(engine, Filters("2023-01", "2023-08"), "zh")))
    name = engine.indicator("talent_introduced_cq").name_zh
    slide = next(s for s in prs.slides if s.shapes.title is not None and s.shapes.title.text == name)
    text = "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert "范围: 重庆" in text and "川渝两地" not in text

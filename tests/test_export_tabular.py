"""CSV and XLSX exports: opened and read back, values equal the engine, formulas neutralised, metadata present."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from metrics import Engine, Filters
from metrics.exports.bulk import all_series, all_values
from metrics.exports.names import export_name, slug
from metrics.exports.tabular import csv_bytes, xlsx_bytes
from metrics.tables import series_frame

F = Filters(start="2023-01", end="2023-06", province="chongqing")
INJECTIONS = {"mianyang": '=HYPERLINK("http://evil.example","x")', "jiangbei": "@SUM(1+1)"}


def read_csv(data: bytes, **kw: object) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", **kw)


def test_csv_has_bom_localised_headers_and_engine_values(engine: Engine) -> None:
    data = csv_bytes(engine, all_values(engine, F, "zh"), "zh")
    assert data.startswith(b"\xef\xbb\xbf")
    df = read_csv(data)
    assert list(df.columns[:5]) == ["指标代码", "指标", "方面", "汇总方式", "数值"]
    got = df.set_index("指标代码")["数值"]
    for ind in engine.config.indicators:
        expected = engine.value(ind.id, F).value
        assert (pd.isna(got[ind.id]) and expected is None) or got[ind.id] == pytest.approx(expected), ind.id
    # Whole numbers stay whole in the text, as analysts expect.
    assert ",97," in data.decode("utf-8-sig").splitlines()[1]


def test_csv_id_row_and_id_headers(engine: Engine) -> None:
    df = series_frame(engine, "cardholders", F, by="city", lang="en")
    with_row = read_csv(csv_bytes(engine, df, "en", "id-row"), dtype=str)
    assert list(with_row.columns[:4]) == ["Indicator id", "Breakdown", "Key", "Group"]
    assert list(with_row.iloc[0][:4]) == ["indicator_id", "by", "key", "label"]
    ids = read_csv(csv_bytes(engine, df, "en", "ids"))
    assert list(ids.columns) == list(df.columns)
    assert ids["value"].sum() == engine.value("cardholders", F).value


@pytest.fixture()
def planted(mini_copy: Path, tmp_path: Path) -> Engine:
    """The mini project with formula-injection strings planted in the city names."""
    path = mini_copy / "data" / "cities.csv"
    cities = pd.read_csv(path, dtype=str)
    for city, text in INJECTIONS.items():
        cities.loc[cities["city_id"] == city, ["name_zh", "name_en"]] = text
    cities.to_csv(path, index=False)
    return Engine(config_path=mini_copy / "config.yaml", cache_dir=tmp_path / "cache")


def test_injection_neutralised_in_csv(planted: Engine) -> None:
    df = series_frame(planted, "positions", Filters(), by="city", lang="en")
    text = csv_bytes(planted, df, "en").decode("utf-8-sig")
    for evil in INJECTIONS.values():
        assert "'" + evil.replace('"', '""') in text
    back = read_csv(csv_bytes(planted, df, "en"))
    assert set(back["Group"]) >= {"'" + v for v in INJECTIONS.values()}
    value = f"Value ({planted.indicator('positions').unit_en})"  # one indicator: the header says its unit
    assert pd.api.types.is_numeric_dtype(back[value])  # numbers stay numeric
    assert back[value].sum() == planted.value("positions").value


def test_injection_is_text_in_xlsx(planted: Engine) -> None:
    df = series_frame(planted, "positions", Filters(), by="city", lang="en")
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(planted, df, title="t", filters=Filters(), lang="en")))
    ws = wb["Data"]
    cells = [c for c in ws["D"] if c.value in INJECTIONS.values()]
    assert len(cells) == 2
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_xlsx_values_number_formats_and_metadata(engine: Engine) -> None:
    generated = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    data = xlsx_bytes(
        engine,
        all_values(engine, F, "en"),
        title="All indicators",
        filters=F,
        lang="en",
        extra_sheets={"Monthly": all_series(engine, F, "month", "en")},
        generated=generated,
    )
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Data", "Monthly", "About"]
    ws = wb["Data"]
    header = [c.value for c in ws[1]]
    col = {h: i for i, h in enumerate(header)}
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    for ind in engine.config.indicators:
        cell = rows[ind.id][col["Value"]]
        expected = engine.value(ind.id, F).value
        assert (cell.value is None and expected is None) or cell.value == pytest.approx(expected), ind.id
    assert rows["online_recruit_positions"][col["Value"]].number_format == "#,##0"
    assert rows["pension_transfer_time_cut"][col["Value"]].number_format == "0.0%"
    assert rows["cardholders"][col["Change year on year (%)"]].number_format == "#,##0.00##"  # percentages, 3.69
    assert ws.freeze_panes == "A2"
    monthly = pd.DataFrame(wb["Monthly"].values)
    assert len(monthly) - 1 == len(all_series(engine, F, "month", "en"))

    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True) if r[0]}
    assert about["Data as of"] == engine.as_of.isoformat()
    assert about["Period"] == "2023-01 – 2023-06"
    assert about["Province"] == "Chongqing"
    assert about["Generated at"] == "2024-01-02 11:04 (Asia/Shanghai)"  # local time, the project's zone
    assert about["Sample data"].startswith("Sample data:")
    defs = list(wb["About"].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(defs) if r[0] == "Indicator id")
    table = pd.DataFrame(defs[start + 1 :], columns=defs[start]).set_index("Indicator id")
    assert len(table) == len(engine.config.indicators)
    assert table.loc["cardholders", "Unit"] == "people"
    assert table.loc["cardholders", "Quote (original Chinese)"].startswith("川渝两地社会保障卡持卡人数")
    assert "news report" in table.loc["cardholders", "Source"]
    assert table.loc["researchers_placed_cq", "Target"] == 1000


def test_xlsx_id_row_in_chinese(engine: Engine) -> None:
    df = series_frame(engine, "cardholders", F, by="month", lang="zh")
    wb = openpyxl.load_workbook(
        io.BytesIO(
            xlsx_bytes(
                engine, df, title="持卡人数", filters=F, lang="zh", indicator_ids=["cardholders"], header="id-row"
            )
        )
    )
    ws = wb["数据"]
    assert [c.value for c in ws[1]][:4] == ["指标代码", "分组维度", "分组代码", "分组"]
    assert [c.value for c in ws[2]][:4] == ["indicator_id", "by", "key", "label"]
    assert ws.cell(3, 5).value == engine.series("cardholders", F)["value"].iloc[0]
    assert any(r[0] == "cardholders" for r in wb["说明"].iter_rows(values_only=True))


def test_file_names_carry_filters_and_as_of(engine: Engine) -> None:
    assert (
        export_name(engine, "持卡人数 by/city", F, "csv", "zh")
        == "持卡人数-by-city_2023-01_2023-06_chongqing_zh_asof-2023-08-29.csv"
    )
    assert export_name(engine, "x", Filters(), "xlsx") == "x_2021-01_2023-08_all_asof-2023-08-29.xlsx"
    assert slug("../../etc/passwd") == "etc-passwd"


def test_all_series_stacks_every_indicator(engine: Engine) -> None:
    df = all_series(engine, F, "province", "en")
    assert set(df["indicator_id"]) == {i.id for i in engine.config.indicators if "province" in i.dimensions}
    sub = df[df["indicator_id"] == "cardholders"]
    assert sub["value"].sum() == engine.value("cardholders", F).value


def test_dates_with_a_missing_one_export_as_dates_and_blanks(engine: Engine) -> None:
    # The dashboard's task table holds real datetime64 dates; a task not yet completed has NaT.
    df = pd.DataFrame({"task_id": ["T001", "T015"], "completion_date": pd.to_datetime(["2022-10-02", None])})
    lines = csv_bytes(engine, df, "en", header="ids").decode("utf-8-sig").splitlines()
    assert lines[1:] == ["T001,2022-10-02", "T015,"]
    wb = openpyxl.load_workbook(
        io.BytesIO(xlsx_bytes(engine, df, title="tasks", filters=Filters(), lang="en", header="ids"))
    )
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert rows[1:3] == [("T001", datetime(2022, 10, 2)), ("T015", None)]


def test_timestamps_with_a_time_keep_it(engine: Engine) -> None:
    df = pd.DataFrame({"id": ["a", "b"], "at": pd.to_datetime(["2023-08-29 14:30:00", None])})
    lines = csv_bytes(engine, df, "en", header="ids").decode("utf-8-sig").splitlines()
    assert lines[1:] == ["a,2023-08-29 14:30:00", "b,"]

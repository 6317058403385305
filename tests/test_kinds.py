"""Each aggregation kind against hand-computed values on tests/fixtures/mini."""

from __future__ import annotations

import pytest

from metrics import Engine, Filters

ALL = Filters()
SC = Filters(province="sichuan")
CQ = Filters(province="chongqing")
JAN_FEB = Filters(start="2023-01", end="2023-02")
MAR_APR = Filters(start="2023-03", end="2023-04")
EMPTY = Filters(start="2022-10", end="2022-12")


@pytest.mark.parametrize(
    "filters, expected",
    [
        (ALL, 37),
        (SC, 21),
        (CQ, 16),
        (JAN_FEB, 29),
        (MAR_APR, 8),
        (Filters(city="chengdu"), 16),
        (Filters(start="2023-02", end="2023-02", province="chongqing"), 3),
    ],
)
def test_flow_sums_over_the_period(mini: Engine, filters: Filters, expected: float) -> None:
    assert mini.value("positions", filters).value == expected


def test_flow_previous_period_has_equal_length(mini: Engine) -> None:
    v = mini.value("positions", MAR_APR)
    assert (v.value, v.prev.base, v.prev.delta) == (8, 29, -21)
    assert str(v.prev.period.start) == "2023-01-01" and str(v.prev.period.end) == "2023-02-01"
    assert v.prev.delta_pct == pytest.approx(-21 / 29)


@pytest.mark.parametrize("filters, expected", [(ALL, 4), (SC, 2), (CQ, 3), (JAN_FEB, 3), (MAR_APR, 2)])
def test_distinct_count_is_not_a_sum_of_months(mini: Engine, filters: Filters, expected: float) -> None:
    assert mini.value("enterprises", filters).value == expected


def test_distinct_monthly_series_differs_from_total(mini: Engine) -> None:
    s = mini.series("enterprises", ALL)
    assert dict(zip(s["key"], s["value"], strict=True)) == {"2023-01": 3, "2023-02": 1, "2023-03": 1, "2023-04": 1}
    assert s["value"].sum() == 6 and mini.value("enterprises").value == 4


@pytest.mark.parametrize(
    "filters, expected",
    [
        (ALL, 195),
        (JAN_FEB, 165),
        (Filters(start="2023-01", end="2023-03", province="sichuan"), 120),
        (Filters(end="2023-01"), 150),
        (Filters(city="yuzhong"), 65),
    ],
)
def test_stock_takes_the_latest_month_never_a_sum(mini: Engine, filters: Filters, expected: float) -> None:
    assert mini.value("holders", filters).value == expected


def test_stock_series_and_breakdown(mini: Engine) -> None:
    s = mini.series("holders", ALL)
    assert list(s["value"]) == [150, 165, 180, 195]
    b = mini.series("holders", JAN_FEB, by="city", lang="en")
    assert dict(zip(b["label"], b["value"], strict=True)) == {"Chengdu": 110, "Yuzhong": 55}


def test_stock_previous_period(mini: Engine) -> None:
    v = mini.value("holders", MAR_APR)
    assert (v.value, v.prev.base) == (195, 165)


@pytest.mark.parametrize(
    "filters, expected",
    [
        (ALL, 255 / 350),
        (SC, 230 / 300),
        (CQ, 25 / 50),
        (Filters(end="2023-01"), 95 / 150),
    ],
)
def test_ratio_is_a_ratio_of_sums(mini: Engine, filters: Filters, expected: float) -> None:
    assert mini.value("time_cut", filters).value == pytest.approx(expected)


def test_ratio_breakdown_by_province(mini: Engine) -> None:
    b = mini.series("time_cut", ALL, by="province")
    assert dict(zip(b["key"], b["value"], strict=True)) == pytest.approx({"sichuan": 230 / 300, "chongqing": 0.5})


@pytest.mark.parametrize("indicator", ["positions", "enterprises", "holders", "time_cut"])
def test_empty_period_gives_no_data_not_a_crash(mini: Engine, indicator: str) -> None:
    v = mini.value(indicator, EMPTY)
    assert v.value is None and not v.has_data and v.yoy.delta is None and v.yoy.reason == "no_value"
    assert mini.series(indicator, EMPTY).empty


def test_flow_breakdown_by_city_with_labels(mini: Engine) -> None:
    b = mini.series("positions", ALL, by="city", lang="zh")
    assert list(zip(b["label"], b["value"], strict=True)) == [
        ("成都市", 16),
        ("渝中区", 10),
        ("江北区", 6),
        ("绵阳市", 5),
    ]


def test_default_period_is_the_whole_calendar(mini: Engine) -> None:
    p = mini.period(ALL)
    assert (str(p.start), str(p.end)) == ("2022-10-01", "2023-04-01")
    assert str(mini.as_of) == "2023-04-01"


def test_crosstab_month_by_province(mini: Engine) -> None:
    x = mini.crosstab("positions", "month", "province")
    got = {(r.key1, r.key2): r.value for r in x.itertuples()}
    assert got == {
        ("2023-01", "sichuan"): 15,
        ("2023-01", "chongqing"): 7,
        ("2023-02", "sichuan"): 4,
        ("2023-02", "chongqing"): 3,
        ("2023-03", "chongqing"): 6,
        ("2023-04", "sichuan"): 2,
    }


def test_crosstab_stock_takes_latest_month(mini: Engine) -> None:
    x = mini.crosstab("holders", "province", "city", JAN_FEB, lang="en")
    assert set(zip(x["label2"], x["value"], strict=True)) == {("Chengdu", 110), ("Yuzhong", 55)}

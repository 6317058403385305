"""Golden 同比, 环比, 累计, coverage, 序时进度 and status for every kind of indicator, on a hand-written
two-year fixture (tests/fixtures/yoy). Every expected value below is worked out by hand from its CSVs."""

from __future__ import annotations

from pathlib import Path

import pytest

from metrics import Engine, FilterError, Filters
from metrics.comparisons import change_text
from metrics.config import StatusRule
from metrics.status import pace_status, worst
from metrics.targets import target_progress, time_elapsed

YOY = Path(__file__).resolve().parent / "fixtures" / "yoy"
JAN_FEB_2023 = Filters("2023-01", "2023-02")


@pytest.fixture(scope="module")
def yoy(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return Engine(config_path=YOY / "config.yaml", cache_dir=tmp_path_factory.mktemp("yoy-cache"))


def test_flow(yoy: Engine) -> None:
    v = yoy.value("flows", JAN_FEB_2023)
    assert v.value == 10  # 6 + 4
    assert (v.yoy.base, v.yoy.delta) == (8, 2)  # 2022-01..02: 5 + 3
    assert v.yoy.delta_pct == pytest.approx(0.25)
    assert v.prev.base is None and v.prev.reason == "no_base"  # 2022-11..12 has no rows
    assert v.cumulative == 22  # 2022-01..2023-02: 5 + 3 + 4 + 6 + 4
    assert change_text(v.yoy, "zh") == "+2 (+25.0%)"
    assert change_text(v.prev, "zh") == "上期无数据" and change_text(v.prev, "en") == "no data for the previous period"


def test_stock_compares_points_in_time(yoy: Engine) -> None:
    v = yoy.value("levels", JAN_FEB_2023)
    assert v.value == 29  # 2023-02: 21 + 8, never a sum over months
    assert (v.yoy.base, v.yoy.delta) == (17, 12)  # 2022-02: 12 + 5
    assert v.prev.base is None  # nothing reported in 2022-11..12: 上期无数据
    assert v.cumulative == 29  # a stock's 累计 is its value at the period's end


def test_distinct_count_recounts_each_window(yoy: Engine) -> None:
    v = yoy.value("distinct", JAN_FEB_2023)
    assert v.value == 2  # A, C
    assert v.yoy.base == 2  # A (twice), B: two entities, not three rows
    assert v.cumulative == 3  # A, B, C since 2022-01
    assert yoy.value("distinct", Filters("2023-01", "2023-02", province="sichuan")).yoy.base == 2  # A, B


def test_ratio_is_a_ratio_of_sums_in_every_window(yoy: Engine) -> None:
    v = yoy.value("share", JAN_FEB_2023)
    assert v.value == pytest.approx(4 / 6)  # (3 + 1) / (4 + 2)
    assert v.yoy.base == pytest.approx(3 / 8)  # (1 + 2) / (4 + 4)
    assert v.cumulative == pytest.approx(7 / 14)
    assert change_text(v.yoy, "en", "percent") == "+29.2 pp"


def test_a_base_before_the_data_is_not_like_for_like(yoy: Engine) -> None:
    v = yoy.value("flows", Filters("2022-01", "2022-02"))
    assert v.yoy.reason == "partial_base" and v.yoy.delta is None
    assert change_text(v.yoy, "zh") == "去年同期数据不全"
    assert yoy.value("levels", Filters("2022-01", "2022-02")).yoy.reason == "partial_base"


def test_a_period_past_the_data_is_clipped_and_compared_month_for_month(yoy: Engine) -> None:
    v = yoy.value("flows", Filters("2023-02", "2023-12"))
    assert (str(v.period.start), str(v.period.end), str(v.requested.end)) == ("2023-02-01", "2023-03-01", "2023-12-01")
    assert v.clipped and v.value == 5  # 4 + 1
    assert (str(v.yoy.period.start), str(v.yoy.period.end)) == ("2022-02-01", "2022-03-01")
    assert v.yoy.base == 7  # 3 + 4: the same two months, not twelve
    with pytest.raises(FilterError, match="no data after 2023-03"):
        yoy.value("flows", Filters("2024-01", "2024-06"))


def test_cumulative_target_against_time_elapsed(yoy: Engine) -> None:
    p = target_progress(yoy, yoy.indicator("flows"), JAN_FEB_2023)
    assert p is not None and p.actual == 22 and p.share == pytest.approx(0.5)
    assert p.elapsed == pytest.approx(14 / 24)  # 2022-01..2023-02 of 2022-01..2023-12
    assert p.gap_points == pytest.approx(-25 / 3)
    assert p.status == "amber"  # 8.3 points behind, within 10


def test_annual_target_of_a_stock(yoy: Engine) -> None:
    p = target_progress(yoy, yoy.indicator("levels"), JAN_FEB_2023)
    assert p is not None and p.actual == 29 and p.share == pytest.approx(29 / 30)
    assert p.elapsed == pytest.approx(2 / 12) and p.status == "green"


@pytest.mark.parametrize(
    ("progress", "elapsed", "expected"),
    [
        (0.60, 0.60, "green"),
        (0.70, 0.60, "green"),
        (0.55, 0.60, "amber"),
        (0.50, 0.60, "amber"),
        (0.49, 0.60, "red"),
        (None, 0.60, "none"),
    ],
)
def test_the_status_method(progress: float | None, elapsed: float, expected: str) -> None:
    assert pace_status(progress, elapsed, StatusRule(amber_points=10)) == expected


def test_worst_status_and_time_elapsed() -> None:
    from datetime import date

    assert worst("green", "amber") == "amber" and worst("none", "red", "green") == "red" and worst() == "none"
    assert time_elapsed(date(2023, 1, 1), date(2023, 12, 1), date(2023, 8, 1)) == pytest.approx(8 / 12)
    assert time_elapsed(date(2023, 1, 1), date(2023, 12, 1), date(2022, 12, 1)) == 0.0
    assert time_elapsed(date(2023, 1, 1), date(2023, 12, 1), date(2024, 3, 1)) == 1.0


def test_the_sample_reads_like_the_report(engine: Engine) -> None:
    # Year to date on the shipped sample: positions against the illustrative annual target of 800,000.
    f = Filters("2023-01", "2023-08")
    p = target_progress(engine, engine.indicator("online_recruit_positions"), f)
    assert p is not None and p.actual == 494_614 and p.elapsed == pytest.approx(8 / 12) and p.status == "amber"
    v = engine.value("online_recruit_positions", f)
    assert v.yoy.base == 350_831 and v.cumulative == 1_410_000

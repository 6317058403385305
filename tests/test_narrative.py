"""数据解读: the exact sentences, in zh and en, on the shipped sample for the default period (year to date,
2023-01..2023-08) and for Chongqing over 2022; and the numbers behind them are the engine's.

Expected sentences were checked by hand against the sample: positions 494,614 against 350,831 a year earlier
(+41.0%), 494,614 / 800,000 = 61.8% (62%) against 8/12 = 66.7% of 2023 elapsed (4.8 points behind, amber);
63 / 97 tasks = 65% against 32/60 = 53% of the agreement's months elapsed.
"""

from __future__ import annotations

import pytest

from metrics import Engine, Filters
from metrics.narrative import Analysis, analyse, month_text, period_text
from metrics.periods import Period
from metrics.tables import values_frame

YTD = Filters("2023-01", "2023-08")
CQ_2022 = Filters("2022-01", "2022-12", province="chongqing")


@pytest.fixture(scope="module")
def ytd(engine: Engine) -> dict[str, Analysis]:
    return {lang: analyse(engine, YTD, lang) for lang in ("zh", "en")}


@pytest.fixture(scope="module")
def cq(engine: Engine) -> dict[str, Analysis]:
    return {lang: analyse(engine, CQ_2022, lang) for lang in ("zh", "en")}


def test_headline_year_to_date(ytd: dict[str, Analysis]) -> None:
    assert ytd["zh"].headline.text == (
        "截至2023年8月，协议97项任务已全面完成63项，完成率65%，高于序时进度（53%）。"
        "10项设有目标的核心指标中，6项达到或超过序时进度、2项为“关注”、2项为“滞后”。"
        "与去年同期相比，核心指标8项增长、1项下降、1项无可比数据。"
    )
    assert ytd["en"].headline.text == (
        "By August 2023, 63 of the agreement's 97 tasks were completed (65%), ahead of the 53% of time elapsed. "
        "Of the 10 headline indicators with a target, 6 on or ahead of pace, 2 rated “Watch”, 2 rated “Behind”. "
        "Headline indicators year on year: 8 up, 1 down, 1 without a like-for-like base."
    )


def test_area_paragraphs_year_to_date(ytd: dict[str, Analysis]) -> None:
    assert ytd["zh"].area("employment").text == (
        "高质量就业：协议任务20项，截至2023年8月已完成14项（70%），1项逾期。"
        "线上招聘专区发布岗位数49.46万个，同比增长41.0%；已完成2023年目标80万个的62%，"
        "低于序时进度（67%）4.8个百分点，状态为“关注”。"
        "线上招聘专区发布岗位企业数1.07万家，同比增长32.2%；协议以来累计2.1万家，已完成2025-12-31前目标3万家的70%，"
        "高于序时进度（53%）16.7个百分点，状态为“正常”。"
    )
    assert ytd["en"].area("employment").text == (
        "High-quality employment: 14 of 20 agreement tasks completed by August 2023 (70%), 1 overdue. "
        "Positions posted in the joint online recruitment zone: 494,614 positions, up 41.0% year on year; "
        "62% of the 2023 target of 800,000 positions reached, 4.8 pp behind the 67% of time elapsed, rated “Watch”. "
        "Enterprises posting jobs in the joint online recruitment zone: 10,679 enterprises, up 32.2% year on year; "
        "21,000 enterprises since signing, 70% of the target of 30,000 enterprises by 2025-12-31 reached, "
        "16.7 pp ahead of the 53% of time elapsed, rated “On pace”."
    )
    # An area without a headline indicator speaks of its first indicator with data.
    assert ytd["zh"].area("governance").text == (
        "劳动关系与基层治理：协议任务12项，截至2023年8月已完成7项（58%），2项逾期。金牌劳动关系协调员400名，同比增长100.0%。"
    )
    # A comparison that cannot be made says why, never a dash.
    assert "全年引进人才1.2万人，去年同期无数据；已完成2023年目标1.5万人的80%" in ytd["zh"].area("talent").text
    assert "Talents introduced in the year: 12,000 people, no data a year earlier;" in ytd["en"].area("talent").text
    assert "社会保障卡持卡人数1.25亿人，同比增长3.7%；" in ytd["zh"].area("public_services").text


def test_attention_year_to_date(ytd: dict[str, Analysis]) -> None:
    zh, en = ytd["zh"], ytd["en"]
    assert [p.id for p in zh.attention] == [
        "attention.indicator.researchers_placed_cq",
        "attention.indicator.digital_skill_talents",
        "attention.area.data_sharing",
        "attention.area.governance",
        *(f"attention.task.{t}" for t in ("T015", "T033", "T069", "T081", "T082", "T093", "T094")),
        "attention.decline.researchers_exchanged",  # digital skills fell more, but is listed as red already
    ]
    texts = {p.id: p.text for p in zh.attention}
    assert texts["attention.indicator.digital_skill_talents"] == (
        "数字技能人才培育2.19万人，同比下降23.9%；协议以来累计8.5万人，已完成2025-12-31前目标20万人的42%，"
        "低于序时进度（53%）10.8个百分点，状态为“滞后”。"
    )
    assert texts["attention.area.data_sharing"] == "数字人社与数据共享方面任务平均进度76%，低于按期完成所需的82%。"
    # Nested quotation marks in a task title become single ones.
    assert texts["attention.task.T069"] == (
        "T069“推进‘异地快办’服务模式”逾期未完成（牵头方：四川，应于2022-01-28完成，目前进度85%）。"
    )
    assert (
        texts["attention.decline.researchers_exchanged"] == "川渝双向互派科研人员同比下降5.6%：本期34人，去年同期36人。"
    )
    en_texts = {p.id: p.text for p in en.attention}
    assert en_texts["attention.task.T081"] == (
        "T081 “Publish a shared catalogue of employment data” is overdue "
        "(lead party: Ministry; due 2023-03-28; 83% done)."
    )
    assert en_texts["attention.decline.researchers_exchanged"] == (
        "Researchers exchanged between Sichuan and Chongqing fell 5.6% year on year: 34 people against 36 people."
    )


def test_key_messages_year_to_date(ytd: dict[str, Analysis]) -> None:
    zh, en = ytd["zh"], ytd["en"]
    assert [p.id for p in zh.messages] == [
        "headline.tasks",
        "headline.pace",
        "summary.red",
        "summary.overdue",
        "headline.yoy",
    ]
    assert zh.messages[2].text == (
        "2项指标进度滞后：重庆高层次科研人员顶岗培养选派（完成39%，序时进度53%）、数字技能人才培育（完成42%，序时进度53%）。"
    )
    assert zh.messages[3].text == (
        "7项任务逾期：高质量就业1项、社会保障一体化1项、公共服务共建共享1项、数字人社与数据共享2项、劳动关系与基层治理2项。"
    )
    assert en.messages[3].text == (
        "7 tasks are overdue: High-quality employment (1), Integrated social security (1), Shared public services (1), "
        "Digital services and data sharing (2), Labour relations and governance (2)."
    )
    assert [p.id for p in zh.summaries] == ["summary.red", "summary.areas", "summary.overdue", "summary.declines"]
    assert en.summaries[1].text == (
        "2 areas are behind the pace needed to finish on time: Digital services and data sharing (76% against 82% "
        "needed), Labour relations and governance (77% against 82% needed)."
    )


def test_chongqing_last_year(cq: dict[str, Analysis]) -> None:
    zh, en = cq["zh"], cq["en"]
    assert zh.period_text == "2022年1—12月" and en.period_text == "January–December 2022"
    assert zh.headline.text == (
        "截至2022年12月，协议97项任务已全面完成43项，完成率44%，高于序时进度（40%）。"
        "10项设有目标的核心指标中，9项为“滞后”、1项本期无进度数据。"
        "与去年同期相比，核心指标8项增长、2项无可比数据。"
    )
    assert en.headline.text == (
        "By December 2022, 43 of the agreement's 97 tasks were completed (44%), ahead of the 40% of time elapsed. "
        "Of the 10 headline indicators with a target, 9 rated “Behind”, 1 without progress data. "
        "Headline indicators year on year: 8 up, 2 without a like-for-like base."
    )
    # Overdue is as of the data (2023-08-29): not said of an area for a period that ended before it.
    assert zh.area("governance").text == (
        "劳动关系与基层治理：协议任务12项，截至2022年12月已完成5项（42%）。"
        "金牌劳动关系协调员300名，不分省市(两地合计)，同比增长50.0%。"
    )
    assert "Talents introduced in the year: no data this period." in en.area("talent").text
    # A one-line summary names three items, then "and others".
    assert zh.messages[2].text.startswith("9项指标进度滞后：线上招聘专区发布岗位企业数（完成13%，序时进度40%）、")
    assert zh.messages[2].text.endswith("（完成42%，序时进度100%）等。")
    assert en.messages[2].text.endswith("(42% reached, 100% of time elapsed) and others.")


def test_since_signing_says_why_there_is_no_year_on_year(engine: Engine) -> None:
    a = analyse(engine, Filters("2021-01", "2023-08"), "zh")
    assert a.sentences[2].text == "与去年同期相比，核心指标1项增长、9项无可比数据。"
    assert "线上招聘专区发布岗位数141万个，去年同期数据不全；2023年累计49.46万个，已完成2023年目标80万个的62%" in (
        a.area("employment").text
    )


def test_the_facts_are_the_engines_values(engine: Engine, ytd: dict[str, Analysis]) -> None:
    frame = values_frame(engine, YTD, "zh").set_index("indicator_id")
    for lang in ("zh", "en"):
        for ind_id, p in ytd[lang].indicators.items():
            row = frame.loc[ind_id]
            for col in ("value", "yoy_previous", "yoy_change_pct", "target_progress_pct", "time_elapsed_pct"):
                assert p.facts[col] == row[col], (ind_id, col)
            assert p.facts["status"] == row["status"]
    facts = ytd["zh"].headline.facts
    assert (facts["tasks_completed"], facts["tasks_total"]) == (63, 97)
    assert (facts["with_target"], facts["green"], facts["amber"], facts["red"]) == (10, 6, 2, 2)
    assert (facts["yoy_up"], facts["yoy_down"], facts["yoy_none"]) == (8, 1, 1)
    assert facts["time_elapsed_pct"] == frame.loc["agreement_tasks_completed", "time_elapsed_pct"]


def test_dates_in_words() -> None:
    from datetime import date

    assert month_text(date(2023, 8, 1), "zh") == "2023年8月" and month_text(date(2023, 8, 1), "en") == "August 2023"
    across = Period(date(2022, 9, 1), date(2023, 8, 1))
    assert period_text(across, "zh") == "2022年9月至2023年8月"
    assert period_text(across, "en") == "September 2022 to August 2023"
    assert period_text(Period(date(2023, 8, 1), date(2023, 8, 1)), "zh") == "2023年8月"

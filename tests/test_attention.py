"""The Overview's 'needs attention' sentences, from a hand-made Attention (metrics.overview.attention_lines)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from metrics import Engine
from metrics.overview import Attention, attention_lines

NONE = pd.DataFrame({"party": [], "label": [], "overdue": [], "missing": []})


def att(overdue: int = 0, behind: bool = False, parties: pd.DataFrame = NONE) -> Attention:
    """Attention with overdue tasks T1..Tn, one area behind if asked, and the given parties."""
    tasks = pd.DataFrame(
        {"task_id": [f"T{i}" for i in range(1, overdue + 1)], "title": [f"任务{i}" for i in range(1, overdue + 1)]}
    )
    areas = pd.DataFrame({"area": ["就业"], "progress": [0.4], "expected": [0.625]})
    return Attention(tasks, areas if behind else areas.iloc[0:0], parties, "2023-08", date(2023, 9, 10))


def test_all_clear_has_no_lines_and_says_as_of_when(engine: Engine) -> None:
    lines, when = attention_lines(engine, att(), "zh")
    assert lines == [] and when == "任务状态截至 2023-08-29。"


def test_overdue_tasks_name_three_then_others_and_areas_give_actual_and_needed(engine: Engine) -> None:
    lines, _ = attention_lines(engine, att(overdue=4, behind=True), "zh")
    assert lines == [
        "4项任务逾期:T1 任务1、T2 任务2、T3 任务3等",
        "1个方面进度落后于按期完成所需进度:就业(实际40%,应达62%)",
    ]


def test_parties_are_listed_with_the_period_and_its_deadline(engine: Engine) -> None:
    parties = pd.DataFrame(
        {"party": ["sc", "cq"], "label": ["四川省人社厅", "重庆市人社局"], "overdue": [1, 0], "missing": [0, 2]}
    )
    lines, when = attention_lines(engine, att(parties=parties), "en")
    assert lines == [
        "By reporting party: 四川省人社厅 1 overdue, 0 not reported; 重庆市人社局 0 overdue, 2 not reported "
        "(2023-08 reports were due 2023-09-10)"
    ]
    assert when == "Task status as of 2023-08-29."

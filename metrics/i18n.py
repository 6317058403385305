"""Interface strings shared by the dashboard, the exports and the slides (zh default, full English)."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "source": ("来源", "Source"),
    "as_of": ("数据截至", "Data as of"),
    "period": ("期间", "Period"),
    "province": ("省市", "Province"),
    "both": ("川渝两地", "Both"),
    "month": ("月份", "Month"),
    "value": ("数值", "Value"),
    "no_data": ("所选范围内无数据", "No data for this selection"),
    "sample_data": ("示例数据", "Sample data"),
    "illustrative": ("示意性分布", "illustrative breakdown"),
    "tasks": ("任务", "Tasks"),
    "completed": ("已完成", "Completed"),
    "target": ("目标", "Target"),
    "ideal_pace": ("按期完成所需进度", "Pace needed to finish on time"),
    "actual": ("实际完成", "Completed"),
    "projection": ("按当前速度预计", "Projected at current pace"),
    "task_progress_title": ("协议任务完成情况", "Agreement task progress"),
    "tasks_by_area_title": ("各方面任务完成情况", "Tasks by area"),
    "burnup_title": ("任务累计完成趋势", "Tasks completed over time"),
    "monthly": ("月度趋势", "Monthly trend"),
    "by_province": ("川渝对比", "Sichuan vs Chongqing"),
    "by_city": ("按市(州)/区县", "By city / district"),
    "flow_title": ("流向", "Direction of flows"),
    "count_unit_tasks": ("项", "tasks"),
}


def pick(pair: tuple[str, str], lang: str) -> str:
    """The zh or en half of a (zh, en) pair; English for any language other than zh."""
    return pair[0] if lang == "zh" else pair[1]


def t(key: str, lang: str = "zh") -> str:
    """The string for key in lang (zh or en)."""
    return pick(STRINGS[key], lang)

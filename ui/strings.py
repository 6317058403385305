"""Dashboard UI strings, zh (default) and en. Indicator names, units and sources come from config.yaml."""

from __future__ import annotations

PAGE_TITLES: dict[str, tuple[str, str]] = {
    "overview": ("总览", "Overview"),
    "tasks": ("任务进展", "Task progress"),
    "employment": ("就业", "Employment"),
    "social_security": ("社会保障", "Social security"),
    "talent": ("人才", "Talent"),
    "public_services": ("公共服务与数据共享", "Public services & data sharing"),
    "definitions": ("指标说明与数据", "Definitions & data"),
}

STRINGS: dict[str, tuple[str, str]] = {
    # sidebar
    "filters": ("筛选条件", "Filters"),
    "language": ("语言", "Language"),
    "period": ("期间(月份)", "Period (months)"),
    "province": ("省市", "Province"),
    "all_provinces": ("川渝两地", "Both"),
    "city": ("市(州)/区县", "City / district"),
    "all": ("全部", "All"),
    "as_of": ("数据截至", "Data as of"),
    "share_hint": ("网址已包含当前筛选条件,复制即可分享此视图。",
                   "The address carries these filters: copy it to share this view."),
    # common
    "empty_period": ("所选期间({period})没有数据(数据覆盖 {first} – {last})。请在左侧调整期间或省市。",
                     "There is no data for the selected period ({period}); the data covers {first} – {last}. "
                     "Adjust the period or province in the sidebar."),
    "empty_chart": ("所选范围内无数据。", "No data for this selection."),
    "downloads": ("下载", "Download"),
    "export": ("导出", "Export"),
    # cards
    "delta_vs": ("较上期", "vs previous period"),
    "target_line": ("目标 {target}(截至 {due}):已达 {pct}", "Target {target} by {due}: {pct} reached"),
    "scope_not_split": ("不分省市(两地合计)", "Not split by province (both)"),
    "scope_no_data": ("所选范围无此数据", "No data for this selection"),
    "scope_no_city": ("不分城市(全省市)", "Not split by city (whole province)"),
    "help_source": ("来源:{source}({date})", "Source: {source} ({date})"),
    "help_quote": ("原文:“{quote}”", "Quote (zh): “{quote}”"),
    "help_as_of": ("数据截至:{as_of}", "Data as of: {as_of}"),
    "help_exact": ("精确值:{exact} {unit}", "Exact value: {exact} {unit}"),
    "help_period": ("期间:{period}", "Period: {period}"),
    "help_kind": ("汇总方式:{kind}", "Aggregation: {kind}"),
    "cards_caption": ("变化为与上一等长期间({previous})相比,该期间无数据时不显示。"
                      "悬停卡片标题旁的问号可查看来源、原文、精确值与数据截至日期。",
                      "Changes compare with the previous period of equal length ({previous}) and are left out "
                      "where it has no data. Hover the question mark by a card's title for its source, quote, "
                      "exact value and as-of date."),
    # overview
    "headline": ("核心指标", "Headline indicators"),
    "agreement_progress": ("协议任务进展", "Agreement progress"),
    "tasks_done_by_area": ("各方面任务完成情况", "Tasks completed by area"),
    "attention": ("需要关注", "Needs attention"),
    "attention_overdue": ("{n}项任务逾期:{items}", "{n} tasks overdue: {items}"),
    "attention_behind": ("{n}个方面进度落后于按期完成所需进度:{items}",
                         "{n} areas behind the pace needed to finish on time: {items}"),
    "attention_area": ("{area}(实际{actual},应达{expected})", "{area} (actual {actual}, needed {expected})"),
    "attention_none": ("没有逾期任务,各方面进度均符合按期完成要求。",
                       "No task is overdue and every area is on pace to finish on time."),
    "attention_as_of": ("任务状态截至 {as_of}。", "Task status as of {as_of}."),
    "more_items": ("等", " and others"),
    # tasks page
    "filter_area": ("方面", "Area"),
    "filter_lead": ("牵头方", "Lead party"),
    "filter_status": ("状态", "Status"),
    "filter_overdue": ("仅显示逾期任务", "Overdue only"),
    "tasks_shown": ("显示 {n} / {total} 项任务", "Showing {n} of {total} tasks"),
    "tasks_note": ("任务状态截至 {as_of},由日期推导;任务不按期间或省市筛选,可按牵头方筛选。",
                   "Task status as of {as_of}, derived from the dates; tasks are not filtered by period or "
                   "province: filter by lead party instead."),
    "kpi_completed": ("已完成", "Completed"),
    "kpi_overdue": ("逾期", "Overdue"),
    "kpi_pace": ("近12个月完成速度(项/月)", "Pace, last 12 months (tasks/month)"),
    "kpi_required": ("按期完成所需速度(项/月)", "Pace needed (tasks/month)"),
    "per_month_help": ("每月完成的任务数。所需速度 = 剩余任务 ÷ 距协议截止日期的月数。",
                       "Tasks completed per month. The pace needed is the tasks left divided by the months left "
                       "before the agreement's due date."),
    "kpi_projected": ("按当前速度预计完成", "Projected completion"),
    "not_projected": ("无法预计", "cannot be projected"),
    "on_track": ("可按期完成", "on track"),
    "off_track": ("晚于截止日期 {due}", "later than the due date {due}"),
    "task_table": ("任务清单", "Task list"),
    "no_tasks": ("没有符合筛选条件的任务。", "No task matches these filters."),
    # area pages
    "indicators": ("指标", "Indicators"),
    "detail": ("指标详情", "Indicator detail"),
    "choose_indicator": ("选择指标", "Indicator"),
    "flows": ("川渝互通流向", "Flows between Sichuan and Chongqing"),
    "flow_caption": ("箭头由{source}指向{target};省市筛选按{target}。",
                     "Arrows run from {source} to {target}; the province filter applies to {target}."),
    "receiving_side": ("接收(办理)方", "the receiving (handling) side"),
    "by_dimension": ("按{dim}", "By {dim}"),
    "area_tasks": ("本领域任务", "Tasks in this area"),
    "area_tasks_summary": ("{area}:已完成 {done}/{total} 项,逾期 {overdue} 项",
                           "{area}: {done} of {total} completed, {overdue} overdue"),
    "comparison_scope": ("已选择单一省市,对比图仅显示所选省市。",
                         "One province is selected, so the comparison shows only that province."),
    "top_n": ("显示前{n}个", "top {n} shown"),
    # definitions page
    "def_indicators": ("指标定义", "Indicators"),
    "def_datasets": ("数据集与约定", "Datasets and contracts"),
    "def_intro": ("以下内容全部由 config.yaml 生成:指标的名称、单位、汇总方式、SQL、来源与原文、目标和说明;"
                  "以及每个数据集的约定与数据截至日期。",
                  "Everything below is generated from config.yaml: each indicator's names, unit, aggregation "
                  "kind, SQL, source and quote, target and description; and each dataset's contract and as-of "
                  "date."),
    "def_target_none": ("无", "none"),
    "field": ("项目", "Field"),
    "content": ("内容", "Value"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
}

# Column headers of the tables the pages show (machine id -> zh, en).
HEADERS: dict[str, tuple[str, str]] = {
    "task_id": ("编号", "ID"),
    "area": ("方面", "Area"),
    "title": ("任务", "Task"),
    "lead": ("牵头方", "Lead party"),
    "start_date": ("开始日期", "Start"),
    "due_date": ("截止日期", "Due"),
    "completion_date": ("完成日期", "Completed on"),
    "progress_pct": ("进度", "Progress"),
    "expected_pct": ("应达进度", "Pace needed"),
    "status_label": ("状态", "Status"),
    "indicator_id": ("指标代码", "Indicator id"),
    "name_zh": ("中文名称", "Name (zh)"),
    "name_en": ("英文名称", "Name (en)"),
    "unit": ("单位", "Unit"),
    "kind": ("汇总方式", "Aggregation"),
    "dimensions": ("维度", "Dimensions"),
    "by_province": ("分省市", "By province"),
    "target": ("目标", "Target"),
    "source": ("来源", "Source"),
    "source_date": ("来源日期", "Source date"),
    "quote": ("原文", "Quote (zh)"),
    "datasets": ("数据集", "Datasets"),
    "as_of": ("数据截至", "Data as of"),
    "description": ("说明", "Description"),
    "dataset": ("数据集", "Dataset"),
    "file": ("文件", "File"),
    "primary_key": ("主键", "Primary key"),
    "as_of_column": ("截至日期列", "As-of column"),
    "illustrative": ("公布与示意", "Published vs illustrative"),
    "column": ("列名", "Column"),
    "label": ("名称", "Label"),
    "type": ("类型", "Type"),
    "required": ("必填", "Required"),
    "allowed": ("允许值", "Allowed values"),
    "references": ("引用", "References"),
    "min": ("最小值", "Min"),
    "max": ("最大值", "Max"),
    "month": ("月份", "Month"),
    "group_label": ("分组", "Group"),
    "value": ("数值", "Value"),
    "key": ("代码", "Key"),
    "from_label": ("来源方", "From"),
    "to_label": ("接收方", "To"),
    "completed": ("已完成", "Completed"),
    "total": ("任务数", "Tasks"),
    "share": ("完成率", "Share complete"),
}


def s(key: str, lang: str, **values: object) -> str:
    """The UI string for key in lang, with {placeholders} filled from values."""
    zh, en = STRINGS[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text


def page_title(page_id: str, lang: str) -> str:
    """A page's title in lang; an unknown page (e.g. one added later) shows its id."""
    zh, en = PAGE_TITLES.get(page_id, (page_id, page_id.replace("_", " ").capitalize()))
    return zh if lang == "zh" else en


def header(column: str, lang: str) -> str:
    """A table column's header in lang (the column id when none is declared)."""
    zh, en = HEADERS.get(column, (column, column))
    return zh if lang == "zh" else en

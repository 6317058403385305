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
# Pages without indicators (no charts): titled here, not in PAGE_TITLES, which lists the data pages.
TOOL_PAGE_TITLES: dict[str, tuple[str, str]] = {
    "admin": ("数据管理", "Data admin"),
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
    # sign-in (ui/access.py)
    "login_user": ("用户名", "User name"),
    "login_password": ("密码", "Password"),
    "login_submit": ("登录", "Sign in"),
    "login_wrong": ("用户名或密码错误。", "Wrong user name or password."),
    "login_throttled": ("失败次数过多,请 {seconds} 秒后再试。", "Too many failed attempts: try again in {seconds} s."),
    "oidc_sign_in": ("通过统一身份认证登录", "Sign in with the identity provider"),
    "oidc_not_admin": ("{email} 不是管理员账户,不能导入或回滚数据。",
                       "{email} is not an admin account: it cannot ingest or roll back."),
    "oidc_not_viewer": ("{email} 无权查看本看板。", "{email} may not view this dashboard."),
    "signed_in_as": ("已登录:{user}", "Signed in as {user}"),
    "sign_out": ("退出登录", "Sign out"),
    "view_login_title": ("请登录", "Please sign in"),
    "view_login_intro": ("查看本看板需要登录。", "Signing in is required to view this dashboard."),
    # data admin page (ui/admin.py)
    "admin_intro": ("上传新数据前可先“仅校验”;导入的文件成为数据集的新版本,可随时回滚。每次导入、拒绝和回滚都记入审计日志。",
                    "Validate a file first if you like; an ingested file becomes the dataset's new version and "
                    "can be rolled back. Every ingest, refusal and rollback goes into the audit log."),
    "admin_none": ("尚未配置管理员,因此本页不能导入或回滚数据。请按下列说明配置统一身份认证(OIDC)或本地管理员账户,"
                   "然后重启看板。",
                   "No admin is configured, so nothing can be ingested or rolled back here. Configure an "
                   "identity provider (OIDC) or local admin accounts as below, then restart the dashboard."),
    "admin_login_title": ("管理员登录", "Admin sign-in"),
    "need_admin": ("{user} 不是管理员账户,请用管理员账户登录。", "{user} is not an admin: sign in with an admin account."),
    "signed_in_admin": ("已登录:{user}(管理员)", "Signed in as {user} (admin)"),
    "dataset_choose": ("数据集", "Dataset"),
    "tab_ingest": ("上传与导入", "Upload and ingest"),
    "tab_versions": ("版本与回滚", "Versions and rollback"),
    "tab_audit": ("审计日志", "Audit log"),
    "contract_title": ("文件须包含的列", "What the file must contain"),
    "contract_caption": ("数据文件:{file};主键:{pk};当前数据截至:{as_of}。表头可用列名或中文名称;"
                         "CSV 可为 UTF-8 或 GBK/GB18030 编码,也可上传 Excel(.xlsx)。",
                         "Data file: {file}; primary key: {pk}; data now as of {as_of}. Headers may be the column "
                         "names or the Chinese names; CSV may be UTF-8 or GBK/GB18030, or upload Excel (.xlsx)."),
    "template_download": ("下载空白模板(CSV)", "Empty template (CSV)"),
    "upload_label": ("选择文件(CSV 或 Excel .xlsx,不超过 {mb} MB)", "Choose a file (CSV or Excel .xlsx, at most {mb} MB)"),
    "mode_label": ("导入方式", "Mode"),
    "mode_append": ("追加", "Append"),
    "mode_upsert": ("追加或更新", "Upsert"),
    "mode_replace": ("整体替换", "Replace"),
    "mode_help_append": ("新增行;主键已存在的行视为错误", "add rows; a row whose key already exists is an error"),
    "mode_help_upsert": ("新增行,并替换主键相同的已有行", "add new rows and replace existing rows with the same key"),
    "mode_help_replace": ("文件成为该数据集的全部数据", "the file becomes the whole dataset"),
    "sheet_label": ("工作表(留空为第一个)", "Sheet (blank: the first)"),
    "encoding_label": ("文件编码", "Encoding"),
    "encoding_auto": ("自动识别", "detect"),
    "replace_confirm": ("我确认用此文件替换整个数据集", "I confirm this file replaces the whole dataset"),
    "validate_button": ("仅校验", "Validate only"),
    "ingest_button": ("导入", "Ingest"),
    "working": ("正在处理…", "Working…"),
    "rebuilding": ("正在用新数据重建看板数据库…", "Rebuilding the dashboard's database with the new data…"),
    "result_valid": ("校验通过:文件可以导入(未做任何更改)。", "Valid: the file can be ingested (nothing was changed)."),
    "result_ingested": ("导入成功,已成为版本 {version}。看板数据截至 {as_of}。",
                        "Ingested as version {version}. The dashboard's data is now as of {as_of}."),
    "result_rolled_back": ("已回滚:版本 {source} 已恢复为新版本 {version}。看板数据截至 {as_of}。",
                           "Rolled back: version {source} is back in use as version {version}. The dashboard's "
                           "data is now as of {as_of}."),
    "result_refused": ("未导入:发现 {n} 个问题,数据未做任何更改。",
                       "Refused: {n} problem(s) found; nothing was changed."),
    "result_detail": ("详情:{text}", "Detail: {text}"),
    "rows_in_file": ("文件行数", "Rows in the file"),
    "rows_added": ("新增行", "Rows added"),
    "rows_replaced": ("替换行", "Rows replaced"),
    "rows_removed": ("删除行", "Rows removed"),
    "rows_total": ("数据集行数", "Rows in the dataset"),
    "problems_title": ("问题清单", "Problems"),
    "problems_download": ("下载问题清单(CSV)", "Download the problems (CSV)"),
    "versions_none": ("该数据集还没有保存的版本;首次导入时会先保存当前文件。",
                      "No version of this dataset is kept yet; the first ingest keeps the current file first."),
    "rollback_choose": ("回滚到版本", "Roll back to version"),
    "rollback_confirm": ("我确认将该数据集恢复为所选版本", "I confirm: put the chosen version back in use"),
    "rollback_button": ("回滚", "Roll back"),
    "rollback_none": ("只有当前使用的版本,无可回滚的版本。", "Only the version in use is kept: nothing to roll back to."),
    "audit_none": ("审计日志还没有记录。", "Nothing has been logged yet."),
    "audit_broken": ("审计日志第 {lines} 行与前一行的哈希不符:日志可能被修改或截断过。",
                     "Audit log line(s) {lines} do not match the hash of the line before: the log may have been "
                     "edited or truncated."),
    "action_ingest": ("导入", "ingest"),
    "action_rollback": ("回滚", "rollback"),
    "action_baseline": ("原有文件", "baseline"),
    "result_ok": ("成功", "ok"),
    "result_rejected": ("拒绝", "rejected"),
    "type_string": ("文本", "text"),
    "type_integer": ("整数", "whole number"),
    "type_number": ("数值", "number"),
    "type_date": ("日期 YYYY-MM-DD", "date YYYY-MM-DD"),
    "type_month": ("月份 YYYY-MM", "month YYYY-MM"),
    # --- issue 11 (server) ---
    "setup_broken": ("看板的配置有误,部分功能暂不可用。请联系管理员。",
                     "The dashboard is not configured correctly, so some of it does not work. "
                     "Please contact the administrator."),
    "setup_broken_admin": ("访问设置有误(详情也写入服务器日志,并可用 `python -m metrics check` 查看):",
                           "The access settings have problems (also in the server log and in "
                           "`python -m metrics check`):"),
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
    # data admin page
    "row": ("行号", "Row"),
    "reason": ("原因", "Reason"),
    "version": ("版本", "Version"),
    "created": ("时间(UTC)", "Time (UTC)"),
    "ts": ("时间(UTC)", "Time (UTC)"),
    "user": ("操作人", "User"),
    "action": ("操作", "Action"),
    "mode": ("导入方式", "Mode"),
    "rows": ("行数", "Rows"),
    "size": ("字节", "Bytes"),
    "current": ("当前使用", "In use"),
    "file_name": ("上传文件名", "Uploaded file"),
    "result": ("结果", "Result"),
    "rows_added": ("新增行", "Added"),
    "rows_replaced": ("替换行", "Replaced"),
    "rows_removed": ("删除行", "Removed"),
    "restored_from": ("恢复自", "Restored from"),
    "problems": ("问题数", "Problems"),
    "message": ("说明", "Message"),
}


def s(key: str, lang: str, **values: object) -> str:
    """The UI string for key in lang, with {placeholders} filled from values."""
    zh, en = STRINGS[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text


def page_title(page_id: str, lang: str) -> str:
    """A page's title in lang; an unknown page (e.g. one added later) shows its id."""
    fallback = (page_id, page_id.replace("_", " ").capitalize())
    zh, en = PAGE_TITLES.get(page_id) or TOOL_PAGE_TITLES.get(page_id, fallback)
    return zh if lang == "zh" else en


def header(column: str, lang: str) -> str:
    """A table column's header in lang (the column id when none is declared)."""
    zh, en = HEADERS.get(column, (column, column))
    return zh if lang == "zh" else en

"""User-facing strings of the group-chat digest, zh and en pairs in one dict (to move into the catalogue)."""

from __future__ import annotations

from ..i18n import pick

# Placeholders are str.format fields; every pair has the same fields in both languages.
DIGEST_STRINGS: dict[str, tuple[str, str]] = {
    "title": ("川渝人社合作月度简报", "Sichuan–Chongqing HR cooperation: monthly digest"),
    "title_for": ("{title} · {audience}", "{title} · {audience}"),
    "everyone": ("全部牵头方", "all lead parties"),
    "as_of": ("数据截至 {date}", "Data as of {date}"),
    "figures": ("主要指标(截至 {month})", "Headline figures (to {month})"),
    "figure_line": ("{name}:{value} {unit}", "{name}: {value} {unit}"),
    "status": ("任务进展", "Task status"),
    "status_all": ("全部 {total} 项", "All tasks ({total})"),
    "status_party": ("{party}牵头 {total} 项", "Led by {party} ({total})"),
    "status_line": ("{scope}:{counts}", "{scope}: {counts}"),
    "status_count": ("{label} {n}", "{label} {n}"),
    "count_sep": (",", ", "),
    "overdue": ("逾期任务({n} 项)", "Overdue tasks ({n})"),
    "overdue_none": ("无逾期任务", "No overdue tasks"),
    "task_line": ("{task_id} {title} — 牵头:{lead};截止 {due}(逾期 {days} 天);进度 {progress}%",
                  "{task_id} {title} — lead: {lead}; due {due} ({days} days late); progress {progress}%"),
    "task_note": ("最新进展:{note}", "Latest note: {note}"),
    "chase": ("催报:{party} {period} 未报送({n} 项)", "Reports missing: {party}, {period} ({n})"),
    "chase_line": ("{task_id} {title}(报送截止 {deadline})", "{task_id} {title} (report due {deadline})"),
    "chase_none": ("{party} {period} 的进展报告均已报送", "{party}: every report for {period} is in"),
    "part": ("(第 {i}/{n} 条)", " (part {i} of {n})"),
    "sample": ("示例数据", "Sample data"),
    "footer": ("由{app}自动发送", "Sent automatically by the {app}"),
    "app": ("川渝人社合作指标看板", "Sichuan–Chongqing cooperation dashboard"),
    "ellipsis": ("…", "…"),
}


def ds(key: str, lang: str, **fields: object) -> str:
    """The digest string key in lang, with fields filled in."""
    text = pick(DIGEST_STRINGS[key], lang)
    return text.format(**fields) if fields else text

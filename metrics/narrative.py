"""数据解读: the written analysis, short sentences built by rule (no language model) from the engine's numbers.

Every sentence is a template in metrics/strings.yaml (narrative.*), filled with numbers formatted as the cards
format them (format_number, change_text, the cards' whole-percent progress). The Overview, the area pages, the
meeting pack and the Word brief all read the same Analysis, so they never say different things.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from .catalog import TASKS_COMPLETED, TASKS_TOTAL
from .comparisons import change_text
from .config import Indicator
from .engine import Comparison, Engine, IndicatorValue
from .formatting import format_number, plain_number
from .frames import area_progress
from .i18n import join_items, paren, tr
from .periods import Filters, Period, month_str
from .provenance import Scope, scope_of
from .reports import current_ledger
from .status import Status, status_label, worst
from .targets import TargetProgress, target_progress
from .tasks import area_summary, task_table

# A fall year on year smaller than this is noise, not something to raise in a meeting.
DECLINE_MIN = 0.05
MAX_DECLINES = 3
MAX_MESSAGES = 5
MAX_NAMED = 3  # items a one-line summary names before "and others"
LEVEL = 0.0005  # progress within this of 序时进度 reads as level with it (both show as the same whole percent)


@dataclass(frozen=True)
class Paragraph:
    """One piece of the analysis: an id ('headline', 'area.talent', 'attention.task.T015'), its text and the
    numbers behind it (plain values, as the values contract carries them)."""

    id: str
    text: str
    facts: Mapping[str, object] = field(default_factory=dict)
    status: Status = "none"
    parts: tuple[str, ...] = ()  # the sentences the text is made of, when there are several


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator for the filters: the engine's value with 同比, target progress and the place it covers."""

    indicator: Indicator
    value: IndicatorValue
    target: TargetProgress | None
    scope: Scope

    @property
    def status(self) -> Status:
        return self.target.status if self.target is not None else "none"


@dataclass(frozen=True)
class Analysis:
    """The written analysis for one filter set and language."""

    lang: str
    period: Period
    period_text: str  # '2023年1—8月' / 'January–August 2023'
    headline: Paragraph  # where the agreement stands
    sentences: tuple[Paragraph, ...]  # the headline's sentences, one by one
    messages: tuple[Paragraph, ...]  # 3–5 key messages for the executive summary
    areas: tuple[Paragraph, ...]  # one per area, in declared order
    attention: tuple[Paragraph, ...]  # 需关注: red indicators, areas behind, overdue tasks, biggest falls
    summaries: tuple[Paragraph, ...]  # the same, one line per kind (the Overview's compact list)
    indicators: Mapping[str, Paragraph]  # one sentence per indicator
    lines: Mapping[str, IndicatorLine]

    def area(self, area_id: str) -> Paragraph:
        """The paragraph of one area."""
        return next(p for p in self.areas if p.id == f"area.{area_id}")


# -- words for numbers ---------------------------------------------------------------------------------------
def month_text(d: date, lang: str) -> str:
    """'2023年8月' / 'August 2023'."""
    return tr("narrative.month", lang, year=d.year, month=month_name(d.month, lang))


def month_name(month: int, lang: str) -> str:
    """'8' / 'August': a month as dates in words name it."""
    return tr("narrative.month_names", lang).split(",")[month - 1]


def period_text(period: Period, lang: str) -> str:
    """'2023年1—8月' / 'January–August 2023'; across years '2022年1月至2023年8月'."""
    s, e = period.start, period.end
    if s == e:
        return month_text(e, lang)
    if s.year == e.year:
        return tr(
            "narrative.span_year", lang, year=e.year, first=month_name(s.month, lang), last=month_name(e.month, lang)
        )
    return tr("narrative.span", lang, start=month_text(s, lang), end=month_text(e, lang))


def sentences_text(parts: list[str], lang: str) -> str:
    """Sentences run together as each language writes them (no space between Chinese sentences)."""
    text = ""
    for part in parts:
        text = tr("narrative.join", lang, first=text, second=part) if text else part
    return text


def quoted(title: str) -> str:
    """A title ready to go inside “…”: its own double quotes become single ones, as nested quotes are written."""
    return title.replace("“", "‘").replace("”", "’")


def listed(items: list[str], lang: str) -> str:
    """Items joined as the language lists them, the first MAX_NAMED and then 'and others'."""
    text = join_items(items[:MAX_NAMED], lang)
    return text + tr("narrative.more", lang) if len(items) > MAX_NAMED else text


def share_text(share: float) -> str:
    """A progress share as the cards show it: a whole percent."""
    return f"{share:.0%}"


def change_pct_text(share: float) -> str:
    """A relative change as change_text writes it, without the sign: '41.0%'."""
    return f"{abs(share) * 100:.1f}%"


def points_text(points: float, lang: str) -> str:
    """'4.8个百分点' / '4.8 pp'."""
    return tr("word.points", lang, value=f"{abs(points):.1f}")


def value_text(ind: Indicator, value: float | None, lang: str) -> str:
    """'49.46万个' / '494,614 positions': a value with its unit as a sentence says it (percents bare)."""
    number = format_number(value, lang, ind.format)
    if ind.format == "percent" or value is None:
        return number
    return tr("narrative.value_unit", lang, value=number, unit=ind.text("unit", lang))


def name_with_unit(ind: Indicator, lang: str) -> str:
    """'社会保障卡持卡人数(人)': a table's first column, so the value column holds only the number."""
    return (
        ind.text("name", lang)
        if ind.format == "percent"
        else ind.text("name", lang) + paren(ind.text("unit", lang), lang)
    )


def progress_cell(tp: TargetProgress | None, lang: str) -> str:
    """'62%(序时67%)': target progress against 序时进度 for a table cell; '—' without a target."""
    if tp is None or tp.share is None:
        return format_number(None)
    return tr("narrative.progress_cell", lang, share=share_text(tp.share), elapsed=share_text(tp.elapsed))


# -- one indicator ---------------------------------------------------------------------------------------------
def indicator_line(engine: Engine, ind: Indicator, filters: Filters, lang: str) -> IndicatorLine:
    """The engine's numbers for one indicator."""
    return IndicatorLine(
        ind, engine.value(ind.id, filters), target_progress(engine, ind, filters), scope_of(engine, ind, filters, lang)
    )


def change_phrase(c: Comparison, fmt: str, lang: str) -> str:
    """'同比增长41.0%' / 'down 23.9% year on year' / '去年同期无数据' (why there is none)."""
    if c.reason is not None and c.reason != "zero_base":
        return change_text(c, lang, fmt)
    if c.delta == 0:
        return tr("narrative.change.flat", lang)
    if fmt == "percent" and c.delta is not None:
        key = "narrative.change.up" if c.delta > 0 else "narrative.change.down"
        return tr(key, lang, pct=points_text(c.delta * 100, lang))
    if c.delta_pct is None:
        return tr("narrative.change.other", lang, change=change_text(c, lang, fmt))
    key = "narrative.change.up" if c.delta_pct > 0 else "narrative.change.down"
    return tr(key, lang, pct=change_pct_text(c.delta_pct))


def pace_phrase(tp: TargetProgress, lang: str, *, gap: bool) -> str:
    """'高于序时进度(53%)' (with gap: '…11.6个百分点') / 'behind the 67% of time elapsed'."""
    assert tp.share is not None
    elapsed = share_text(tp.elapsed)
    diff = tp.share - tp.elapsed
    if abs(diff) < LEVEL:
        return tr("narrative.pace.level", lang, elapsed=elapsed)
    if not gap:
        return tr("narrative.pace.above" if diff > 0 else "narrative.pace.below", lang, elapsed=elapsed)
    key = "narrative.gap.above" if diff > 0 else "narrative.gap.below"
    return tr(key, lang, elapsed=elapsed, gap=points_text(diff * 100, lang))


def target_phrase(line: IndicatorLine, lang: str) -> str:
    """';已完成2023年目标80万个的62%,低于序时进度(67%)4.8个百分点,状态为“关注”', or '' without progress."""
    tp, ind = line.target, line.indicator
    if tp is None or tp.share is None:
        return ""
    target = tp.target
    goal_value = value_text(ind, target.value, lang)
    if target.basis == "annual":
        goal = tr("narrative.goal.annual", lang, year=tp.counted_to.year, value=goal_value)
    else:
        goal = tr("narrative.goal.cumulative", lang, due=target.due.isoformat(), value=goal_value)
    counted = ""
    if tp.actual != line.value.value:  # the target counts other months than the period: say how many
        actual = value_text(ind, tp.actual, lang)
        if target.basis == "annual":
            counted = tr("narrative.counted.annual", lang, year=tp.counted_to.year, actual=actual)
        else:
            counted = tr("narrative.counted.cumulative", lang, actual=actual)
    return tr(
        "narrative.target",
        lang,
        counted=counted,
        goal=goal,
        share=share_text(tp.share),
        pace=pace_phrase(tp, lang, gap=True),
        label=status_label(tp.status, lang),
    )


def indicator_paragraph(line: IndicatorLine, lang: str) -> Paragraph:
    """'线上招聘专区发布岗位数49.46万个,同比增长41.0%;已完成…,状态为“关注”。'"""
    ind, v = line.indicator, line.value
    scope = "" if line.scope.as_chosen else tr("narrative.scope", lang, scope=line.scope.label)
    if v.value is None:
        text = tr("narrative.no_value", lang, name=ind.text("name", lang), scope=scope)
        return Paragraph(f"indicator.{ind.id}", text, indicator_facts(line), line.status)
    text = tr(
        "narrative.indicator",
        lang,
        name=ind.text("name", lang),
        value=value_text(ind, v.value, lang),
        scope=scope,
        change=change_phrase(v.yoy, ind.format, lang),
        target=target_phrase(line, lang),
    )
    return Paragraph(f"indicator.{ind.id}", text, indicator_facts(line), line.status)


def indicator_facts(line: IndicatorLine) -> dict[str, object]:
    """The numbers behind an indicator's sentence, named as in the values contract."""
    v, tp = line.value, line.target
    return {
        "indicator_id": line.indicator.id,
        "value": plain_number(v.value),
        "period_start": month_str(v.period.start),
        "coverage_end": month_str(v.period.end),
        "yoy_previous": plain_number(v.yoy.base),
        "yoy_change_pct": _pct(v.yoy.delta_pct),
        "target_value": plain_number(tp.target.value) if tp else None,
        "target_actual": plain_number(tp.actual) if tp else None,
        "target_progress_pct": _pct(tp.share if tp else None),
        "time_elapsed_pct": _pct(tp.elapsed if tp else None),
        "status": line.status,
        "scope": line.scope.label,
    }


def _pct(share: float | None) -> float | int | None:
    return plain_number(None if share is None else round(share * 100, 4))


# -- the headline ----------------------------------------------------------------------------------------------
def tasks_sentence(engine: Engine, filters: Filters, period: Period, lang: str) -> Paragraph | None:
    """'截至2023年8月,协议97项任务已全面完成63项,完成率65%,高于序时进度(53%)。'"""
    ids = {i.id for i in engine.config.indicators}
    if not {TASKS_COMPLETED, TASKS_TOTAL} <= ids:
        return None
    done = engine.value(TASKS_COMPLETED, filters).value
    total = engine.value(TASKS_TOTAL, filters).value
    if done is None or not total:
        return None
    tp = target_progress(engine, engine.indicator(TASKS_COMPLETED), filters)
    values = {
        "month": month_text(period.end, lang),
        "total": format_number(total, lang),
        "done": format_number(done, lang),
        "share": share_text(done / total),
    }
    facts: dict[str, object] = {
        "month": month_str(period.end),
        "tasks_total": plain_number(total),
        "tasks_completed": plain_number(done),
        "completion_pct": _pct(done / total),
    }
    if tp is None or tp.share is None:
        return Paragraph("headline.tasks", tr("narrative.tasks_no_target", lang, **values), facts)
    facts |= {"time_elapsed_pct": _pct(tp.elapsed), "status": tp.status}
    text = tr("narrative.tasks", lang, pace=pace_phrase(tp, lang, gap=False), **values)
    return Paragraph("headline.tasks", text, facts, tp.status)


def pace_sentence(lines: list[IndicatorLine], lang: str) -> Paragraph:
    """How many headline indicators with a target are on pace, rated watch or behind."""
    targeted = [ln for ln in lines if ln.target is not None]
    counts = {s: sum(ln.status == s for ln in targeted) for s in ("green", "amber", "red", "none")}
    facts: dict[str, object] = {"with_target": len(targeted), **counts}
    status = worst(*(ln.status for ln in targeted))
    if not targeted:
        return Paragraph("headline.pace", tr("narrative.pace_none", lang), facts)
    if counts["green"] == len(targeted):
        return Paragraph("headline.pace", tr("narrative.pace_all", lang, n=len(targeted)), facts, status)
    parts = []
    if counts["green"]:
        parts.append(tr("narrative.count_on_pace", lang, k=counts["green"]))
    for s in ("amber", "red"):
        if counts[s]:
            parts.append(tr("narrative.count_status", lang, k=counts[s], label=status_label(s, lang)))
    if counts["none"]:
        parts.append(tr("narrative.count_no_progress", lang, k=counts["none"]))
    text = tr("narrative.pace_some", lang, n=len(targeted), parts=join_items(parts, lang))
    return Paragraph("headline.pace", text, facts, status)


def yoy_sentence(lines: list[IndicatorLine], lang: str) -> Paragraph | None:
    """How many headline indicators rose, fell or held level year on year, and how many cannot be compared."""
    deltas = [ln.value.yoy.delta if ln.value.yoy.reason is None else None for ln in lines]
    counts = {
        "up": sum(d is not None and d > 0 for d in deltas),
        "down": sum(d is not None and d < 0 for d in deltas),
        "flat": sum(d is not None and d == 0 for d in deltas),
        "none": sum(d is None for d in deltas),
    }
    if not lines:
        return None
    keys = {
        "up": "narrative.yoy_up",
        "down": "narrative.yoy_down",
        "flat": "narrative.yoy_flat",
        "none": "narrative.yoy_none",
    }
    parts = [tr(keys[k], lang, k=n) for k, n in counts.items() if n]
    facts = {f"yoy_{k}": n for k, n in counts.items()}
    return Paragraph("headline.yoy", tr("narrative.yoy", lang, parts=join_items(parts, lang)), facts)


# -- areas -----------------------------------------------------------------------------------------------------
def area_paragraph(
    engine: Engine,
    area_id: str,
    lines: Mapping[str, IndicatorLine],
    tasks: pd.DataFrame,
    overdue: Mapping[str, int],
    period: Period,
    lang: str,
) -> Paragraph:
    """An area's tasks completed by the period's end, then its headline indicators (or its first with data)."""
    area = engine.config.area(area_id)
    assert area is not None
    name = area.text("name", lang)
    row = tasks[tasks["area_id"] == area_id].iloc[0] if (tasks["area_id"] == area_id).any() else None
    facts: dict[str, object] = {"area_id": area_id}
    if row is not None and int(row["total"]):
        # Overdue is as of the data: said only when the period reaches the data's last month.
        late = overdue.get(area_id, 0) if period.end == engine.last_month else 0
        clause = tr("narrative.area_overdue", lang, k=late) if late else ""
        done, total = int(row["completed"]), int(row["total"])
        opening = tr(
            "narrative.area_tasks",
            lang,
            total=total,
            done=done,
            month=month_text(period.end, lang),
            share=share_text(done / total),
            overdue=clause,
        )
        facts |= {"tasks_total": total, "tasks_completed": done, "tasks_overdue": late}
    else:
        opening = ""
    chosen = area_indicators(engine, area_id, lines)
    sentences = [indicator_paragraph(lines[i], lang) for i in chosen]
    facts["indicators"] = [s.facts for s in sentences]
    status = worst(*(lines[i].status for i in chosen))
    parts = tuple(t for t in (opening, *(s.text for s in sentences)) if t)
    text = tr("narrative.area_name", lang, area=name) + sentences_text(list(parts), lang)
    return Paragraph(f"area.{area_id}", text, facts, status, parts)


def area_indicators(engine: Engine, area_id: str, lines: Mapping[str, IndicatorLine]) -> list[str]:
    """The area's headline indicators, or its first indicator with data when it has none."""
    mine = [i for i in engine.config.indicators if i.area == area_id]
    headline = sorted((i for i in mine if i.headline), key=lambda i: i.headline or 0)
    if headline:
        return [i.id for i in headline]
    with_data = [i.id for i in mine if lines[i.id].value.has_data]
    return with_data[:1]


# -- 需关注 -----------------------------------------------------------------------------------------------------
def red_items(lines: list[IndicatorLine], lang: str) -> list[Paragraph]:
    """Every indicator rated behind (red), in declared order."""
    return [
        Paragraph(f"attention.indicator.{ln.indicator.id}", p.text, p.facts, "red")
        for ln in lines
        if ln.status == "red"
        for p in [indicator_paragraph(ln, lang)]
    ]


def behind_items(areas: pd.DataFrame, lang: str) -> list[Paragraph]:
    """Areas whose tasks trail the pace needed to finish on time."""
    out = []
    for r in areas[areas["behind"]].itertuples():
        text = tr(
            "narrative.attention.area",
            lang,
            area=r.area,
            actual=share_text(float(r.progress)),
            expected=share_text(float(r.expected)),
        )
        facts = {"area_id": r.area_id, "progress": round(float(r.progress), 4), "expected": round(float(r.expected), 4)}
        out.append(Paragraph(f"attention.area.{r.area_id}", text, facts, "red"))
    return out


def overdue_items(tasks: pd.DataFrame, lang: str) -> list[Paragraph]:
    """Every overdue task, with its lead party, due date and progress."""
    out = []
    for r in tasks[tasks["overdue"]].itertuples():
        text = tr(
            "narrative.attention.task",
            lang,
            task=r.task_id,
            title=quoted(r.title),
            lead=r.lead,
            due=r.due_date.isoformat(),
            progress=f"{int(r.progress_pct)}%",
        )
        facts = {
            "task_id": r.task_id,
            "area_id": r.area_id,
            "lead_party": r.lead_party,
            "due_date": r.due_date.isoformat(),
            "progress_pct": int(r.progress_pct),
        }
        out.append(Paragraph(f"attention.task.{r.task_id}", text, facts, "red"))
    return out


def declines(lines: list[IndicatorLine]) -> list[IndicatorLine]:
    """The biggest falls year on year (at least DECLINE_MIN), where a fall is bad (not lower-is-better targets)."""
    falling = [
        ln
        for ln in lines
        if ln.value.yoy.delta_pct is not None
        and ln.value.yoy.delta_pct <= -DECLINE_MIN
        and not (ln.target is not None and ln.target.target.direction == "lower")
    ]
    return sorted(falling, key=lambda ln: ln.value.yoy.delta_pct or 0.0)[:MAX_DECLINES]


def decline_item(line: IndicatorLine, lang: str) -> Paragraph:
    """'数字技能人才培育同比下降23.9%:本期2.19万人,去年同期2.88万人。'"""
    ind, v = line.indicator, line.value
    assert v.yoy.delta_pct is not None
    text = tr(
        "narrative.attention.decline",
        lang,
        name=ind.text("name", lang),
        pct=change_pct_text(v.yoy.delta_pct),
        value=value_text(ind, v.value, lang),
        base=value_text(ind, v.yoy.base, lang),
    )
    return Paragraph(f"attention.decline.{ind.id}", text, indicator_facts(line), line.status)


# -- one line per kind of concern -------------------------------------------------------------------------------
def red_summary(lines: list[IndicatorLine], lang: str) -> Paragraph | None:
    """'2项指标进度滞后:数字技能人才培育(完成43%,序时进度53%)、…。'"""
    red = [ln for ln in lines if ln.status == "red" and ln.target is not None and ln.target.share is not None]
    if not red:
        return None
    items = [
        tr(
            "narrative.summary.red_item",
            lang,
            name=ln.indicator.text("name", lang),
            share=share_text(ln.target.share),  # type: ignore[union-attr,arg-type]
            elapsed=share_text(ln.target.elapsed),  # type: ignore[union-attr]
        )
        for ln in red
    ]
    key = "narrative.summary.red.one" if len(red) == 1 else "narrative.summary.red.other"
    text = tr(key, lang, n=len(red), items=listed(items, lang))
    return Paragraph("summary.red", text, {"indicators": [ln.indicator.id for ln in red]}, "red")


def areas_summary(areas: pd.DataFrame, lang: str) -> Paragraph | None:
    """'2个方面任务进度落后于按期完成所需进度:…。'"""
    behind = areas[areas["behind"]]
    if behind.empty:
        return None
    items = [
        tr(
            "narrative.summary.area_item",
            lang,
            area=r.area,
            actual=share_text(float(r.progress)),
            expected=share_text(float(r.expected)),
        )
        for r in behind.itertuples()
    ]
    key = "narrative.summary.areas.one" if len(behind) == 1 else "narrative.summary.areas.other"
    text = tr(key, lang, n=len(behind), items=listed(items, lang))
    return Paragraph("summary.areas", text, {"areas": list(behind["area_id"])}, "red")


def overdue_summary(tasks: pd.DataFrame, lang: str) -> Paragraph | None:
    """'7项任务逾期:高质量就业1项、…。' (by area, in declared order)."""
    late = tasks[tasks["overdue"]]
    if late.empty:
        return None
    by_area = late.groupby(["area_id", "area"], sort=False).size()
    items = [tr("narrative.summary.overdue_item", lang, area=area, k=int(k)) for (_, area), k in by_area.items()]
    key = "narrative.summary.overdue.one" if len(late) == 1 else "narrative.summary.overdue.other"
    text = tr(key, lang, n=len(late), items=join_items(items, lang))
    return Paragraph("summary.overdue", text, {"tasks": list(late["task_id"])}, "red")


def declines_summary(falling: list[IndicatorLine], lang: str) -> Paragraph | None:
    """'同比降幅较大:数字技能人才培育(下降23.9%)、…。'"""
    if not falling:
        return None
    items = [
        tr(
            "narrative.summary.decline_item",
            lang,
            name=ln.indicator.text("name", lang),
            pct=change_pct_text(ln.value.yoy.delta_pct or 0.0),
        )
        for ln in falling
    ]
    text = tr("narrative.summary.declines", lang, items=join_items(items, lang))
    return Paragraph("summary.declines", text, {"indicators": [ln.indicator.id for ln in falling]})


# -- the whole analysis ----------------------------------------------------------------------------------------
def analyse(engine: Engine, filters: Filters, lang: str = "zh") -> Analysis:
    """The written analysis for the filters, in lang: headline, areas, 需关注, key messages, one line per indicator."""
    filters = engine.check_filters(filters)
    period = engine.period(filters)
    lines = {i.id: indicator_line(engine, i, filters, lang) for i in engine.config.indicators}
    headline_lines = [lines[i.id] for i in engine.config.headline_indicators() if i.id != TASKS_COMPLETED]
    ordered = list(lines.values())
    has_tasks = "tasks" in engine.config.datasets
    if has_tasks:
        ledger = current_ledger(engine)  # one reading of the report store for all three
        tasks = task_table(engine, lang, None, ledger)
        summary = area_summary(engine, lang, None, ledger)
        progress = area_progress(engine, filters, lang, None, ledger)
    else:
        tasks = pd.DataFrame(columns=["overdue", "area_id", "task_id"])
        summary = pd.DataFrame(columns=["area_id", "behind"])
        progress = pd.DataFrame(columns=["area_id", "total"])
    overdue = tasks[tasks["overdue"]].groupby("area_id").size().to_dict() if has_tasks else {}

    first = [tasks_sentence(engine, filters, period, lang), pace_sentence(headline_lines, lang)]
    yoy = yoy_sentence(headline_lines, lang)
    sentences = tuple(p for p in [*first, yoy] if p is not None)
    headline = Paragraph(
        "headline",
        sentences_text([p.text for p in sentences], lang),
        {k: v for p in sentences for k, v in p.facts.items()},
        worst(*(p.status for p in sentences)),
        tuple(p.text for p in sentences),
    )
    red = red_items(ordered, lang)
    falling = [ln for ln in declines(ordered) if ln.status != "red"]  # red ones are listed already
    late = tasks[tasks["overdue"]] if has_tasks else tasks
    attention = (
        *red,
        *behind_items(summary, lang),
        *overdue_items(late, lang),
        *(decline_item(ln, lang) for ln in falling),
    )
    summaries = tuple(
        p
        for p in (
            red_summary(ordered, lang),
            areas_summary(summary, lang),
            overdue_summary(late, lang),
            declines_summary(falling, lang),
        )
        if p is not None
    )
    return Analysis(
        lang=lang,
        period=period,
        period_text=period_text(period, lang),
        headline=headline,
        sentences=sentences,
        messages=key_messages(sentences, summaries),
        areas=tuple(area_paragraph(engine, a.id, lines, progress, overdue, period, lang) for a in engine.config.areas),
        attention=attention,
        summaries=summaries,
        indicators={i: indicator_paragraph(ln, lang) for i, ln in lines.items()},
        lines=lines,
    )


def key_messages(sentences: tuple[Paragraph, ...], summaries: tuple[Paragraph, ...]) -> tuple[Paragraph, ...]:
    """3–5 messages for a meeting: tasks and pace first, then red items and overdue tasks, then 同比, then the rest."""
    by_id = {p.id: p for p in (*sentences, *summaries)}
    order = [
        "headline.tasks",
        "headline.pace",
        "summary.red",
        "summary.overdue",
        "headline.yoy",
        "summary.areas",
        "summary.declines",
    ]
    return tuple(by_id[i] for i in order if i in by_id)[:MAX_MESSAGES]


def attention_none(lang: str) -> str:
    """What the 需关注 list says when it is empty."""
    return tr("narrative.attention_none", lang)

"""The meeting pack: a 16:9 PPTX with the task progress, one slide per headline indicator, a summary and sources."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Inches

from ..engine import Engine
from ..formatting import format_delta, format_number
from ..i18n import pick, t
from ..overview import Card, headline_cards
from ..periods import Filters
from ..tables import province_label, values_frame
from ..tasks import area_summary, burnup
from . import images
from . import slides as S
from .charts import export_figure
from .headline import Chart, headline_charts, source_text, task_charts
from .metadata import filters_text, sample_note

Progress = Callable[[int, int, str], None]
ROWS_PER_SLIDE = 12
# Chart pictures in layout pixels (rendered at images.SCALE×): wide for trends, square for the donut.
# Smaller layouts read larger on the slide: 16 px type on an 820 px chart 8.6 in wide is about 12 pt.
CHART_PX = (820, 505)
DONUT_PX = (420, 420)

WORDS: dict[str, tuple[str, str]] = {
    "pack": ("会议材料", "Meeting pack"),
    "value": ("数值", "Value"),
    "change": ("较上期变化", "Change vs previous period"),
    "previous": ("上期", "Previous period"),
    "no_previous": ("上期无数据", "no data for the previous period"),
    "scope": ("范围", "Scope"),
    "target": ("目标", "Target"),
    "reached": ("已达", "reached"),
    "summary": ("全部指标一览", "All indicators at a glance"),
    "indicator": ("指标", "Indicator"),
    "unit": ("单位", "Unit"),
    "sources": ("数据来源与说明", "Sources and notes"),
    "indicators_n": ("项指标", "indicators"),
    "generated": ("生成时间", "Generated"),
    "made_by": ("由看板导出功能生成(python -m metrics deck)", "Made by the dashboard's export (python -m metrics deck)"),
    "overdue_n": ("逾期", "Overdue"),
    "in_progress_n": ("进行中", "In progress"),
    "pace_now": ("近12个月平均完成", "Completed per month, last 12 months"),
    "pace_needed": ("按期完成每月需完成", "Needed per month to finish on time"),
    "projected": ("按当前速度预计全部完成", "All done at the current pace by"),
    "on_track": ("进度正常", "On track"),
    "off_track": ("进度滞后", "Behind schedule"),
    "per_month": ("项/月", "tasks/month"),
    "no_images": ("图表图片不可用", "Chart images unavailable"),
    "rendering": ("正在绘制图表", "Rendering charts"),
    "assembling": ("正在组装幻灯片", "Assembling slides"),
}


def w(key: str, lang: str) -> str:
    """A deck word in lang."""
    return pick(WORDS[key], lang)


@dataclass(frozen=True)
class Context:
    """What every slide needs to know."""

    engine: Engine
    filters: Filters
    lang: str
    generated: datetime

    @property
    def zh(self) -> bool:
        return self.lang == "zh"

    def as_of_line(self) -> str:
        """'期间: … · 数据截至: …' (+ the sample-data marker)."""
        parts = [f"{t('period', self.lang)}: {self.engine.period(self.filters).label()}",
                 f"{t('as_of', self.lang)}: {self.engine.as_of.isoformat()}"]
        if sample_note(self.engine, self.lang):
            parts.append(f"{t('sample_data', self.lang)} ({t('illustrative', self.lang)})")
        return " · ".join(parts)


# -- pictures -----------------------------------------------------------------------------------
def render_pictures(figs: dict[str, tuple], progress: Progress, total: int) -> dict[str, bytes]:
    """PNG bytes per chart key through the warm renderer; empty when Chromium is unavailable."""
    out: dict[str, bytes] = {}
    r = images.renderer()
    for i, (key, (fig, (width, height))) in enumerate(figs.items()):
        progress(i, total, key)
        try:
            out[key] = r.render(fig, "png", width=width, height=height)
        except images.ImageExportUnavailable:
            return {}
    return out


def picture_or_hint(slide, png: bytes | None, box: S.Box, lang: str) -> None:
    """The chart picture, or a note on how to enable image export."""
    if png:
        S.add_picture(slide, png, box)
    else:
        S.add_text(slide, box, [(w("no_images", lang), 18, True, S.MUTED), (images.enable_hint(lang), 12, False,
                                                                              S.MUTED)],
                   anchor=MSO_ANCHOR.MIDDLE)


# -- slides ---------------------------------------------------------------------------------------
def title_slide(prs, ctx: Context) -> None:
    """Project title, agreement, period, scope and as-of date."""
    cfg = ctx.engine.config.project
    slide = prs.slides.add_slide(prs.slide_layouts[S.TITLE_SLIDE])
    title, subtitle = slide.shapes.title, slide.placeholders[1]
    title.left, title.top, title.width, title.height = S.MARGIN, Inches(1.6), S.WIDTH - 2 * S.MARGIN, Inches(1.5)
    S.write_lines(title.text_frame, [(cfg.title_zh if ctx.zh else cfg.title_en, 36, True, S.DARK),
                                      (w("pack", ctx.lang), 24, False, S.ACCENT)], PP_ALIGN.CENTER)
    subtitle.left, subtitle.top = S.MARGIN, Inches(3.5)
    subtitle.width, subtitle.height = S.WIDTH - 2 * S.MARGIN, Inches(2.0)
    lines = [(cfg.agreement.name_zh if ctx.zh else cfg.agreement.name_en, 16, False, S.DARK)]
    lines += [(f"{k}: {v}", 16, False, S.DARK) for k, v in filters_text(ctx.engine, ctx.filters, ctx.lang)]
    lines.append((f"{t('as_of', ctx.lang)}: {ctx.engine.as_of.isoformat()}", 18, True, S.ACCENT))
    S.write_lines(subtitle.text_frame, lines, PP_ALIGN.CENTER, space_after=2)
    note = sample_note(ctx.engine, ctx.lang)
    if note:
        S.footnote(slide, [note])


def tasks_slide(prs, ctx: Context, pics: dict[str, bytes]) -> None:
    """Task progress overall (donut and counts) and by area (stacked bars)."""
    s = area_summary(ctx.engine, ctx.lang)
    total, done = int(s["total"].sum()), int(s["completed"].sum())
    slide = S.content_slide(prs, t("task_progress_title", ctx.lang))
    picture_or_hint(slide, pics.get("task_progress"), S.Box(S.MARGIN, Inches(1.4), Inches(3.6), Inches(3.6)),
                    ctx.lang)
    unit = t("count_unit_tasks", ctx.lang)
    S.add_text(slide, S.Box(S.MARGIN, Inches(5.0), Inches(3.6), Inches(1.4)), [
        (f"{t('completed', ctx.lang)} {done}/{total} {unit} ({done / total:.0%})", 18, True, S.GOOD),
        (f"{w('in_progress_n', ctx.lang)} {int(s['in_progress'].sum())} · "
         f"{w('overdue_n', ctx.lang)} {int(s['overdue'].sum())} {unit}", 14, False, S.DARK),
    ], align=PP_ALIGN.CENTER)
    picture_or_hint(slide, pics.get("tasks_by_area"), S.Box(Inches(4.4), Inches(1.35), Inches(8.45), Inches(5.2)),
                    ctx.lang)
    S.footnote(slide, [f"{t('source', ctx.lang)}: {_tasks_source(ctx)}",
                       f"{t('as_of', ctx.lang)}: {ctx.engine.as_of.isoformat()}"])


def _tasks_source(ctx: Context) -> str:
    ds = ctx.engine.config.datasets.get("tasks")
    return (ds.title_zh if ctx.zh else ds.title_en) if ds else ""


def burnup_slide(prs, ctx: Context, pics: dict[str, bytes]) -> None:
    """Tasks completed over time against the pace needed, with the projection."""
    b = burnup(ctx.engine)
    slide = S.content_slide(prs, t("burnup_title", ctx.lang))
    picture_or_hint(slide, pics.get("tasks_burnup"), S.Box(S.MARGIN, Inches(1.35), Inches(8.6), Inches(5.3)),
                    ctx.lang)
    per = w("per_month", ctx.lang)
    lines = [
        (w("on_track" if b.on_track else "off_track", ctx.lang), 24, True, S.GOOD if b.on_track else S.BAD),
        (w("pace_now", ctx.lang), 12, False, S.MUTED), (f"{b.current_per_month:.1f} {per}", 20, True, S.DARK),
        (w("pace_needed", ctx.lang), 12, False, S.MUTED), (f"{b.required_per_month:.1f} {per}", 20, True, S.DARK),
        (w("projected", ctx.lang), 12, False, S.MUTED),
        (b.projected_completion.strftime("%Y-%m") if b.projected_completion else "—", 20, True, S.DARK),
        (f"{t('target', ctx.lang)}: {b.total} · {b.due.isoformat()}", 12, False, S.MUTED),
    ]
    S.add_text(slide, S.Box(Inches(9.4), Inches(1.5), Inches(3.45), Inches(5.0)), lines)
    S.footnote(slide, [f"{t('source', ctx.lang)}: {_tasks_source(ctx)}",
                       f"{t('as_of', ctx.lang)}: {ctx.engine.as_of.isoformat()}"])


def _value_lines(ctx: Context, card: Card) -> list[tuple]:
    ind, v, lang = card.indicator, card.value, ctx.lang
    unit = ind.unit(lang)
    sep = "" if ctx.zh else " "
    value = format_number(v.value, lang, ind.format)
    lines = [(w("value", lang), 12, False, S.MUTED),
             (value, value_size(value), True, S.ACCENT), (unit, 14, False, S.MUTED),
             (w("change", lang), 12, False, S.MUTED)]
    if v.delta is None:
        lines.append((w("no_previous", lang), 14, False, S.MUTED))
    else:
        color = S.GOOD if v.delta >= 0 else S.BAD
        lines.append((format_delta(v.delta, v.delta_pct, lang, ind.format), 20, True, color))
    lines.append((f"{w('previous', lang)}: {v.previous_period.label()}", 11, False, S.MUTED))
    if ind.target and card.target_progress is not None:
        tv = format_number(ind.target.value, lang, ind.format)
        lines.append((f"{w('target', lang)}: {tv}{sep}{unit} ({ind.target.due.isoformat()}) · "
                      f"{w('reached', lang)} {card.target_progress:.0%}", 12, True, S.DARK))
    lines.append((f"{w('scope', lang)}: {_scope(ctx, card)}", 11, False, S.MUTED))
    lines.append((ind.description(lang), 11, False, S.MUTED))
    return lines


def value_size(text: str) -> float:
    """The big number's size: as large as fits one line of the side panel."""
    return 40 if len(text) <= 8 else 32 if len(text) <= 11 else 26


def _scope(ctx: Context, card: Card) -> str:
    """The province the value covers, saying so when the indicator is not split by province."""
    if card.value.province_applied:
        return province_label(ctx.engine, ctx.filters.province, ctx.lang)
    if ctx.filters.province and not card.indicator.by_province:
        return "不分省市(两地合计)" if ctx.zh else "not split by province (both)"
    return t("both", ctx.lang)


def indicator_slide(prs, ctx: Context, card: Card, chart: Chart, png: bytes | None) -> None:
    """One headline indicator: its chart, value, change against the previous period and a footnote."""
    slide = S.content_slide(prs, chart.text.title)
    picture_or_hint(slide, png, S.Box(S.MARGIN, Inches(1.35), Inches(8.6), Inches(5.3)), ctx.lang)
    S.add_text(slide, S.Box(Inches(9.4), Inches(1.45), Inches(3.45), Inches(5.1)), _value_lines(ctx, card))
    S.footnote(slide, [f"{t('source', ctx.lang)}: {source_text(card.indicator, ctx.lang)}", ctx.as_of_line()])


def summary_slides(prs, ctx: Context) -> None:
    """Every indicator's value, unit and change, ROWS_PER_SLIDE to a slide."""
    df = values_frame(ctx.engine, ctx.filters, ctx.lang)
    fmt = {i.id: i.format for i in ctx.engine.config.indicators}
    rows = [[r.name, format_number(r.value, ctx.lang, fmt[r.indicator_id]), r.unit,
             format_delta(r.delta, r.delta_pct, ctx.lang, fmt[r.indicator_id]), r.scope]
            for r in df.itertuples(index=False)]
    header = [w("indicator", ctx.lang), w("value", ctx.lang), w("unit", ctx.lang), w("change", ctx.lang),
              w("scope", ctx.lang)]
    pages = [rows[i:i + ROWS_PER_SLIDE] for i in range(0, len(rows), ROWS_PER_SLIDE)]
    for n, page in enumerate(pages, 1):
        suffix = f" ({n}/{len(pages)})" if len(pages) > 1 else ""
        slide = S.content_slide(prs, w("summary", ctx.lang) + suffix)
        S.add_table(slide, S.Box(S.MARGIN, Inches(1.35), S.WIDTH - 2 * S.MARGIN, Inches(4.9)), header, page,
                    [0.42, 0.11, 0.1, 0.15, 0.22], right_align={1, 3}, size=11)
        S.footnote(slide, [ctx.as_of_line()])


def closing_slide(prs, ctx: Context) -> None:
    """The sources behind the numbers, the sample-data note, as-of and generation time."""
    slide = S.content_slide(prs, w("sources", ctx.lang))
    counts: dict[str, int] = {}
    for ind in ctx.engine.config.indicators:
        key = source_text(ind, ctx.lang)
        counts[key] = counts.get(key, 0) + 1
    lines = [(f"• {src} ({n} {w('indicators_n', ctx.lang)})", 16, False, S.DARK) for src, n in counts.items()]
    ds = ctx.engine.config.datasets
    lines.append((f"• {t('tasks', ctx.lang)}: {_tasks_source(ctx)}" if "tasks" in ds else "", 16, False, S.DARK))
    note = sample_note(ctx.engine, ctx.lang)
    if note:
        lines.append((note, 13, False, S.MUTED))
    lines += [(f"{t('as_of', ctx.lang)}: {ctx.engine.as_of.isoformat()} · {w('generated', ctx.lang)}: "
               f"{ctx.generated.isoformat(timespec='minutes')}", 13, False, S.MUTED),
              (w("made_by", ctx.lang), 12, False, S.MUTED)]
    S.add_text(slide, S.Box(S.MARGIN, Inches(1.5), S.WIDTH - 2 * S.MARGIN, Inches(5.5)),
               [ln for ln in lines if ln[0]])


# -- the pack --------------------------------------------------------------------------------------
def _figures(ctx: Context, task: list[Chart], headline: list[Chart]) -> dict[str, tuple]:
    figs: dict[str, tuple] = {}
    for c in task:
        size = DONUT_PX if c.name == "task_progress" else CHART_PX
        fig = export_figure(c.figure, c.text, title=False, footnote=False)
        if c.name == "task_progress":
            fig.update_layout(margin=dict(l=8, r=8, t=8, b=8))
            fig.update_annotations(font_size=34)
        figs[c.name] = (fig, size)
    for c in headline:
        figs[c.name] = (export_figure(c.figure, c.text, title=False, footnote=False), CHART_PX)
    return figs


def build_deck(engine: Engine, filters: Filters = Filters(), lang: str = "zh",
               progress: Progress | None = None, generated: datetime | None = None) -> bytes:
    """The whole meeting pack as .pptx bytes; progress(done, total, what) is called as it builds."""
    ctx = Context(engine, filters, lang, generated or datetime.now().astimezone())
    report = progress or (lambda done, total, what: None)
    task, headline = task_charts(engine, lang), headline_charts(engine, filters, lang)
    figs = _figures(ctx, task, headline)
    total = len(figs) + 1
    pics = render_pictures(figs, lambda i, n, key: report(i, n, f"{w('rendering', lang)} {i + 1}/{len(figs)}"),
                           total)
    report(len(figs), total, w("assembling", lang))
    cfg = engine.config.project
    prs = S.new_presentation(f"{cfg.title_zh if lang == 'zh' else cfg.title_en} · {w('pack', lang)}")
    title_slide(prs, ctx)
    tasks_slide(prs, ctx, pics)
    burnup_slide(prs, ctx, pics)
    charts = {c.name: c for c in headline}
    for card in headline_cards(engine, filters):
        indicator_slide(prs, ctx, card, charts[card.indicator.id], pics.get(card.indicator.id))
    summary_slides(prs, ctx)
    closing_slide(prs, ctx)
    data = S.to_bytes(prs)
    report(total, total, w("assembling", lang))
    return data

"""The meeting pack: a 16:9 PPTX with the task progress, one slide per headline indicator, a summary and sources."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Inches

from ..charts import Chart, headline_charts, task_charts
from ..comparisons import change_text, comparison_label
from ..engine import Engine
from ..figures.fit import export_figure
from ..formatting import format_number
from ..i18n import tr
from ..overview import Card, headline_cards
from ..periods import Filters
from ..provenance import (
    data_as_of,
    dataset_as_of,
    indicator_as_of,
    local_now,
    local_time_text,
    scope_of,
    source_text,
    tasks_source,
)
from ..tables import values_frame
from ..tasks import area_summary, burnup
from . import images
from . import slides as S
from .metadata import filters_text, sample_note

Progress = Callable[[int, int, str], None]
ROWS_PER_SLIDE = 12
# Chart pictures in layout pixels (rendered at images.SCALE×): wide for trends, square for the donut.
# Smaller layouts read larger on the slide: 16 px type on an 820 px chart 8.6 in wide is about 12 pt.
CHART_PX = (820, 505)
DONUT_PX = (420, 420)


def w(key: str, lang: str) -> str:
    """A deck word in lang."""
    return tr(f"deck.{key}", lang)


@dataclass(frozen=True)
class Context:
    """What every slide needs to know."""

    engine: Engine
    filters: Filters
    lang: str
    generated: datetime

    def as_of_line(self, as_of: str | None = None) -> str:
        """'期间: … · 数据截至: …' (+ the sample-data marker)."""
        parts = [
            f"{tr('word.period', self.lang)}: {self.engine.period(self.filters).label()}",
            f"{tr('word.as_of', self.lang)}: {as_of or data_as_of(self.engine).label()}",
        ]
        if sample_note(self.engine, self.lang):
            parts.append(f"{tr('word.sample_data', self.lang)} ({tr('word.illustrative', self.lang)})")
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
        S.add_text(
            slide,
            box,
            [(w("no_images", lang), 18, True, S.MUTED), (images.enable_hint(lang), 12, False, S.MUTED)],
            anchor=MSO_ANCHOR.MIDDLE,
        )


# -- slides ---------------------------------------------------------------------------------------
def title_slide(prs, ctx: Context) -> None:
    """Project title, agreement, period, scope and as-of date."""
    cfg = ctx.engine.config.project
    slide = prs.slides.add_slide(prs.slide_layouts[S.TITLE_SLIDE])
    title, subtitle = slide.shapes.title, slide.placeholders[1]
    title.left, title.top, title.width, title.height = S.MARGIN, Inches(1.6), S.WIDTH - 2 * S.MARGIN, Inches(1.5)
    S.write_lines(
        title.text_frame,
        [(cfg.text("title", ctx.lang), 36, True, S.DARK), (w("pack", ctx.lang), 24, False, S.ACCENT)],
        PP_ALIGN.CENTER,
    )
    subtitle.left, subtitle.top = S.MARGIN, Inches(3.5)
    subtitle.width, subtitle.height = S.WIDTH - 2 * S.MARGIN, Inches(2.0)
    lines = [(cfg.agreement.text("name", ctx.lang), 16, False, S.DARK)]
    lines += [(f"{k}: {v}", 16, False, S.DARK) for k, v in filters_text(ctx.engine, ctx.filters, ctx.lang)]
    lines.append((f"{tr('word.as_of', ctx.lang)}: {data_as_of(ctx.engine).label()}", 18, True, S.ACCENT))
    S.write_lines(subtitle.text_frame, lines, PP_ALIGN.CENTER, space_after=2)
    note = sample_note(ctx.engine, ctx.lang)
    if note:
        S.footnote(slide, [note])


def tasks_slide(prs, ctx: Context, pics: dict[str, bytes]) -> None:
    """Task progress overall (donut and counts) and by area (stacked bars)."""
    s = area_summary(ctx.engine, ctx.lang)
    total, done = int(s["total"].sum()), int(s["completed"].sum())
    slide = S.content_slide(prs, tr("word.task_progress_title", ctx.lang))
    picture_or_hint(slide, pics.get("task-progress"), S.Box(S.MARGIN, Inches(1.4), Inches(3.6), Inches(3.6)), ctx.lang)
    unit = tr("word.count_unit_tasks", ctx.lang)
    S.add_text(
        slide,
        S.Box(S.MARGIN, Inches(5.0), Inches(3.6), Inches(1.4)),
        [
            (f"{tr('word.completed', ctx.lang)} {done}/{total} {unit} ({done / total:.0%})", 18, True, S.GOOD),
            (
                f"{tr('status.in_progress', ctx.lang)} {int(s['in_progress'].sum())} · "
                f"{tr('status.overdue', ctx.lang)} {int(s['overdue'].sum())} {unit}",
                14,
                False,
                S.DARK,
            ),
        ],
        align=PP_ALIGN.CENTER,
    )
    picture_or_hint(
        slide, pics.get("tasks-by-area-status"), S.Box(Inches(4.4), Inches(1.35), Inches(8.45), Inches(5.2)), ctx.lang
    )
    S.footnote(
        slide,
        [f"{tr('word.source', ctx.lang)}: {_tasks_source(ctx)}", f"{tr('word.as_of', ctx.lang)}: {_tasks_as_of(ctx)}"],
    )


def _tasks_source(ctx: Context) -> str:
    return tasks_source(ctx.engine.config, ctx.lang)


def _tasks_as_of(ctx: Context) -> str:
    as_of = dataset_as_of(ctx.engine, "tasks")
    return (as_of or data_as_of(ctx.engine)).label()


def burnup_slide(prs, ctx: Context, pics: dict[str, bytes]) -> None:
    """Tasks completed over time against the pace needed, with the projection."""
    b = burnup(ctx.engine)
    slide = S.content_slide(prs, tr("word.burnup_title", ctx.lang))
    picture_or_hint(slide, pics.get("tasks-burnup"), S.Box(S.MARGIN, Inches(1.35), Inches(8.6), Inches(5.3)), ctx.lang)
    per = w("per_month", ctx.lang)
    lines = [
        (w("on_track" if b.on_track else "off_track", ctx.lang), 24, True, S.GOOD if b.on_track else S.BAD),
        (w("pace_now", ctx.lang), 12, False, S.MUTED),
        (f"{b.current_per_month:.1f} {per}", 20, True, S.DARK),
        (w("pace_needed", ctx.lang), 12, False, S.MUTED),
        (f"{b.required_per_month:.1f} {per}", 20, True, S.DARK),
        (w("projected", ctx.lang), 12, False, S.MUTED),
        (b.projected_completion.strftime("%Y-%m") if b.projected_completion else "—", 20, True, S.DARK),
        (f"{tr('word.target', ctx.lang)}: {b.total} · {b.due.isoformat()}", 12, False, S.MUTED),
    ]
    S.add_text(slide, S.Box(Inches(9.4), Inches(1.5), Inches(3.45), Inches(5.0)), lines)
    S.footnote(
        slide,
        [f"{tr('word.source', ctx.lang)}: {_tasks_source(ctx)}", f"{tr('word.as_of', ctx.lang)}: {_tasks_as_of(ctx)}"],
    )


def _value_lines(ctx: Context, card: Card) -> list[tuple]:
    ind, v, lang = card.indicator, card.value, ctx.lang
    unit = ind.text("unit", lang)
    value = format_number(v.value, lang, ind.format)
    lines = [
        (tr("word.value", lang), 12, False, S.MUTED),
        (value, value_size(value), True, S.ACCENT),
        (unit, 14, False, S.MUTED),
        (w("change", lang), 12, False, S.MUTED),
    ]
    c = v.yoy
    if c.delta is None:
        lines.append((change_text(c, lang, ind.format), 14, False, S.MUTED))
    else:
        color = S.GOOD if c.delta >= 0 else S.BAD
        lines.append((change_text(c, lang, ind.format), 20, True, color))
    lines.append((comparison_label(c, lang), 11, False, S.MUTED))
    if card.target is not None and card.target.share is not None:
        tv = format_number(card.target.target.value, lang, ind.format)
        lines.append(
            (
                tr(
                    "deck.target_line",
                    lang,
                    target=tv,
                    unit=unit,
                    due=card.target.target.due.isoformat(),
                    pct=f"{card.target.share:.0%}",
                ),
                12,
                True,
                S.DARK,
            )
        )
    lines.append((f"{tr('col.scope', lang)}: {scope_of(ctx.engine, ind, ctx.filters, lang).label}", 11, False, S.MUTED))
    lines.append((ind.text("description", lang), 11, False, S.MUTED))
    return lines


def value_size(text: str) -> float:
    """The big number's size: as large as fits one line of the side panel."""
    return 40 if len(text) <= 8 else 32 if len(text) <= 11 else 26


def indicator_slide(prs, ctx: Context, card: Card, chart: Chart, png: bytes | None) -> None:
    """One headline indicator: its chart, value, change against the previous period and a footnote."""
    slide = S.content_slide(prs, chart.text.title)
    picture_or_hint(slide, png, S.Box(S.MARGIN, Inches(1.35), Inches(8.6), Inches(5.3)), ctx.lang)
    S.add_text(slide, S.Box(Inches(9.4), Inches(1.45), Inches(3.45), Inches(5.1)), _value_lines(ctx, card))
    S.footnote(
        slide,
        [
            f"{tr('word.source', ctx.lang)}: {source_text(card.indicator, ctx.lang)}",
            ctx.as_of_line(indicator_as_of(ctx.engine, card.indicator).label()),
        ],
    )


def summary_slides(prs, ctx: Context) -> None:
    """Every indicator's value, unit and change, ROWS_PER_SLIDE to a slide."""
    df = values_frame(ctx.engine, ctx.filters, ctx.lang)
    fmt = {i.id: i.format for i in ctx.engine.config.indicators}
    rows = [
        [r.name, format_number(r.value, ctx.lang, fmt[r.indicator_id]), r.unit, r.yoy_note, r.scope]
        for r in df.itertuples(index=False)
    ]
    header = [
        tr("col.name", ctx.lang),
        tr("word.value", ctx.lang),
        tr("col.unit", ctx.lang),
        w("change", ctx.lang),
        tr("col.scope", ctx.lang),
    ]
    pages = [rows[i : i + ROWS_PER_SLIDE] for i in range(0, len(rows), ROWS_PER_SLIDE)]
    for n, page in enumerate(pages, 1):
        suffix = f" ({n}/{len(pages)})" if len(pages) > 1 else ""
        slide = S.content_slide(prs, w("summary", ctx.lang) + suffix)
        S.add_table(
            slide,
            S.Box(S.MARGIN, Inches(1.35), S.WIDTH - 2 * S.MARGIN, Inches(4.9)),
            header,
            page,
            [0.42, 0.11, 0.1, 0.15, 0.22],
            right_align={1, 3},
            size=11,
        )
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
    lines.append((f"• {tr('word.tasks', ctx.lang)}: {_tasks_source(ctx)}" if "tasks" in ds else "", 16, False, S.DARK))
    note = sample_note(ctx.engine, ctx.lang)
    if note:
        lines.append((note, 13, False, S.MUTED))
    lines += [
        (
            f"{tr('word.as_of', ctx.lang)}: {data_as_of(ctx.engine).label()} · {tr('meta.generated', ctx.lang)}: "
            f"{local_time_text(ctx.generated, ctx.engine.config)}",
            13,
            False,
            S.MUTED,
        ),
        (w("made_by", ctx.lang), 12, False, S.MUTED),
    ]
    S.add_text(slide, S.Box(S.MARGIN, Inches(1.5), S.WIDTH - 2 * S.MARGIN, Inches(5.5)), [ln for ln in lines if ln[0]])


# -- the pack --------------------------------------------------------------------------------------
def _figures(ctx: Context, task: list[Chart], headline: list[Chart]) -> dict[str, tuple]:
    figs: dict[str, tuple] = {}
    for c in task:
        size = DONUT_PX if c.name == "task-progress" else CHART_PX
        fig = export_figure(c.figure, c.text, title=False, footnote=False)
        if c.name == "task-progress":
            fig.update_layout(margin=dict(l=8, r=8, t=8, b=8))
            fig.update_annotations(font_size=34)
        figs[c.name] = (fig, size)
    for c in headline:
        figs[c.name] = (export_figure(c.figure, c.text, title=False, footnote=False), CHART_PX)
    return figs


def build_deck(
    engine: Engine,
    filters: Filters = Filters(),
    lang: str = "zh",
    progress: Progress | None = None,
    generated: datetime | None = None,
) -> bytes:
    """The whole meeting pack as .pptx bytes; progress(done, total, what) is called as it builds."""
    ctx = Context(engine, filters, lang, generated or local_now(engine.config))
    report = progress or (lambda done, total, what: None)
    task, headline = task_charts(engine, filters, lang), headline_charts(engine, filters, lang)
    figs = _figures(ctx, task, headline)
    total = len(figs) + 1
    pics = render_pictures(figs, lambda i, n, key: report(i, n, f"{w('rendering', lang)} {i + 1}/{len(figs)}"), total)
    report(len(figs), total, w("assembling", lang))
    cfg = engine.config.project
    prs = S.new_presentation(f"{cfg.text('title', lang)} · {w('pack', lang)}")
    title_slide(prs, ctx)
    tasks_slide(prs, ctx, pics)
    burnup_slide(prs, ctx, pics)
    charts = {c.indicator_ids[0]: c for c in headline}
    for card in headline_cards(engine, filters):
        chart = charts[card.indicator.id]
        indicator_slide(prs, ctx, card, chart, pics.get(chart.name))
    summary_slides(prs, ctx)
    closing_slide(prs, ctx)
    data = S.to_bytes(prs)
    report(total, total, w("assembling", lang))
    return data

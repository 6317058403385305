"""The meeting pack as a briefing (16:9 PPTX): title; executive summary (key messages and the status of every
headline indicator); task progress with the burn-up; one slide per area; an appendix with one slide per headline
indicator; sources. Speaker notes carry the written analysis (metrics.narrative) behind each slide.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import plotly.graph_objects as go
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Inches, Pt

from ..catalog import TASKS_COMPLETED
from ..charts import Chart, burnup_chart, headline_charts
from ..comparisons import change_text, comparison_label
from ..config import Area
from ..engine import Engine
from ..figures.fit import export_figure
from ..formatting import format_number
from ..i18n import paren, tr
from ..narrative import Analysis, IndicatorLine, analyse, name_with_unit, progress_cell, share_text, value_text
from ..periods import Filters
from ..provenance import data_as_of, dataset_as_of, indicator_as_of, local_now, local_time_text, source_text
from ..provenance import tasks_source as tasks_source_text
from ..reports import Ledger
from ..status import COLORS, method_text, status_label
from ..supervision import MeetingSummary, completed_items, meeting_summary, missing_by_party, supervision_notes
from ..tasks import area_summary, burnup
from . import images
from . import slides as S
from .metadata import filters_text, sample_note

Progress = Callable[[int, int, str], None]
# Chart pictures in layout pixels (rendered at images.SCALE×). Smaller layouts read larger on the slide:
# 16 px type on an 820 px chart 8.6 in wide is about 12 pt.
CHART_PX = (820, 505)
BURNUP = "tasks-burnup"
TABLE_TOP = Inches(1.95)
ROW_IN = 0.34  # a status table's row height (inches)
SENTENCE_PT = 12
SENTENCE_LINE_IN = 0.24  # one line of SENTENCE_PT text with its spacing
# Columns of a status table: indicator, value, 同比, target progress (序时进度), status.
STATUS_WIDTHS = [0.40, 0.12, 0.18, 0.19, 0.11]
# Columns of the overdue table: task, lead party, due date, days late, progress, latest approved note.
OVERDUE_WIDTHS = [0.37, 0.09, 0.08, 0.07, 0.07, 0.32]
OVERDUE_ROWS = 7  # at most this many overdue tasks on the slide; the rest are in the speaker notes
LIST_ROWS = 5  # at most this many completed tasks listed on the slide
LIST_PT = 11
PARTY_LINES = 4  # at most this many lines of missing reports per party (the speaker notes list them all)
LIST_LINE_IN = 0.23  # one line of LIST_PT text with its spacing


def w(key: str, lang: str) -> str:
    """A deck word in lang."""
    return tr(f"deck.{key}", lang)


@dataclass(frozen=True)
class Context:
    """What every slide needs to know, the analysis included."""

    engine: Engine
    filters: Filters
    lang: str
    generated: datetime
    analysis: Analysis
    meeting: MeetingSummary

    def as_of_line(self, as_of: str | None = None) -> str:
        """'期间: … · 数据截至: …' (+ the sample-data marker)."""
        parts = [
            f"{tr('word.period', self.lang)}: {self.engine.period(self.filters).label()}",
            f"{tr('word.as_of', self.lang)}: {as_of or data_as_of(self.engine).label()}",
        ]
        if sample_note(self.engine, self.lang):
            parts.append(f"{tr('word.sample_data', self.lang)} ({tr('word.illustrative', self.lang)})")
        return " · ".join(parts)

    def method(self) -> str:
        """How status is decided, in words."""
        return method_text(self.engine.config.status, self.lang)


# -- pictures -----------------------------------------------------------------------------------------
def render_pictures(figs: dict[str, tuple[go.Figure, tuple[int, int]]], progress: Progress) -> dict[str, bytes]:
    """PNG bytes per chart key through the warm renderer; empty when Chromium is unavailable."""
    out: dict[str, bytes] = {}
    r = images.renderer()
    for i, (key, (fig, (width, height))) in enumerate(figs.items()):
        progress(i, len(figs) + 1, key)
        try:
            out[key] = r.render(fig, "png", width=width, height=height)
        except images.ImageExportUnavailable:
            return {}
    return out


def picture_or_hint(slide, png: bytes | None, box: S.Box, lang: str) -> None:
    """The chart picture, or a plain note that charts could not be drawn (no commands on a slide)."""
    if png:
        S.add_picture(slide, png, box)
    else:
        S.add_text(
            slide,
            box,
            [(w("no_images", lang), 18, True, S.MUTED), (w("no_images_hint", lang), 12, False, S.MUTED)],
            anchor=MSO_ANCHOR.MIDDLE,
        )


# -- the status table ---------------------------------------------------------------------------------
def status_header(lang: str) -> list[str]:
    """Indicator, this period, 同比, target progress (序时进度), status."""
    return [
        w("col_indicator", lang),
        w("col_value", lang),
        w("change", lang),
        w("col_progress", lang),
        w("col_status", lang),
    ]


def status_rows(lines: list[IndicatorLine], lang: str) -> tuple[list[list[str]], dict[tuple[int, int], str]]:
    """One row per indicator and the status cells' colours (each status also in words)."""
    rows, fills = [], {}
    for n, ln in enumerate(lines):
        ind = ln.indicator
        rows.append(
            [
                name_with_unit(ind, lang),
                format_number(ln.value.value, lang, ind.format),
                change_text(ln.value.yoy, lang, ind.format),
                progress_cell(ln.target, lang),
                status_label(ln.status, lang),
            ]
        )
        fills[(n, 4)] = COLORS[ln.status]
    return rows, fills


def status_table(slide, ctx: Context, lines: list[IndicatorLine], box: S.Box, size: float = 10.5) -> None:
    """The status table of some indicators."""
    rows, fills = status_rows(lines, ctx.lang)
    S.add_table(
        slide,
        box,
        status_header(ctx.lang),
        rows,
        STATUS_WIDTHS,
        right_align={1, 2, 3},
        size=size,
        fills=fills,
        row_height=ROW_IN,
        name="Status table",
    )


# -- slides -------------------------------------------------------------------------------------------
def title_slide(prs, ctx: Context) -> None:
    """Project title, agreement, period, scope and as-of date; notes: the headline paragraph."""
    cfg = ctx.engine.config.project
    slide = prs.slides.add_slide(prs.slide_layouts[S.TITLE_SLIDE])
    title, subtitle = slide.shapes.title, slide.placeholders[1]
    title.left, title.top, title.width, title.height = S.MARGIN, Inches(1.5), S.WIDTH - 2 * S.MARGIN, Inches(1.6)
    S.write_lines(
        title.text_frame,
        [
            (cfg.text("title", ctx.lang), 34, True, S.DARK),
            (f"{w('pack', ctx.lang)} · {ctx.analysis.period_text}", 24, False, S.ACCENT),
        ],
        PP_ALIGN.CENTER,
    )
    subtitle.left, subtitle.top = S.MARGIN, Inches(3.5)
    subtitle.width, subtitle.height = S.WIDTH - 2 * S.MARGIN, Inches(2.2)
    lines: list[S.Line] = [(cfg.agreement.text("name", ctx.lang), 16, False, S.DARK)]
    lines += [(f"{k}: {v}", 16, False, S.DARK) for k, v in filters_text(ctx.engine, ctx.filters, ctx.lang)]
    lines.append((f"{tr('word.as_of', ctx.lang)}: {data_as_of(ctx.engine).label()}", 18, True, S.ACCENT))
    if cfg.text("issuing_body", ctx.lang):
        lines.append((cfg.text("issuing_body", ctx.lang), 14, False, S.MUTED))
    S.write_lines(subtitle.text_frame, lines, PP_ALIGN.CENTER, space_after=2)
    note = sample_note(ctx.engine, ctx.lang)
    if note:
        S.footnote(slide, [note])
    S.set_notes(slide, [ctx.analysis.headline.text])


def headline_lines(ctx: Context) -> list[IndicatorLine]:
    """Every headline indicator's line, in the order the config declares (the tasks first)."""
    return [ctx.analysis.lines[i.id] for i in ctx.engine.config.headline_indicators()]


def summary_slide(prs, ctx: Context) -> None:
    """Key messages from the analysis beside the status of every headline indicator."""
    a, lang = ctx.analysis, ctx.lang
    slide = S.content_slide(prs, f"{w('exec_summary', lang)} · {a.period_text}")
    lines: list[S.Line] = [(w("key_messages", lang), 14, True, S.ACCENT)]
    lines += [(f"{n}. {p.text}", 12.5, False, S.DARK) for n, p in enumerate(a.messages, 1)]
    S.add_text(slide, S.Box(S.MARGIN, Inches(1.35), Inches(4.15), Inches(5.3)), lines)
    status_table(slide, ctx, headline_lines(ctx), S.Box(Inches(4.83), Inches(1.4), Inches(8.0), Inches(4.6)), 10)
    S.footnote(slide, [ctx.method(), ctx.as_of_line()])
    S.set_notes(slide, [a.headline.text, *(p.text for p in a.summaries)])


def tasks_slide(prs, ctx: Context, pics: dict[str, bytes]) -> None:
    """Tasks completed over time against the pace needed, with where the agreement stands and its pace."""
    engine, lang, a = ctx.engine, ctx.lang, ctx.analysis
    b, summary = burnup(engine), area_summary(engine, lang)
    slide = S.content_slide(prs, tr("word.task_progress_title", lang))
    picture_or_hint(slide, pics.get(BURNUP), S.Box(S.MARGIN, Inches(1.35), Inches(8.6), Inches(5.3)), lang)
    left, width = Inches(9.4), Inches(3.45)
    facts = next((p.facts for p in a.sentences if p.id == "headline.tasks"), {})
    head: list[S.Line] = []
    if facts:
        done, total = int(str(facts["tasks_completed"])), int(str(facts["tasks_total"]))
        text = tr("deck.tasks_done", lang, done=done, total=total, share=share_text(done / total))
        head.append((text, 18, True, S.DARK))
    line = a.lines.get(TASKS_COMPLETED)
    if line is not None and line.target is not None:
        head.append((tr("deck.elapsed", lang, elapsed=share_text(line.target.elapsed)), 14, False, S.MUTED))
        chip = S.Box(left + Inches(0.05), Inches(2.45), Inches(1.3), Inches(0.36))
        S.add_chip(slide, chip, status_label(line.status, lang), COLORS[line.status])
    S.add_text(slide, S.Box(left, Inches(1.4), width, Inches(1.0)), head)
    counts = tr(
        "deck.task_counts",
        lang,
        in_progress=int(summary["in_progress"].sum()),
        overdue=int(summary["overdue"].sum()),
        as_of=_tasks_as_of(ctx),
    )
    per = w("per_month", lang)
    projected = b.projected_completion.strftime("%Y-%m") if b.projected_completion else format_number(None)
    pace: list[S.Line] = [
        (counts, 12, False, S.DARK),
        (w("on_track" if b.on_track else "off_track", lang), 20, True, S.GOOD if b.on_track else S.BAD),
        (w("pace_now", lang), 11, False, S.MUTED),
        (f"{b.current_per_month:.1f} {per}", 16, True, S.DARK),
        (w("pace_needed", lang), 11, False, S.MUTED),
        (f"{b.required_per_month:.1f} {per}", 16, True, S.DARK),
        (w("projected", lang), 11, False, S.MUTED),
        (projected, 16, True, S.DARK),
        (f"{tr('word.target', lang)}: {b.total} · {b.due.isoformat()}", 11, False, S.MUTED),
    ]
    S.add_text(slide, S.Box(left, Inches(3.0), width, Inches(3.6)), pace)
    S.footnote(
        slide, [f"{tr('word.source', lang)}: {_tasks_source(ctx)}", f"{tr('word.as_of', lang)}: {_tasks_as_of(ctx)}"]
    )
    notes = [p.text for p in a.sentences if p.id == "headline.tasks"]
    notes += [p.text for p in a.summaries if p.id in ("summary.overdue", "summary.areas")]
    notes += [p.text for p in a.attention if p.id.startswith(("attention.task.", "attention.area."))]
    S.set_notes(slide, notes)


def supervision_slide(prs, ctx: Context) -> None:
    """督办: tasks completed since the last meeting, overdue tasks with their lead party and latest approved note,
    and the reports missing after the deadline per party. Notes are set as plain text and clipped to fit; the
    speaker notes carry every item whole."""
    m, lang = ctx.meeting, ctx.lang
    slide = S.content_slide(prs, tr("deck.supervision_title", lang, period=m.period))
    width = S.WIDTH - 2 * S.MARGIN
    counts = tr(
        "deck.sup_counts",
        lang,
        since=m.since.isoformat(),
        completed=len(m.completed),
        overdue=len(m.overdue),
        period=m.period,
        missing=len(m.missing),
        deadline=m.deadline.isoformat(),
    )
    S.add_text(slide, S.Box(S.MARGIN, Inches(1.3), width, Inches(0.45)), [(counts, 14, True, S.ACCENT)])
    top: int = Inches(1.85)
    S.add_text(slide, S.Box(S.MARGIN, top, width, Inches(0.35)), [(w("sup_overdue", lang), 12, True, S.DARK)])
    top += Inches(0.35)
    shown = m.overdue.head(OVERDUE_ROWS)
    if len(shown):
        rows = [_overdue_row(r, width, lang) for r in shown.itertuples()]
        if len(m.overdue) > len(shown):
            rows.append(["", "", "", "", "", tr("deck.sup_more", lang, n=len(m.overdue) - len(shown))])
        S.add_table(
            slide,
            S.Box(S.MARGIN, top, width, Inches(0.3) * (len(rows) + 1)),
            [
                w("col_task", lang),
                tr("col.lead", lang),
                tr("col.due_date", lang),
                w("col_days_late", lang),
                tr("col.progress_pct", lang),
                w("col_latest_note", lang),
            ],
            rows,
            OVERDUE_WIDTHS,
            right_align={3, 4},
            size=10,
            row_height=0.3,
            name="Overdue table",
        )
        top += Inches(0.3) * (len(rows) + 1) + Inches(0.2)
    else:
        S.add_text(slide, S.Box(S.MARGIN, top, width, Inches(0.3)), [(w("sup_none", lang), LIST_PT, False, S.MUTED)])
        top += Inches(0.45)
    half = (width - Inches(0.3)) // 2
    bottom = S.HEIGHT - Inches(0.8)
    room = int((bottom - top - Inches(0.35)) / Inches(LIST_LINE_IN))
    S.add_text(slide, S.Box(S.MARGIN, top, half, bottom - top), _completed_lines(m, half, room, lang))
    right = S.MARGIN + half + Inches(0.3)
    S.add_text(slide, S.Box(right, top, half, bottom - top), _missing_lines(m, half, room, lang))
    S.footnote(slide, [w("sup_footnote", lang), f"{tr('word.as_of', lang)}: {_tasks_as_of(ctx)}"])
    S.set_notes(slide, supervision_notes(m, lang))


def _overdue_row(r, width: int, lang: str) -> list[str]:
    """One overdue task as table cells, each cut to one line of its column."""
    cells = [
        f"{r.task_id} {r.title}",
        str(r.lead),
        r.due_date.isoformat(),
        tr("deck.sup_days_late", lang, n=r.days_late),
        f"{int(r.progress_pct)}%",
        str(r.note) or "—",
    ]
    pad = Inches(0.12)  # the cell's side margins
    return [S.clip(c, int(width * f) - pad, 10) for c, f in zip(cells, OVERDUE_WIDTHS, strict=True)]


def _completed_lines(m: MeetingSummary, width: int, room: int, lang: str) -> list[S.Line]:
    """'Completed since the last meeting' and one line per task (at most LIST_ROWS, or what fits)."""
    lines: list[S.Line] = [(w("sup_completed", lang), 12, True, S.DARK)]
    items = completed_items(m, lang)
    keep = min(LIST_ROWS, room, len(items))
    if keep < len(items):
        keep = max(keep - 1, 0)
    lines += [(S.clip(f"• {t}", width, LIST_PT), LIST_PT, False, S.DARK) for t in items[:keep]]
    if keep < len(items):
        lines.append((tr("deck.sup_more", lang, n=len(items) - keep), LIST_PT, False, S.MUTED))
    if not items:
        lines.append((w("sup_none", lang), LIST_PT, False, S.MUTED))
    return lines


def line_shares(needs: list[int], room: int) -> list[int]:
    """Lines for each paragraph: what it needs (PARTY_LINES at most), the longest cut first when the room is short;
    one line each at the least."""
    shares = [min(n, PARTY_LINES) for n in needs]
    while sum(shares) > room and max(shares, default=1) > 1:
        shares[shares.index(max(shares))] -= 1
    return shares


def _missing_lines(m: MeetingSummary, width: int, room: int, lang: str) -> list[S.Line]:
    """'Reports missing (to chase)' and one paragraph per reporting party, its tasks listed (cut to its share of
    the room; the speaker notes list them all)."""
    lines: list[S.Line] = [(w("sup_missing", lang), 12, True, S.BAD if len(m.missing) else S.DARK)]
    parties = [f"• {t}" for t in missing_by_party(m, lang)]
    shares = line_shares([S.line_count(t, width, LIST_PT) for t in parties], room)
    lines += [(S.clip(t, width, LIST_PT, n), LIST_PT, False, S.DARK) for t, n in zip(parties, shares, strict=True)]
    if not parties:
        lines.append((w("sup_none", lang), LIST_PT, False, S.MUTED))
    return lines


def _tasks_source(ctx: Context) -> str:
    return tasks_source_text(ctx.engine.config, ctx.lang)


def _tasks_as_of(ctx: Context) -> str:
    as_of = dataset_as_of(ctx.engine, "tasks")
    return (as_of or data_as_of(ctx.engine)).label()


def area_slide(prs, ctx: Context, area: Area) -> None:
    """One area: its tasks in a sentence, then its indicators side by side with their status."""
    a, lang = ctx.analysis, ctx.lang
    paragraph = a.area(area.id)
    slide = S.content_slide(prs, area.text("name", lang))
    opening = paragraph.parts[0] if "tasks_total" in paragraph.facts else ""
    S.add_text(
        slide, S.Box(S.MARGIN, Inches(1.3), S.WIDTH - 2 * S.MARGIN, Inches(0.55)), [(opening, 15, False, S.ACCENT)]
    )
    lines = [a.lines[i.id] for i in ctx.engine.config.indicators if i.area == area.id]
    width = S.WIDTH - 2 * S.MARGIN
    status_table(slide, ctx, lines, S.Box(S.MARGIN, TABLE_TOP, width, Inches(4.5)))
    # Below the table, as many of the paragraph's indicator sentences as fit above the footnote.
    top = TABLE_TOP + Inches(ROW_IN) * (len(lines) + 1) + Inches(0.25)
    room = S.HEIGHT - Inches(0.85) - top
    sentences = list(paragraph.parts[1:] if opening else paragraph.parts)
    shown: list[S.Line] = []
    for text in sentences:
        need = Inches(SENTENCE_LINE_IN) * S.line_count(f"• {text}", width - Inches(0.1), SENTENCE_PT) + Pt(4)
        if need > room:
            break
        shown.append((f"• {text}", SENTENCE_PT, False, S.DARK))
        room -= need
    if shown:
        S.add_text(slide, S.Box(S.MARGIN, top, width, S.HEIGHT - Inches(0.85) - top), shown)
    S.footnote(slide, [ctx.method(), ctx.as_of_line()])
    S.set_notes(slide, [paragraph.text])


def _value_lines(ctx: Context, line: IndicatorLine) -> list[S.Line]:
    ind, v, lang = line.indicator, line.value, ctx.lang
    value = format_number(v.value, lang, ind.format)
    lines: list[S.Line] = [
        (tr("word.value", lang), 12, False, S.MUTED),
        (value, value_size(value), True, S.ACCENT),
        ("" if ind.format == "percent" else ind.text("unit", lang), 14, False, S.MUTED),
        (w("change", lang), 12, False, S.MUTED),
    ]
    c = v.yoy
    if c.delta is None:
        lines.append((change_text(c, lang, ind.format), 14, False, S.MUTED))
    else:
        lines.append((change_text(c, lang, ind.format), 20, True, S.GOOD if c.delta >= 0 else S.BAD))
    lines.append((comparison_label(c, lang), 11, False, S.MUTED))
    tp = line.target
    if tp is not None and tp.share is not None:
        text = tr(
            "deck.progress_line",
            lang,
            target=value_text(ind, tp.target.value, lang),
            due=tp.target.due.isoformat(),
            share=share_text(tp.share),
            elapsed=share_text(tp.elapsed),
        )
        if tp.target.illustrative:
            text += paren(w("illustrative_target", lang), lang)
        lines.append((text, 12, True, S.DARK))
    lines.append((f"{tr('col.scope', lang)}: {line.scope.label}", 11, False, S.MUTED))
    lines.append((ind.text("description", lang), 11, False, S.MUTED))
    return [ln for ln in lines if ln[0]]


def value_size(text: str) -> float:
    """The big number's size: as large as fits one line of the side panel."""
    return 40 if len(text) <= 8 else 32 if len(text) <= 11 else 26


def indicator_slide(prs, ctx: Context, line: IndicatorLine, chart: Chart, png: bytes | None, tag: str) -> None:
    """One headline indicator: its chart, value, 同比, progress against 序时进度 with its status, a footnote."""
    slide = S.content_slide(prs, chart.text.title)
    S.add_text(
        slide,
        S.Box(Inches(10.3), Inches(0.05), Inches(2.55), Inches(0.3)),
        [(tag, 10, False, S.MUTED)],
        align=PP_ALIGN.RIGHT,
    )
    picture_or_hint(slide, png, S.Box(S.MARGIN, Inches(1.35), Inches(8.6), Inches(5.3)), ctx.lang)
    S.add_chip(
        slide,
        S.Box(Inches(9.45), Inches(1.4), Inches(1.3), Inches(0.36)),
        status_label(line.status, ctx.lang),
        COLORS[line.status],
    )
    S.add_text(slide, S.Box(Inches(9.4), Inches(1.85), Inches(3.45), Inches(4.75)), _value_lines(ctx, line))
    S.footnote(
        slide,
        [
            f"{tr('word.source', ctx.lang)}: {source_text(line.indicator, ctx.lang)}",
            ctx.as_of_line(indicator_as_of(ctx.engine, line.indicator).label()),
        ],
    )
    S.set_notes(slide, [ctx.analysis.indicators[line.indicator.id].text])


def closing_slide(prs, ctx: Context) -> None:
    """The sources behind the numbers, the status method, the sample-data note, as-of and generation time."""
    lang = ctx.lang
    slide = S.content_slide(prs, w("sources", lang))
    counts: dict[str, int] = {}
    for ind in ctx.engine.config.indicators:
        key = source_text(ind, lang)
        counts[key] = counts.get(key, 0) + 1
    lines: list[S.Line] = [(f"• {src} ({n} {w('indicators_n', lang)})", 15, False, S.DARK) for src, n in counts.items()]
    if "tasks" in ctx.engine.config.datasets:
        lines.append((f"• {tr('word.tasks', lang)}: {_tasks_source(ctx)}", 15, False, S.DARK))
    notes = data_notes(ctx)
    lines.append(("", 8, False, S.MUTED))
    lines += [(text, 12, False, S.MUTED) for text in notes]
    lines.append((w("made_by", lang), 12, False, S.MUTED))
    S.add_text(slide, S.Box(S.MARGIN, Inches(1.45), S.WIDTH - 2 * S.MARGIN, Inches(5.6)), lines)
    S.set_notes(slide, notes)


def data_notes(ctx: Context) -> list[str]:
    """The status method, what is illustrative, the as-of date and when the pack was made (local time)."""
    lang = ctx.lang
    notes = [ctx.method()]
    if any(i.target is not None and i.target.illustrative for i in ctx.engine.config.indicators):
        notes.append(w("illustrative_targets", lang))
    note = sample_note(ctx.engine, lang)
    if note:
        notes.append(note)
    notes.append(
        f"{tr('word.as_of', lang)}: {data_as_of(ctx.engine).label()} · {tr('meta.generated', lang)}: "
        f"{local_time_text(ctx.generated, ctx.engine.config)}"
    )
    return notes


# -- the pack -----------------------------------------------------------------------------------------
def _figures(task: Chart, headline: list[Chart]) -> dict[str, tuple[go.Figure, tuple[int, int]]]:
    figs = {task.name: (export_figure(task.figure, task.text, title=False, footnote=False), CHART_PX)}
    for c in headline:
        figs[c.name] = (export_figure(c.figure, c.text, title=False, footnote=False), CHART_PX)
    return figs


def build_deck(
    engine: Engine,
    filters: Filters = Filters(),
    lang: str = "zh",
    progress: Progress | None = None,
    generated: datetime | None = None,
    since: date | None = None,
    ledger: Ledger | None = None,
) -> bytes:
    """The whole meeting pack as .pptx bytes; progress(done, total, what) is called as it builds. since is the
    last meeting (default: metrics.supervision.last_meeting); ledger the reports (default: the store's)."""
    meeting = meeting_summary(engine, since, ledger=ledger, lang=lang)
    analysis = analyse(engine, filters, lang)
    ctx = Context(engine, filters, lang, generated or local_now(engine.config), analysis, meeting)
    report = progress or (lambda done, total, what: None)
    headline = [c for c in headline_charts(engine, filters, lang) if c.indicator_ids[0] != TASKS_COMPLETED]
    figs = _figures(burnup_chart(engine, lang), headline)
    total = len(figs) + 1
    pics = render_pictures(figs, lambda i, n, key: report(i, n, f"{w('rendering', lang)} {i + 1}/{len(figs)}"))
    report(len(figs), total, w("assembling", lang))
    cfg = engine.config.project
    prs = S.new_presentation(f"{cfg.text('title', lang)} · {w('pack', lang)}")
    title_slide(prs, ctx)
    summary_slide(prs, ctx)
    tasks_slide(prs, ctx, pics)
    supervision_slide(prs, ctx)
    for area in engine.config.areas:
        area_slide(prs, ctx, area)
    for n, chart in enumerate(headline, 1):
        tag = tr("deck.appendix_tag", lang, n=n, total=len(headline))
        indicator_slide(prs, ctx, ctx.analysis.lines[chart.indicator_ids[0]], chart, pics.get(chart.name), tag)
    closing_slide(prs, ctx)
    S.tag_language(prs, w("language_tag", lang))
    data = S.to_bytes(prs)
    report(total, total, w("assembling", lang))
    return data

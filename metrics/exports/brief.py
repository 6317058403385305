"""The Word brief (简报): a .docx laid out like a government work brief, written from the same analysis as the
meeting pack (metrics.narrative).

Title; issuing body and date; 一、总体进展; 二、分领域进展 (one section per area, its paragraph and a small table);
三、任务督办情况 (completed since the last meeting, overdue tasks with their latest note, 催报); 四、需关注事项;
五、数据说明 (sources, as-of, what is illustrative, the status method). Charts are pictures where
Chromium is available; without it the text is complete and the notes say the charts were left out.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import plotly.graph_objects as go
from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph as DocParagraph

from ..catalog import TASKS_COMPLETED
from ..charts import Chart, burnup_chart, monthly_chart
from ..comparisons import change_text
from ..engine import Engine
from ..figures.fit import export_figure
from ..formatting import format_number
from ..i18n import join_items, tr
from ..narrative import Analysis, IndicatorLine, analyse, month_name, name_with_unit, progress_cell
from ..periods import Filters, month_str
from ..provenance import data_as_of, local_now, local_time_text, source_text, tasks_source
from ..reports import Ledger
from ..status import COLORS, method_text, status_label
from ..supervision import MeetingSummary, completed_items, meeting_summary
from . import images
from .metadata import filters_text, sample_note

Progress = Callable[[int, int, str], None]
# Typefaces named for each script (w:ascii / w:hAnsi and w:eastAsia): Word, WPS and LibreOffice pick the same
# faces; where SimSun / SimHei are missing (Linux), the zh-CN East Asian language tag steers the fallback to a
# Simplified Chinese face.
BODY_LATIN, BODY_EA = "Times New Roman", "SimSun"
HEAD_LATIN, HEAD_EA = "Arial", "SimHei"
BODY_PT = 12
TITLE_PT = 22
MARGIN = Cm(2.6)
TEXT_CM = 21.0 - 2 * 2.6  # A4 less the side margins
TEXT_WIDTH = Cm(TEXT_CM)
RED_RULE = "C00000"  # the red line under a brief's masthead
HEADER_FILL = "1F6FB2"
# Chart pictures: layout pixels (rendered at images.SCALE×) and their width on the page.
CHART_PX = (900, 480)
CHART_WIDTH = Cm(13.5)
# Columns of an indicator table (cm, the text column's width): indicator (with its unit), value, 同比,
# target progress (序时进度), status.
TABLE_CM = (5.0, 2.2, 3.5, 3.2, 1.9)
# Columns of the overdue-task table (cm): task, lead party, due date, days late, progress, latest approved note.
OVERDUE_CM = (4.1, 2.0, 2.1, 1.7, 1.9, 4.0)  # wide enough for "Chongqing", "578 days", "Progress"


@dataclass(frozen=True)
class Context:
    """What every section needs to know."""

    engine: Engine
    filters: Filters
    lang: str
    generated: datetime
    analysis: Analysis
    pictures: dict[str, bytes]
    meeting: MeetingSummary


# -- typography ------------------------------------------------------------------------------------
def set_fonts(element, latin: str, east_asian: str, lang_tag: str) -> None:
    """Name the Latin and East Asian typefaces (no theme fonts) and tag the languages, on a style or a run."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr, face in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin), ("w:eastAsia", east_asian)):
        fonts.set(qn(attr), face)
    tag = rpr.find(qn("w:lang"))
    if tag is None:
        tag = OxmlElement("w:lang")
        rpr.append(tag)
    tag.set(qn("w:val"), lang_tag)
    tag.set(qn("w:eastAsia"), "zh-CN")


def style_document(doc: DocumentType, lang: str) -> None:
    """A4 portrait with brief margins; body in SimSun/Times New Roman, headings in SimHei/Arial, all in black."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.5)
    section.left_margin, section.right_margin = MARGIN, MARGIN
    tag = tr("deck.language_tag", lang)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    set_fonts(normal.element, BODY_LATIN, BODY_EA, tag)
    normal.paragraph_format.line_spacing = 1.35
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (("Title", TITLE_PT), ("Heading 1", 15), ("Heading 2", 13)):
        style = doc.styles[name]
        set_fonts(style.element, HEAD_LATIN, HEAD_EA, tag)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(12 if name != "Title" else 0)
        style.paragraph_format.space_after = Pt(6)
    title = doc.styles["Title"]
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # The default template draws a blue rule under the title; the brief's rule is red and sits under the masthead.
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def body(doc: DocumentType, text: str, *, indent: bool = True) -> DocParagraph:
    """A body paragraph, its first line indented by two characters as Chinese official text is set."""
    p = doc.add_paragraph(text)
    if indent:
        p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
    return p


def bottom_rule(p: DocParagraph, color: str, size: int = 12) -> None:
    """A line under a paragraph (the masthead's red rule)."""
    ppr = p._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "4"), ("w:color", color)):
        bottom.set(qn(k), v)
    border.append(bottom)
    ppr.append(border)


def shade(cell, fill: str) -> None:
    """A table cell's background colour."""
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    for k, v in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill.lstrip("#").upper())):
        shd.set(qn(k), v)
    tcpr.append(shd)


def text_color(fill: str) -> RGBColor:
    """White on dark fills, black on light ones (amber)."""
    r, g, bl = (int(fill.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return RGBColor(0, 0, 0) if 0.299 * r + 0.587 * g + 0.114 * bl > 150 else RGBColor(0xFF, 0xFF, 0xFF)


def page_numbers(doc: DocumentType) -> None:
    """'- 1 -' centred in the footer, as official documents number their pages."""
    p = doc.sections[0].footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("- ")
    run = p.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    p.add_run(" -")


# -- pieces --------------------------------------------------------------------------------------------
def date_text(d: date, lang: str) -> str:
    """'2023年9月1日' / 'September 1, 2023'."""
    return tr("brief.date", lang, year=d.year, month=month_name(d.month, lang), day=d.day)


def numeral(n: int, lang: str) -> str:
    """The n-th heading number: 一, 二, … in Chinese; 1, 2, … in English."""
    return tr("brief.numerals", lang).split(",")[n - 1]


def masthead(doc: DocumentType, ctx: Context) -> None:
    """Title, the period, then the issuing body and the date above a red rule."""
    lang, cfg = ctx.lang, ctx.engine.config.project
    doc.add_paragraph(tr("brief.title", lang), style="Title")
    sub = doc.add_paragraph(tr("brief.period_line", lang, period=ctx.analysis.period_text))
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line = doc.add_paragraph()
    line.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    line.add_run(cfg.text("issuing_body", lang))
    line.add_run("\t" + date_text(ctx.generated.astimezone(ZoneInfo(cfg.timezone)).date(), lang))
    bottom_rule(line, RED_RULE, 18)
    for label, value in filters_text(ctx.engine, ctx.filters, lang)[1:]:
        # The period is in the title; say the places when they are narrowed.
        if value not in (tr("word.both", lang), tr("word.all", lang)):
            doc.add_paragraph(f"{label}: {value}").alignment = WD_ALIGN_PARAGRAPH.CENTER


def heading(doc: DocumentType, n: int, key: str, lang: str) -> None:
    """'一、总体进展' / '1. Overall progress'."""
    doc.add_heading(tr("brief.h1", lang, n=numeral(n, lang), title=tr(key, lang)), level=1)


def indicator_table(doc: DocumentType, lines: list[IndicatorLine], lang: str) -> Table:
    """A small table: indicator, value, 同比, target progress against 序时进度, status (coloured, in words)."""
    header = [
        tr("deck.col_indicator", lang),
        tr("deck.col_value", lang),
        tr("deck.change", lang),
        tr("deck.col_progress", lang),
    ]
    header.append(tr("deck.col_status", lang))
    table = doc.add_table(rows=1, cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    rows = [header]
    for ln in lines:
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
    for r, values in enumerate(rows):
        cells = table.rows[0].cells if r == 0 else table.add_row().cells
        for c, value in enumerate(values):
            fill = HEADER_FILL if r == 0 else COLORS[lines[r - 1].status] if c == len(values) - 1 else None
            # Every row but the last keeps with the next: a small table moves to the next page whole.
            write_cell(cells[c], value, fill, r == 0 or fill is not None, c, keep=r < len(rows) - 1)
    table.autofit = False
    for row in table.rows:
        no_split = OxmlElement("w:cantSplit")
        row._tr.get_or_add_trPr().append(no_split)
    for c, width in enumerate(TABLE_CM):
        table.columns[c].width = Cm(width)  # the grid LibreOffice and WPS lay out by
        for cell in table.columns[c].cells:
            cell.width = Cm(width)  # and the cells, which Word reads
    repeat_header(table)
    return table


def write_cell(
    cell, value: str, fill: str | None, bold: bool, column: int, *, keep: bool, align: WD_ALIGN_PARAGRAPH | None = None
) -> None:
    """One table cell: small type, numbers right-aligned (an indicator table's columns 1–3, or as `align` says),
    a fill for the header and status chips."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    p.paragraph_format.keep_with_next = keep
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = 1.1
    if column in (1, 2, 3):
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if column == 4:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if align is not None:
        p.alignment = align
    run = p.add_run(value)
    run.font.size = Pt(9.5)
    run.font.bold = bold
    if fill:
        shade(cell, fill)
        run.font.color.rgb = text_color(fill)


def repeat_header(table: Table) -> None:
    """Repeat the header row on every page the table runs onto."""
    trpr = table.rows[0]._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def picture(doc: DocumentType, png: bytes | None) -> None:
    """A chart picture centred, when one was rendered."""
    if png:
        doc.add_picture(io.BytesIO(png), width=CHART_WIDTH)
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


def caption(doc: DocumentType, text: str) -> None:
    """A small centred caption above a table."""
    p = doc.add_paragraph(text)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.keep_with_next = True
    for run in p.runs:
        run.font.size = Pt(10.5)
        run.font.bold = True


# -- sections ------------------------------------------------------------------------------------------
def overall(doc: DocumentType, ctx: Context) -> None:
    """一、总体进展: the headline paragraph, the headline indicators' table, the burn-up."""
    a, lang = ctx.analysis, ctx.lang
    heading(doc, 1, "brief.overall", lang)
    body(doc, a.headline.text)
    caption(doc, tr("brief.table_headline", lang))
    indicator_table(doc, [a.lines[i.id] for i in ctx.engine.config.headline_indicators()], lang)
    picture(doc, ctx.pictures.get("tasks-burnup"))


def by_area(doc: DocumentType, ctx: Context) -> None:
    """二、分领域进展: one section per area, its paragraph, its indicators' table and its headline charts."""
    a, lang = ctx.analysis, ctx.lang
    heading(doc, 2, "brief.areas", lang)
    for n, area in enumerate(ctx.engine.config.areas, 1):
        doc.add_heading(tr("brief.h2", lang, n=numeral(n, lang), title=area.text("name", lang)), level=2)
        paragraph = a.area(area.id)
        for part in paragraph.parts:
            body(doc, part)
        lines = [a.lines[i.id] for i in ctx.engine.config.indicators if i.area == area.id]
        if lines:
            caption(doc, tr("brief.table_area", lang, area=area.text("name", lang)))
            indicator_table(doc, lines, lang)
        for ind in ctx.engine.config.headline_indicators():
            if ind.area == area.id:
                picture(doc, ctx.pictures.get(f"{ind.id}-monthly"))


def supervision(doc: DocumentType, ctx: Context) -> None:
    """三、任务督办情况: tasks completed since the last meeting, overdue tasks with their lead party and latest
    approved note (a table), and each party's reports missing after the deadline (催报). Notes go in as plain runs."""
    m, lang = ctx.meeting, ctx.lang
    heading(doc, 3, "brief.supervision", lang)
    since = m.since.isoformat()
    items = completed_items(m, lang)
    if items:
        body(doc, tr("brief.sup_completed", lang, since=since, n=len(items), items=join_items(items, lang)))
    else:
        body(doc, tr("brief.sup_completed_none", lang, since=since))
    if len(m.overdue):
        body(doc, tr("brief.sup_overdue", lang, n=len(m.overdue)))
        caption(doc, tr("brief.table_overdue", lang))
        overdue_table(doc, m, lang)
    else:
        body(doc, tr("brief.sup_overdue_none", lang))
    if len(m.missing):
        text = tr("brief.sup_missing", lang, period=m.period, deadline=m.deadline.isoformat(), n=len(m.missing))
        body(doc, text).paragraph_format.space_before = Pt(8)  # clear of the table above
        for party, group in m.missing.groupby("reporting", sort=False):
            tasks = [tr("brief.sup_task", lang, task=r.task_id, title=r.title) for r in group.itertuples()]
            body(doc, tr("brief.sup_missing_party", lang, party=party, n=len(group), items=join_items(tasks, lang)))
    else:
        text = tr("brief.sup_missing_none", lang, period=m.period, deadline=m.deadline.isoformat())
        body(doc, text).paragraph_format.space_before = Pt(8)


def overdue_table(doc: DocumentType, m: MeetingSummary, lang: str) -> Table:
    """Overdue tasks: task, lead party, due date, days late, progress, the latest approved note (as written)."""
    header = [
        tr("deck.col_task", lang),
        tr("col.lead", lang),
        tr("col.due_date", lang),
        tr("deck.col_days_late", lang),
        tr("col.progress_pct", lang),
        tr("deck.col_latest_note", lang),
    ]
    rows = [header]
    for r in m.overdue.itertuples():
        rows.append(
            [
                f"{r.task_id} {r.title}",
                str(r.lead),
                r.due_date.isoformat(),
                tr("deck.sup_days_late", lang, n=r.days_late),
                f"{int(r.progress_pct)}%",
                str(r.note) or "—",
            ]
        )
    table = doc.add_table(rows=1, cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for n, values in enumerate(rows):
        cells = table.rows[0].cells if n == 0 else table.add_row().cells
        for c, value in enumerate(values):
            fill = HEADER_FILL if n == 0 else None
            right = WD_ALIGN_PARAGRAPH.RIGHT if c in (3, 4) else WD_ALIGN_PARAGRAPH.LEFT
            write_cell(cells[c], value, fill, n == 0, c, keep=n < len(rows) - 1, align=right)
    table.autofit = False
    for c, width in enumerate(OVERDUE_CM):
        table.columns[c].width = Cm(width)
        for cell in table.columns[c].cells:
            cell.width = Cm(width)
    repeat_header(table)
    return table


def attention(doc: DocumentType, ctx: Context) -> None:
    """四、需关注事项: red indicators, areas behind, overdue tasks with their lead party, the biggest falls."""
    a, lang = ctx.analysis, ctx.lang
    heading(doc, 4, "brief.attention", lang)
    if not a.attention:
        body(doc, tr("narrative.attention_none", lang))
    for n, p in enumerate(a.attention, 1):
        body(doc, tr("brief.item", lang, n=n, text=p.text))


def data_notes(doc: DocumentType, ctx: Context) -> None:
    """五、数据说明: sources, as-of and coverage, what is illustrative, the status method, when it was made."""
    engine, lang = ctx.engine, ctx.lang
    heading(doc, 5, "brief.notes", lang)
    sources = list(dict.fromkeys(source_text(i, lang) for i in engine.config.indicators))
    if "tasks" in engine.config.datasets:
        sources.append(tasks_source(engine.config, lang))
    period = engine.period(ctx.filters)
    notes = [
        tr("brief.sources", lang, sources=join_items(sources, lang)),
        tr(
            "brief.as_of",
            lang,
            as_of=data_as_of(engine).label(),
            period=ctx.analysis.period_text,
            start=month_str(period.start),
            end=month_str(period.end),
        ),
        method_text(engine.config.status, lang),
    ]
    if any(i.target is not None and i.target.illustrative for i in engine.config.indicators):
        notes.append(tr("deck.illustrative_targets", lang))
    note = sample_note(engine, lang)
    if note:
        notes.append(note)
    if not ctx.pictures:
        notes.append(tr("brief.no_charts", lang))
    notes.append(tr("brief.generated", lang, time=local_time_text(ctx.generated, engine.config)))
    for n, text in enumerate(notes, 1):
        body(doc, tr("brief.item", lang, n=n, text=text))


# -- the brief -----------------------------------------------------------------------------------------
def brief_charts(engine: Engine, filters: Filters, lang: str) -> list[Chart]:
    """The burn-up and each headline indicator's monthly chart (the tasks' own is the burn-up)."""
    charts = [burnup_chart(engine, lang)]
    charts += [
        monthly_chart(engine, ind, filters, lang)
        for ind in engine.config.headline_indicators()
        if ind.id != TASKS_COMPLETED
    ]
    return charts


def render_charts(charts: list[Chart], progress: Progress) -> dict[str, bytes]:
    """PNG bytes per chart name (title and footnote drawn in); empty when Chromium is unavailable."""
    figs: list[go.Figure] = [export_figure(c.figure, c.text) for c in charts]
    out: dict[str, bytes] = {}
    r = images.renderer()
    for i, (chart, fig) in enumerate(zip(charts, figs, strict=True)):
        progress(i, len(charts) + 1, chart.name)
        try:
            out[chart.name] = r.render(fig, "png", width=CHART_PX[0], height=CHART_PX[1])
        except images.ImageExportUnavailable:
            return {}
    return out


def build_brief(
    engine: Engine,
    filters: Filters = Filters(),
    lang: str = "zh",
    progress: Progress | None = None,
    generated: datetime | None = None,
    since: date | None = None,
    ledger: Ledger | None = None,
) -> bytes:
    """The Word brief as .docx bytes; progress(done, total, what) is called as it builds. since is the last
    meeting (default: metrics.supervision.last_meeting); ledger the reports (default: the store's)."""
    report = progress or (lambda done, total, what: None)
    meeting = meeting_summary(engine, since, ledger=ledger, lang=lang)
    analysis = analyse(engine, filters, lang)
    charts = brief_charts(engine, filters, lang)
    pictures = render_charts(charts, lambda i, n, name: report(i, n, tr("brief.rendering", lang, n=i + 1, total=n - 1)))
    ctx = Context(engine, filters, lang, generated or local_now(engine.config), analysis, pictures, meeting)
    report(len(charts), len(charts) + 1, tr("brief.assembling", lang))
    doc = Document()
    style_document(doc, lang)
    props = doc.core_properties
    props.title = f"{tr('brief.title', lang)} · {analysis.period_text}"
    props.author = engine.config.project.text("issuing_body", lang)
    props.language = tr("deck.language_tag", lang)
    masthead(doc, ctx)
    overall(doc, ctx)
    by_area(doc, ctx)
    supervision(doc, ctx)
    attention(doc, ctx)
    data_notes(doc, ctx)
    page_numbers(doc)
    buf = io.BytesIO()
    doc.save(buf)
    report(len(charts) + 1, len(charts) + 1, tr("brief.assembling", lang))
    return buf.getvalue()

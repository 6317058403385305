"""python-pptx drawing helpers: a 16:9 deck with one look (title bar, text boxes, pictures, tables, footnotes)."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

WIDTH = Inches(13.333)
HEIGHT = Inches(7.5)
MARGIN = Inches(0.5)
# East Asian and Latin typefaces: PowerPoint on Windows has YaHei; LibreOffice substitutes Noto Sans CJK.
FONT = "Microsoft YaHei"
DARK = RGBColor(0x1F, 0x29, 0x33)
MUTED = RGBColor(0x6B, 0x77, 0x85)
ACCENT = RGBColor(0x1F, 0x6F, 0xB2)
GOOD = RGBColor(0x2A, 0x9D, 0x8F)
BAD = RGBColor(0xC4, 0x4E, 0x52)
TITLE_ONLY = 5
TITLE_SLIDE = 0
FOOTNOTE = "Footnote"


@dataclass(frozen=True)
class Box:
    """A rectangle in EMU."""

    left: int
    top: int
    width: int
    height: int


def new_presentation(title: str) -> Presentation:
    """An empty 16:9 presentation with its core properties set."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    prs.core_properties.title = title
    return prs


def style_run(run, size: float, *, bold: bool = False, color: RGBColor = DARK) -> None:
    """Size, weight, colour and a CJK-capable typeface for both Latin and East Asian text."""
    font = run.font
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = color
    font.name = FONT
    rpr = run._r.get_or_add_rPr()
    latin = rpr.find(qn("a:latin"))
    ea = rpr.find(qn("a:ea"))
    if ea is None:
        ea = latin.makeelement(qn("a:ea"), {})
        latin.addnext(ea)  # schema order: latin, ea, cs
    ea.set("typeface", FONT)


def write_lines(
    frame, lines: list[tuple[str, float, bool, RGBColor]], align=PP_ALIGN.LEFT, space_after: float = 4
) -> None:
    """Replace a text frame's text with (text, size, bold, colour) paragraphs."""
    frame.clear()
    frame.word_wrap = True
    for i, (text, size, bold, color) in enumerate(lines):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        p.alignment = align
        p.space_after = Pt(space_after)
        run = p.add_run()
        run.text = text
        style_run(run, size, bold=bold, color=color)


def add_text(
    slide: Slide,
    box: Box,
    lines: list[tuple[str, float, bool, RGBColor]],
    *,
    name: str | None = None,
    align=PP_ALIGN.LEFT,
    anchor=MSO_ANCHOR.TOP,
) -> None:
    """A text box with the given paragraphs."""
    shape = slide.shapes.add_textbox(box.left, box.top, box.width, box.height)
    if name:
        shape.name = name
    frame = shape.text_frame
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Inches(0.05)
    write_lines(frame, lines, align)


def title_size(title: str) -> float:
    """A title size that keeps long (English) titles on one line across the 16:9 slide."""
    columns = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in title)
    return 26 if columns <= 58 else 22 if columns <= 70 else 18 if columns <= 86 else 16


def content_slide(prs: Presentation, title: str) -> Slide:
    """A 'Title Only' slide with the title placed and styled for 16:9."""
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    ph = slide.shapes.title
    ph.left, ph.top, ph.width, ph.height = MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(0.8)
    frame = ph.text_frame
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    write_lines(frame, [(title, title_size(title), True, DARK)])
    bar = slide.shapes.add_shape(1, MARGIN, Inches(1.12), Inches(1.2), Emu(38100))  # 1 = rectangle
    bar.fill.solid()
    bar.fill.fore_color.rgb = ACCENT
    bar.line.fill.background()
    return slide


def footnote(slide: Slide, lines: list[str]) -> None:
    """Small grey source / as-of lines at the bottom of a slide, named 'Footnote'."""
    box = Box(MARGIN, HEIGHT - Inches(0.75), WIDTH - 2 * MARGIN, Inches(0.6))
    add_text(slide, box, [(line, 10, False, MUTED) for line in lines], name=FOOTNOTE, anchor=MSO_ANCHOR.BOTTOM)


def add_picture(slide: Slide, png: bytes, box: Box, name: str = "Chart") -> None:
    """A PNG fitted inside the box, keeping its aspect ratio, centred."""
    pic = slide.shapes.add_picture(io.BytesIO(png), box.left, box.top)
    scale = min(box.width / pic.width, box.height / pic.height)
    pic.width, pic.height = int(pic.width * scale), int(pic.height * scale)
    pic.left = box.left + (box.width - pic.width) // 2
    pic.top = box.top + (box.height - pic.height) // 2
    pic.name = name


def add_table(
    slide: Slide,
    box: Box,
    header: list[str],
    rows: list[list[str]],
    widths: list[float],
    right_align: set[int],
    size: float = 11,
) -> None:
    """A plain table: a header row, then rows of text; widths are fractions of the box width."""
    shape = slide.shapes.add_table(
        len(rows) + 1, len(header), box.left, box.top, box.width, Inches(0.36) * (len(rows) + 1)
    )
    shape.name = "Summary table"
    table = shape.table
    for c, frac in enumerate(widths):
        table.columns[c].width = int(box.width * frac)
    for r, values in enumerate([header, *rows]):
        table.rows[r].height = Inches(0.36)
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            align = PP_ALIGN.RIGHT if c in right_align and r > 0 else PP_ALIGN.LEFT
            color = RGBColor(0xFF, 0xFF, 0xFF) if r == 0 else DARK
            write_lines(cell.text_frame, [(value, size, r == 0, color)], align, space_after=0)


def to_bytes(prs: Presentation) -> bytes:
    """The saved .pptx."""
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()

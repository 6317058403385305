"""python-pptx drawing helpers: a 16:9 deck with one look (title bar, text boxes, pictures, tables, status chips,
speaker notes, footnotes)."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

WIDTH = Inches(13.333)
HEIGHT = Inches(7.5)
MARGIN = Inches(0.5)
# Named typefaces for each script, so PowerPoint, WPS and LibreOffice pick the same faces: Latin text in Arial,
# Chinese in Microsoft YaHei (a:ea). Where YaHei is missing (Linux), the run's zh-CN language tag steers the
# fallback to a Simplified Chinese face (Noto Sans CJK SC), not a Japanese one.
FONT = "Microsoft YaHei"
LATIN_FONT = "Arial"
DARK = RGBColor(0x1F, 0x29, 0x33)
MUTED = RGBColor(0x6B, 0x77, 0x85)
ACCENT = RGBColor(0x1F, 0x6F, 0xB2)
GOOD = RGBColor(0x2A, 0x9D, 0x8F)
BAD = RGBColor(0xC4, 0x4E, 0x52)
TITLE_ONLY = 5
TITLE_SLIDE = 0
FOOTNOTE = "Footnote"
Line = tuple[str, float, bool, RGBColor]  # a paragraph: text, size in points, bold, colour


@dataclass(frozen=True)
class Box:
    """A rectangle in EMU."""

    left: int
    top: int
    width: int
    height: int

    def emu(self) -> tuple[Emu, Emu, Emu, Emu]:
        """left, top, width, height as python-pptx lengths."""
        return Emu(self.left), Emu(self.top), Emu(self.width), Emu(self.height)


def new_presentation(title: str) -> Deck:
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
    font.name = LATIN_FONT
    rpr = run._r.get_or_add_rPr()
    latin = rpr.find(qn("a:latin"))
    previous = latin
    for tag, face in (("a:ea", FONT), ("a:cs", LATIN_FONT)):  # schema order: latin, ea, cs
        el = rpr.find(qn(tag))
        if el is None:
            el = latin.makeelement(qn(tag), {})
            previous.addnext(el)
        el.set("typeface", face)
        previous = el


def write_lines(frame, lines: Sequence[Line], align=PP_ALIGN.LEFT, space_after: float = 4) -> None:
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
    lines: Sequence[Line],
    *,
    name: str | None = None,
    align=PP_ALIGN.LEFT,
    anchor=MSO_ANCHOR.TOP,
) -> None:
    """A text box with the given paragraphs."""
    shape = slide.shapes.add_textbox(*box.emu())
    if name:
        shape.name = name
    frame = shape.text_frame
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Inches(0.05)
    write_lines(frame, lines, align)


def text_columns(text: str) -> int:
    """How many narrow-character columns a text takes (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def line_count(text: str, width: int, size: float) -> int:
    """About how many lines a text wraps to in a box width EMU wide at size points (a narrow character is
    about half an em wide)."""
    per_line = max(int(width / Pt(size * 0.5)), 1)
    return -(-text_columns(text) // per_line)


def clip(text: str, width: int, size: float, lines: int = 1) -> str:
    """The text cut with an ellipsis to about `lines` lines of a box width EMU wide at size points, so a long
    note never pushes a table off the slide (the speaker notes carry it whole)."""
    room = max(int(width / Pt(size * 0.5)), 1) * lines
    if text_columns(text) <= room:
        return text
    out, used = [], 0
    for ch in text:
        used += text_columns(ch)
        if used > room - 2:
            break
        out.append(ch)
    return "".join(out).rstrip() + "…"


def title_size(title: str) -> float:
    """A title size that keeps long (English) titles on one line across the 16:9 slide."""
    columns = text_columns(title)
    return 26 if columns <= 58 else 22 if columns <= 70 else 18 if columns <= 86 else 16


def content_slide(prs: Deck, title: str) -> Slide:
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
    left, top, _, _ = box.emu()
    pic = slide.shapes.add_picture(io.BytesIO(png), left, top)
    scale = min(box.width / pic.width, box.height / pic.height)
    pic.width, pic.height = Emu(int(pic.width * scale)), Emu(int(pic.height * scale))
    pic.left = Emu(box.left + (box.width - pic.width) // 2)
    pic.top = Emu(box.top + (box.height - pic.height) // 2)
    pic.name = name


def add_table(
    slide: Slide,
    box: Box,
    header: list[str],
    rows: list[list[str]],
    widths: list[float],
    right_align: set[int],
    size: float = 11,
    *,
    fills: dict[tuple[int, int], str] | None = None,
    row_height: float = 0.36,
    name: str = "Summary table",
) -> None:
    """A plain table: a header row, then rows of text; widths are fractions of the box width.

    fills colours single body cells, keyed (row, column) from 0 for the first body row: a status chip in a
    cell is its colour with the status in words.
    """
    height = Inches(row_height)
    left, top, width, _ = box.emu()
    shape = slide.shapes.add_table(len(rows) + 1, len(header), left, top, width, Emu(height * (len(rows) + 1)))
    shape.name = name
    table = shape.table
    for c, frac in enumerate(widths):
        table.columns[c].width = Emu(int(box.width * frac))
    for r, values in enumerate([header, *rows]):
        table.rows[r].height = height
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            cell.margin_left = cell.margin_right = Inches(0.06)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            fill = (fills or {}).get((r - 1, c)) if r > 0 else None
            align = PP_ALIGN.CENTER if fill else PP_ALIGN.RIGHT if c in right_align and r > 0 else PP_ALIGN.LEFT
            color = RGBColor(0xFF, 0xFF, 0xFF) if r == 0 else chip_text_color(fill) if fill else DARK
            if fill:
                cell.fill.solid()
                cell.fill.fore_color.rgb = RGBColor.from_string(fill.lstrip("#"))
            write_lines(cell.text_frame, [(value, size, r == 0 or bool(fill), color)], align, space_after=0)


def add_chip(slide: Slide, box: Box, label: str, fill: str, *, size: float = 12) -> None:
    """A status chip: a rounded box in the status colour with the status in words (never colour alone)."""
    chip = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, *box.emu())
    chip.name = "Status"
    chip.fill.solid()
    chip.fill.fore_color.rgb = RGBColor.from_string(fill.lstrip("#"))
    chip.line.fill.background()
    chip.shadow.inherit = False  # a flat chip: the default shape style casts a shadow
    frame = chip.text_frame
    frame.margin_top = frame.margin_bottom = Inches(0.02)
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    write_lines(frame, [(label, size, True, chip_text_color(fill))], PP_ALIGN.CENTER, space_after=0)


def chip_text_color(fill: str) -> RGBColor:
    """White on dark fills, dark on light ones (amber), so the label stays legible."""
    r, g, b = (int(fill.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return DARK if 0.299 * r + 0.587 * g + 0.114 * b > 150 else RGBColor(0xFF, 0xFF, 0xFF)


def set_notes(slide: Slide, paragraphs: list[str]) -> None:
    """Speaker notes: the analysis behind the slide, one paragraph each."""
    frame = slide.notes_slide.notes_text_frame
    assert frame is not None  # every notes slide has a body placeholder
    frame.text = "\n".join(p for p in paragraphs if p)


def tag_language(prs: Deck, tag: str) -> None:
    """Mark every run with the deck's language (and Chinese as the East Asian one), for spelling and fallback fonts."""
    for slide in prs.slides:
        for part in (slide, slide.notes_slide):
            for rpr in part._element.iter(qn("a:rPr"), qn("a:endParaRPr"), qn("a:defRPr")):
                rpr.set("lang", tag)
                rpr.set("altLang", "zh-CN")


def to_bytes(prs: Deck) -> bytes:
    """The saved .pptx."""
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()

"""The meeting pack as a briefing: python-pptx reads back the order of slides, the executive summary's messages
and status table, the area slides, the appendix, the notes, the fonts; LibreOffice renders every slide."""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Inches

from metrics import Engine, Filters
from metrics.comparisons import change_text
from metrics.exports import deck as D
from metrics.exports import images
from metrics.exports.slides import FOOTNOTE
from metrics.formatting import format_number
from metrics.narrative import analyse, name_with_unit
from metrics.presets import apply_preset
from metrics.provenance import indicator_as_of
from metrics.status import COLORS, status_label
from tests.support.office import INK_MIN, ink, page_count, pages_png, to_pdf

F = Filters(start="2023-01", end="2023-08", province="sichuan")
GENERATED = datetime(2024, 1, 2, 3, 4, tzinfo=UTC)
PICTURE = 13  # MSO_SHAPE_TYPE.PICTURE


def require_chromium() -> None:
    """Skip without Chromium, except in CI, where image export must work."""
    if not images.images_available():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required in CI (scripts/setup_system.sh installs it)")
        pytest.skip("Chromium not installed: " + images.enable_hint("en"))


class NoChromium:
    """A renderer standing in for a machine without Chromium."""

    def render(self, *args: object, **kw: object) -> bytes:
        raise images.ImageExportUnavailable("no Chromium")


def expected_titles(engine: Engine, lang: str) -> list[str]:
    """Title, executive summary, task progress, task supervision, one per area, one per headline indicator but the
    tasks, sources."""
    headline = [i for i in engine.config.headline_indicators() if i.id != "agreement_tasks_completed"]
    return [
        engine.config.project.text("title", lang),
        "exec",
        "tasks",
        "supervision",
        *(a.text("name", lang) for a in engine.config.areas),
        *(i.text("name", lang) for i in headline),
        "sources",
    ]


def texts(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def every_text(slide) -> str:
    """Text boxes, table cells and the speaker notes."""
    cells = [c.text for s in slide.shapes if s.has_table for r in s.table.rows for c in r.cells]
    return "\n".join([texts(slide), *cells, slide.notes_slide.notes_text_frame.text])


def footnote_of(slide) -> str:
    return next(s.text_frame.text for s in slide.shapes if s.name == FOOTNOTE)


def table_rows(slide) -> list[list[str]]:
    table = next(s.table for s in slide.shapes if s.has_table)
    return [[c.text for c in r.cells] for r in table.rows]


@pytest.fixture(scope="module")
def deck_en(engine: Engine) -> tuple[bytes, list[tuple[int, int, str]]]:
    require_chromium()
    steps: list[tuple[int, int, str]] = []
    data = D.build_deck(engine, F, "en", progress=lambda d, n, w: steps.append((d, n, w)), generated=GENERATED)
    return data, steps


@pytest.fixture(scope="module")
def prs_en(deck_en) -> Presentation:
    return Presentation(io.BytesIO(deck_en[0]))


@pytest.fixture(scope="module")
def default_zh(engine: Engine) -> bytes:
    """The CLI's and the dashboard's default build (year to date), without Chromium."""
    images_renderer = images.renderer
    images.renderer = lambda: NoChromium()  # type: ignore[assignment]
    try:
        return D.build_deck(engine, apply_preset(engine, Filters(), "ytd"), "zh", generated=GENERATED)
    finally:
        images.renderer = images_renderer  # type: ignore[assignment]


def test_the_briefing_order(engine: Engine, prs_en, deck_en) -> None:
    assert (prs_en.slide_width, prs_en.slide_height) == (Inches(13.333), Inches(7.5))
    titles = [s.shapes.title.text for s in prs_en.slides]
    expected = expected_titles(engine, "en")
    assert len(titles) == len(expected) == 21
    assert titles[0].startswith(expected[0])
    assert titles[1] == "Executive summary · January–August 2023"
    assert titles[2] == "Agreement task progress"
    assert titles[3] == "Task supervision · 2023-08"
    assert titles[4:-1] == expected[4:-1]
    assert titles[-1] == "Sources and notes"
    steps = deck_en[1]
    assert steps[-1][0] == steps[-1][1]  # progress reached the end


def test_title_slide_has_period_scope_as_of_and_issuer(prs_en) -> None:
    text = texts(prs_en.slides[0])
    assert "Meeting pack · January–August 2023" in text
    assert "Period: 2023-01 – 2023-08" in text and "Province: Sichuan" in text
    assert "Data as of: 2023-08-29" in text and "Sample data" in text
    assert "Office of the joint ministry–province–municipality conference" in text


def test_executive_summary_has_the_key_messages_and_every_headline_status(engine: Engine, prs_en) -> None:
    slide = prs_en.slides[1]
    analysis = analyse(engine, F, "en")
    assert 3 <= len(analysis.messages) <= 5
    body = texts(slide)
    for n, message in enumerate(analysis.messages, 1):
        assert f"{n}. {message.text}" in body
    rows = table_rows(slide)
    assert rows[0] == ["Indicator", "This period", "Year on year", "Target progress (time elapsed)", "Status"]
    headline = engine.config.headline_indicators()
    assert [r[0] for r in rows[1:]] == [name_with_unit(i, "en") for i in headline]
    for ind, row in zip(headline, rows[1:], strict=True):
        v = engine.value(ind.id, F)
        assert row[1] == format_number(v.value, "en", ind.format), ind.id
        assert row[2] == change_text(v.yoy, "en", ind.format), ind.id
        assert row[4] == status_label(analysis.lines[ind.id].status, "en"), ind.id
    positions = rows[1 + [i.id for i in headline].index("online_recruit_positions")]
    assert positions[3].endswith("(time 67%)")
    # The status cell is a chip: its colour and its words.
    table = next(s.table for s in slide.shapes if s.has_table)
    fills = {str(table.cell(r, 4).fill.fore_color.rgb) for r in range(1, len(rows))}
    assert fills <= {COLORS[s].lstrip("#").upper() for s in COLORS} and len(fills) >= 2
    assert "Status: on pace (green)" in footnote_of(slide)


def test_tasks_slide_has_the_burnup_and_where_the_agreement_stands(prs_en) -> None:
    slide = prs_en.slides[2]
    assert len([s for s in slide.shapes if s.shape_type == PICTURE]) == 1
    text = texts(slide)
    assert "63 of 97 tasks completed (65%)" in text and "Time elapsed 53%" in text
    assert "On pace" in text  # the chip says it in words
    assert "overdue (as of 2023-08-29)" in text
    assert "Data as of: 2023-08-29" in footnote_of(slide)


def test_one_slide_per_area_with_its_indicators_and_status(engine: Engine, prs_en) -> None:
    analysis = analyse(engine, F, "en")
    for n, area in enumerate(engine.config.areas):
        slide = prs_en.slides[4 + n]
        rows = table_rows(slide)
        mine = [i for i in engine.config.indicators if i.area == area.id]
        assert [r[0] for r in rows[1:]] == [name_with_unit(i, "en") for i in mine], area.id
        assert [r[4] for r in rows[1:]] == [status_label(analysis.lines[i.id].status, "en") for i in mine]
        assert analysis.area(area.id).parts[0] in texts(slide)  # its tasks in a sentence
        assert slide.notes_slide.notes_text_frame.text == analysis.area(area.id).text


def test_appendix_slides_have_chart_value_change_progress_and_footnote(engine: Engine, prs_en) -> None:
    slides = list(prs_en.slides)
    headline = [i for i in engine.config.headline_indicators() if i.id != "agreement_tasks_completed"]
    for n, ind in enumerate(headline):
        slide = slides[4 + len(engine.config.areas) + n]
        pics = [s for s in slide.shapes if s.shape_type == PICTURE]
        assert len(pics) == 1, ind.id
        img = Image.open(io.BytesIO(pics[0].image.blob))
        assert img.size == (D.CHART_PX[0] * images.SCALE, D.CHART_PX[1] * images.SCALE)
        v = engine.value(ind.id, F)
        body = texts(slide)
        assert f"Appendix {n + 1}/{len(headline)}" in body
        assert format_number(v.value, "en", ind.format) in body, ind.id
        assert change_text(v.yoy, "en", ind.format) in body, ind.id  # 同比, or why there is none
        note = footnote_of(slide)
        as_of = indicator_as_of(engine, ind).label()
        assert ind.source.title_en in note and f"Data as of: {as_of} " in note, ind.id
        assert "Period: 2023-01 – 2023-08" in note
    positions = texts(slides[4 + len(engine.config.areas)])  # Sichuan: 373,314 of 800,000 is 46.7%
    assert "Target 800,000 positions by 2023-12-31: 47% reached, time elapsed 67% (illustrative target)" in positions


def test_closing_slide_lists_sources_method_and_local_time(engine: Engine, prs_en) -> None:
    text = texts(prs_en.slides[-1])
    assert engine.config.indicators[0].source.title_en in text
    assert "Status: on pace (green)" in text and "Targets marked illustrative" in text
    assert "Generated at: 2024-01-02 11:04 (Asia/Shanghai)" in text


def test_no_developer_commands_or_utc_times_on_any_slide(prs_en, default_zh) -> None:
    for prs in (prs_en, Presentation(io.BytesIO(default_zh))):
        for slide in prs.slides:
            text = texts(slide)
            for word in ("python", "apt-get", "make ", "+00:00", "UTC", "BROWSER_PATH", "`"):
                assert word not in text, (word, text[:80])


def test_every_slide_has_speaker_notes(prs_en, default_zh) -> None:
    for prs in (prs_en, Presentation(io.BytesIO(default_zh))):
        for n, slide in enumerate(prs.slides):
            assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip(), n


def test_the_default_build_reads_like_a_briefing(engine: Engine, default_zh: bytes) -> None:
    prs = Presentation(io.BytesIO(default_zh))
    slides = list(prs.slides)
    assert [s.shapes.title.text for s in slides][4:-1] == expected_titles(engine, "zh")[4:-1]
    assert slides[3].shapes.title.text == "任务督办 · 2023-08"
    assert slides[1].shapes.title.text == "要点摘要 · 2023年1—8月"
    analysis = analyse(engine, apply_preset(engine, Filters(), "ytd"), "zh")
    assert analysis.messages[0].text in texts(slides[1])
    assert slides[0].notes_slide.notes_text_frame.text == analysis.headline.text
    everything = "\n".join(every_text(s) for s in slides)
    assert "上期无数据" not in everything  # the comparison is 同比, with data a year earlier
    assert "同比" in everything
    # Without Chromium the slides say so in plain words, and the numbers are all there.
    assert "图表图片不可用" in texts(slides[2]) and not any(s.shape_type == PICTURE for x in slides for s in x.shapes)
    assert "数据截至: 2023-08" in footnote_of(slides[10])


def test_every_run_names_its_latin_and_east_asian_font(prs_en, default_zh) -> None:
    for prs, tag in ((prs_en, "en-US"), (Presentation(io.BytesIO(default_zh)), "zh-CN")):
        runs = [r for s in prs.slides for sh in s.shapes for r in sh._element.iter(qn("a:r"))]
        assert runs
        for r in runs:
            rpr = r.find(qn("a:rPr"))
            assert rpr.find(qn("a:latin")).get("typeface") == "Arial"
            assert rpr.find(qn("a:ea")).get("typeface") == "Microsoft YaHei"
            assert rpr.get("lang") == tag and rpr.get("altLang") == "zh-CN"


def test_the_xml_reopens_and_every_shape_reads(deck_en, default_zh) -> None:
    for data in (deck_en[0], default_zh):
        prs = Presentation(io.BytesIO(data))
        again = io.BytesIO()
        prs.save(again)
        reopened = Presentation(io.BytesIO(again.getvalue()))
        for slide in reopened.slides:
            for shape in slide.shapes:
                assert shape.name and shape.width is not None and shape.height is not None


@pytest.mark.slow
@pytest.mark.parametrize("which", ["en-with-charts", "zh-default"])
def test_libreoffice_renders_every_slide(which: str, deck_en, default_zh, tmp_path: Path) -> None:
    data = deck_en[0] if which == "en-with-charts" else default_zh
    slides = len(Presentation(io.BytesIO(data)).slides)
    pdf = to_pdf(data, ".pptx", tmp_path)
    assert page_count(pdf) == slides
    pages = pages_png(pdf)
    assert len(pages) == slides
    blank = [p.name for p in pages if ink(p) < INK_MIN]
    assert not blank, blank

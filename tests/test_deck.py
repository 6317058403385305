"""The meeting pack: python-pptx reads back the slides, titles, pictures, values and footnotes."""

from __future__ import annotations

import io
import math
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.util import Inches

from metrics import Engine, Filters
from metrics.comparisons import change_text
from metrics.exports import deck as D
from metrics.exports import images
from metrics.exports.slides import FOOTNOTE
from metrics.formatting import format_number
from metrics.provenance import indicator_as_of

F = Filters(start="2023-01", end="2023-08", province="sichuan")
GENERATED = datetime(2024, 1, 2, 3, 4, tzinfo=UTC)


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


def expected_slides(engine: Engine) -> int:
    """Title, tasks, burn-up, one per headline indicator, the summary pages, sources."""
    return (
        3 + len(engine.config.headline_indicators()) + math.ceil(len(engine.config.indicators) / D.ROWS_PER_SLIDE) + 1
    )


def texts(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def footnote_of(slide) -> str:
    return next(s.text_frame.text for s in slide.shapes if s.name == FOOTNOTE)


@pytest.fixture(scope="module")
def deck_en(engine: Engine) -> tuple[Presentation, list[tuple[int, int, str]]]:
    require_chromium()
    steps: list[tuple[int, int, str]] = []
    data = D.build_deck(engine, F, "en", progress=lambda d, n, w: steps.append((d, n, w)), generated=GENERATED)
    return Presentation(io.BytesIO(data)), steps


def test_deck_is_16_9_with_the_expected_slides_and_titles(engine: Engine, deck_en) -> None:
    prs, steps = deck_en
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    slides = list(prs.slides)
    assert len(slides) == expected_slides(engine)
    titles = [s.shapes.title.text for s in slides]
    assert titles[0].startswith("Sichuan–Chongqing HR & Social Security Cooperation Dashboard")
    assert titles[1] == "Agreement task progress" and titles[2] == "Tasks completed over time"
    headline = engine.config.headline_indicators()
    assert titles[3 : 3 + len(headline)] == [i.name_en for i in headline]
    assert titles[3 + len(headline)].startswith("All indicators at a glance")
    assert titles[-1] == "Sources and notes"
    assert steps[-1][0] == steps[-1][1]  # progress reached the end


def test_title_slide_has_period_scope_and_as_of(deck_en) -> None:
    text = texts(deck_en[0].slides[0])
    assert "Period: 2023-01 – 2023-08" in text and "Province: Sichuan" in text
    assert "Data as of: 2023-08-29" in text and "Sample data" in text


def test_task_slide_shows_progress_overall_and_by_area(deck_en) -> None:
    slide = deck_en[0].slides[1]
    assert len([s for s in slide.shapes if s.shape_type == 13]) == 2  # donut and by-area bars
    assert "Completed 63/97 tasks (65%)" in texts(slide)
    assert "Data as of: 2023-08-29" in footnote_of(slide)


def test_headline_slides_have_chart_value_change_and_footnote(engine: Engine, deck_en) -> None:
    slides = list(deck_en[0].slides)
    for n, ind in enumerate(engine.config.headline_indicators()):
        slide = slides[3 + n]
        pics = [s for s in slide.shapes if s.shape_type == 13]
        assert len(pics) == 1, ind.id
        img = Image.open(io.BytesIO(pics[0].image.blob))
        assert img.size == (D.CHART_PX[0] * images.SCALE, D.CHART_PX[1] * images.SCALE)
        v = engine.value(ind.id, F)
        body = texts(slide)
        assert format_number(v.value, "en", ind.format) in body, ind.id
        assert change_text(v.yoy, "en", ind.format) in body, ind.id  # 同比, or why there is none
        note = footnote_of(slide)
        as_of = indicator_as_of(engine, ind).label()  # the indicator's own as-of, as on its card and chart
        assert ind.source.title_en in note and f"Data as of: {as_of} " in note, ind.id
        assert "Period: 2023-01 – 2023-08" in note


def test_summary_table_lists_every_indicator(engine: Engine, deck_en) -> None:
    rows = []
    for slide in deck_en[0].slides:
        for shape in slide.shapes:
            if shape.has_table:
                rows += [[c.text for c in r.cells] for r in list(shape.table.rows)[1:]]
    assert [r[0] for r in rows] == [i.name_en for i in engine.config.indicators]
    cardholders = next(r for r in rows if r[0] == engine.indicator("cardholders").name_en)
    assert cardholders[1] == format_number(engine.value("cardholders", F).value, "en")


def test_closing_slide_lists_sources(engine: Engine, deck_en) -> None:
    text = texts(deck_en[0].slides[-1])
    assert engine.config.indicators[0].source.title_en in text
    # Local time in the project's zone, and no developer commands on a slide.
    assert "Generated at: 2024-01-02 11:04 (Asia/Shanghai)" in text
    assert "python" not in text and "+00:00" not in text


def test_chinese_deck_without_chromium_still_builds(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "renderer", lambda: NoChromium())
    prs = Presentation(io.BytesIO(D.build_deck(engine, Filters(), "zh")))
    slides = list(prs.slides)
    assert len(slides) == expected_slides(engine)
    assert slides[0].shapes.title.text.startswith("川渝人社合作指标看板")
    assert slides[1].shapes.title.text == "协议任务完成情况"
    assert not any(s.shape_type == 13 for slide in slides for s in slide.shapes)
    assert "apt-get install chromium" in texts(slides[3])
    assert "数据截至: 2023-08-29" in footnote_of(slides[3])


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed (manual check)")
def test_libreoffice_opens_the_deck(engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from metrics.exports.pdf import pptx_to_pdf

    monkeypatch.setattr(images, "renderer", lambda: NoChromium())
    pdf = pptx_to_pdf(D.build_deck(engine, Filters(), "en"))
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        (tmp_path / "d.pdf").write_bytes(pdf)
        info = subprocess.run(["pdfinfo", str(tmp_path / "d.pdf")], capture_output=True, text=True).stdout
        assert f"Pages:           {expected_slides(engine)}" in info

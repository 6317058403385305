"""The Word brief from the Overview's export menu, in Chinese and English: built on click, downloaded, read back.
The Overview opens with the written analysis (数据解读) for the period shown."""

from __future__ import annotations

import io

import pytest
from docx import Document

from metrics.i18n import tr
from tests.support.browser import LOAD_MS, assert_clean, shot, wait_ready

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_brief_downloads_from_the_overview(browser, server: str, lang: str) -> None:
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", accept_downloads=True)
    page = ctx.new_page()
    page.set_default_timeout(LOAD_MS)
    try:
        page.goto(f"{server}/?lang={lang}")  # the default period: year to date
        wait_ready(page, tr("page.overview", lang))
        analysis = page.locator(".st-key-analysis")
        assert tr("narrative.title", lang) in analysis.inner_text()
        assert tr("narrative.attention_title", lang) in analysis.inner_text()
        page.get_by_role("button", name=tr("ui.export", lang)).first.click()
        page.get_by_role("button", name=tr("dl.brief_build", lang)).click()
        button = page.get_by_role("button", name=tr("dl.brief_download", lang))
        button.wait_for(timeout=LOAD_MS * 2)
        assert_clean(page)
        assert "This app has encountered an error" not in page.locator("body").inner_text()
        with page.expect_download() as got:
            button.click()
        download = got.value
        assert download.suggested_filename.endswith(f"_2023-01_2023-08_all_{lang}_asof-2023-08-29.docx")
        doc = Document(io.BytesIO(download.path().read_bytes()))
        shot(page, f"overview-{lang}-brief")
    finally:
        ctx.close()
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == tr(
        "brief.h1", lang, n=tr("brief.numerals", lang).split(",")[0], title=tr("brief.overall", lang)
    )
    assert len(headings) == 5 and len(doc.tables) == 8  # 一 to 五; the area tables, the overdue table

"""The Word brief (简报): python-docx reads back its masthead, headings, tables and numbers (the engine's), its
fonts; the CLI writes it; LibreOffice converts it to PDF and every page has something on it."""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from metrics import Engine, Filters
from metrics.cli import main
from metrics.comparisons import change_text
from metrics.exports import images
from metrics.exports.brief import build_brief
from metrics.formatting import format_number
from metrics.narrative import analyse, name_with_unit
from metrics.status import COLORS, method_text, status_label
from tests.support.office import INK_MIN, ink, page_count, pages_png, to_pdf

YTD = Filters("2023-01", "2023-08")
GENERATED = datetime(2024, 1, 2, 3, 4, tzinfo=UTC)  # 11:04 on 2 January in Shanghai


class NoChromium:
    def render(self, *args: object, **kw: object) -> bytes:
        raise images.ImageExportUnavailable("no Chromium")


def without_chromium(build):
    keep = images.renderer
    images.renderer = lambda: NoChromium()  # type: ignore[assignment]
    try:
        return build()
    finally:
        images.renderer = keep  # type: ignore[assignment]


@pytest.fixture(scope="module")
def zh(engine: Engine) -> bytes:
    return without_chromium(lambda: build_brief(engine, YTD, "zh", generated=GENERATED))


@pytest.fixture(scope="module")
def en(engine: Engine) -> bytes:
    return without_chromium(lambda: build_brief(engine, YTD, "en", generated=GENERATED))


def doc(data: bytes):
    return Document(io.BytesIO(data))


def styled(d, prefix: str) -> list[str]:
    return [p.text for p in d.paragraphs if p.style.name.startswith(prefix)]


def body_text(d) -> str:
    return "\n".join(p.text for p in d.paragraphs)


def rows(table) -> list[list[str]]:
    return [[c.text for c in r.cells] for r in table.rows]


def test_masthead(zh: bytes, en: bytes) -> None:
    d = doc(zh)
    assert styled(d, "Title") == ["川渝人社合作工作简报"]
    texts = [p.text for p in d.paragraphs[:4]]
    assert texts[1] == "（2023年1—8月）"
    assert texts[2] == "深化川渝人社合作部省市联席会议办公室\t2024年1月2日"
    e = doc(en)
    assert styled(e, "Title") == ["Sichuan–Chongqing HR Cooperation: Work Brief"]
    assert [p.text for p in e.paragraphs[1:3]] == [
        "(January–August 2023)",
        "Office of the joint ministry–province–municipality conference on Sichuan–Chongqing HR cooperation"
        "\tJanuary 2, 2024",
    ]


def test_headings_are_numbered_like_a_government_brief(engine: Engine, zh: bytes, en: bytes) -> None:
    d, e = doc(zh), doc(en)
    assert styled(d, "Heading 1") == [
        "一、总体进展",
        "二、分领域进展",
        "三、任务督办情况",
        "四、需关注事项",
        "五、数据说明",
    ]
    assert styled(d, "Heading 2") == [
        "（一）高质量就业",
        "（二）社会保障一体化",
        "（三）人才集聚流通",
        "（四）公共服务共建共享",
        "（五）数字人社与数据共享",
        "（六）劳动关系与基层治理",
    ]
    assert styled(e, "Heading 1") == [
        "1. Overall progress",
        "2. Progress by area",
        "3. Task supervision",
        "4. Matters needing attention",
        "5. Notes on the data",
    ]
    assert styled(e, "Heading 2") == [f"2.{n} {a.name_en}" for n, a in enumerate(engine.config.areas, 1)]
    assert not any(ch in body_text(e) for ch in "一二三四、（）")  # no Chinese numbering in English


def test_the_text_is_the_analysis(engine: Engine, zh: bytes) -> None:
    d, a = doc(zh), analyse(engine, YTD, "zh")
    paragraphs = [p.text for p in d.paragraphs]
    assert a.headline.text in paragraphs
    for area in a.areas:
        for part in area.parts:
            assert part in paragraphs, area.id
    for n, item in enumerate(a.attention, 1):
        assert f"{n}.{item.text}" in paragraphs
    assert (
        "5.T015“联合开展职业技能培训补贴互认”逾期未完成（牵头方：三方共同，应于2023-02-28完成，目前进度76%）。"
        in paragraphs
    )


def test_tables_carry_the_engines_numbers(engine: Engine, zh: bytes, en: bytes) -> None:
    for data, lang in ((zh, "zh"), (en, "en")):
        d = doc(data)
        a = analyse(engine, YTD, lang)
        headline = engine.config.headline_indicators()
        groups = [headline] + [[i for i in engine.config.indicators if i.area == x.id] for x in engine.config.areas]
        assert len(d.tables) == len(groups) + 1  # and the overdue tasks (test_meeting_exports)
        for table, inds in zip(d.tables[: len(groups)], groups, strict=True):
            got = rows(table)
            assert [r[0] for r in got[1:]] == [name_with_unit(i, lang) for i in inds]
            for ind, row in zip(inds, got[1:], strict=True):
                v = engine.value(ind.id, YTD)
                assert row[1] == format_number(v.value, lang, ind.format), ind.id
                assert row[2] == change_text(v.yoy, lang, ind.format), ind.id
                assert row[4] == status_label(a.lines[ind.id].status, lang), ind.id
    first = rows(doc(zh).tables[0])
    assert first[0] == ["指标", "本期值", "同比", "目标进度（序时进度）", "状态"]
    assert first[2] == ["线上招聘专区发布岗位数(个)", "49.46万", "+14.38万 (+41.0%)", "62%（序时67%）", "关注"]
    # The status cell is a chip: coloured, and in words.
    cell = doc(zh).tables[0].rows[2].cells[4]
    assert cell._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == COLORS["amber"].lstrip("#").upper()


def test_notes_on_the_data(engine: Engine, zh: bytes, en: bytes) -> None:
    text = body_text(doc(zh))
    assert "1.数据来源：深化川渝人社合作部省市联席会议第一次会议举行" in text
    assert "数据截至2023-08-29；本简报统计期间为2023年1—8月（2023-01至2023-08）" in text
    assert method_text(engine.config.status, "zh") in text
    assert engine.config.project.sample_note_zh in text
    assert "生成本简报的服务器暂不能绘制图表" in text  # built without Chromium: said, and the text is complete
    assert "2024-01-02 11:04 (Asia/Shanghai)" in text and "+00:00" not in text
    assert "Produced by the Sichuan–Chongqing HR cooperation dashboard at 2024-01-02 11:04" in body_text(doc(en))


def test_fonts_are_named_for_latin_and_east_asian_text(zh: bytes) -> None:
    d = doc(zh)
    for name, latin, east in (("Normal", "Times New Roman", "SimSun"), ("Heading 1", "Arial", "SimHei")):
        fonts = d.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:ascii")) == latin and fonts.get(qn("w:eastAsia")) == east, name
        assert fonts.get(qn("w:eastAsiaTheme")) is None and fonts.get(qn("w:asciiTheme")) is None
        tag = d.styles[name].element.rPr.find(qn("w:lang"))
        assert tag.get(qn("w:val")) == "zh-CN" and tag.get(qn("w:eastAsia")) == "zh-CN"


def test_a_place_filter_is_named_under_the_masthead(engine: Engine) -> None:
    data = without_chromium(lambda: build_brief(engine, Filters("2022-01", "2022-12", province="chongqing"), "zh"))
    text = body_text(doc(data))
    assert "（2022年1—12月）" in text and "省市: 重庆" in text


@pytest.mark.slow
def test_with_chromium_the_charts_are_pictures(engine: Engine) -> None:
    if not images.images_available():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required in CI (scripts/setup_system.sh installs it)")
        pytest.skip("Chromium not installed")
    d = doc(build_brief(engine, YTD, "en", generated=GENERATED))
    headline = [i for i in engine.config.headline_indicators() if i.id != "agreement_tasks_completed"]
    assert len(d.inline_shapes) == 1 + len(headline)  # the burn-up and each headline indicator's chart
    assert "could not draw charts" not in body_text(d)


def test_cli_writes_the_brief(engine: Engine, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "renderer", lambda: NoChromium())
    monkeypatch.setattr(images, "images_available", lambda: False)
    assert main(["brief", "--lang", "en", "-o", str(tmp_path)]) == 0
    path = tmp_path / "work-brief_2023-01_2023-08_all_en_asof-2023-08-29.docx"  # year to date by default
    err = capsys.readouterr().err
    assert (
        f"wrote {path}" in err and "warning: no Chromium, the brief will have no charts (its text is complete)." in err
    )
    assert styled(Document(str(path)), "Heading 1")[0] == "1. Overall progress"
    assert main(["brief", "-o", str(tmp_path / "brief.pptx")]) == 2
    assert "the brief is a .docx file" in capsys.readouterr().err
    assert main(["brief", "--period", "ytd", "--from", "2023-01"]) == 2


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_libreoffice_converts_the_brief(lang: str, engine: Engine, zh: bytes, en: bytes, tmp_path: Path) -> None:
    data = zh if lang == "zh" else build_brief(engine, YTD, "en", generated=GENERATED)  # en with charts if possible
    pdf = to_pdf(data, ".docx", tmp_path)
    pages = pages_png(pdf)
    assert page_count(pdf) == len(pages) >= 4
    blank = [p.name for p in pages if ink(p) < INK_MIN]
    assert not blank, blank

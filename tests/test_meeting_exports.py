"""The meeting pack's task-supervision slide and the brief's 三、任务督办情况, both from
metrics.supervision.meeting_summary: tasks completed since the last meeting, overdue tasks with their lead party
and latest approved note, and each party's missing reports (催报). A note with a <script>, a Markdown link and an
=HYPERLINK formula comes out as the same plain text, never a link or a field."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from pptx import Presentation

from metrics import Engine, Filters
from metrics.cli import main
from metrics.exports import deck as D
from metrics.exports import images
from metrics.exports.brief import build_brief
from metrics.reports import Desk, Draft, Ledger, read_ledger
from metrics.roles import load_roles
from metrics.supervision import last_meeting, meeting_summary
from metrics.userstore import open_store

YTD = Filters("2023-01", "2023-08")
GENERATED = datetime(2024, 1, 2, 3, 4, tzinfo=UTC)
NOTE = '<script>alert(1)</script> [点此](http://evil.example) =HYPERLINK("http://evil.example","x")'
ROLES = load_roles({}, {"CHUANYU_REPORTERS": "sichuan=alice", "CHUANYU_REVIEWERS": "dave"})


class NoChromium:
    """A renderer standing in for a machine without Chromium (the text is what is tested here)."""

    def render(self, *args: object, **kw: object) -> bytes:
        raise images.ImageExportUnavailable("no Chromium")


@pytest.fixture(scope="module")
def ledger(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    """The sample's reports plus one approved 2023-08 report on T069 (overdue, led by Sichuan) with NOTE."""
    store = open_store(url=f"sqlite:///{tmp_path_factory.mktemp('meeting') / 'store.sqlite3'}")
    assert store is not None
    desk = Desk(engine, store, ROLES)
    desk.submit("alice", Draft(task_id="T069", period="2023-08", progress_pct=88, state="at_risk", progress_note=NOTE))
    desk.review("dave", "T069", "2023-08", "approved")
    return read_ledger(store)


@pytest.fixture(scope="module")
def decks(engine: Engine, ledger: Ledger) -> dict[str, Presentation]:
    saved = images.renderer
    images.renderer = lambda: NoChromium()  # type: ignore[assignment]
    try:
        return {
            lang: Presentation(io.BytesIO(D.build_deck(engine, YTD, lang, generated=GENERATED, ledger=ledger)))
            for lang in ("zh", "en")
        }
    finally:
        images.renderer = saved  # type: ignore[assignment]


@pytest.fixture(scope="module")
def briefs(engine: Engine, ledger: Ledger) -> dict[str, Any]:
    saved = images.renderer
    images.renderer = lambda: NoChromium()  # type: ignore[assignment]
    try:
        return {
            lang: Document(io.BytesIO(build_brief(engine, YTD, lang, generated=GENERATED, ledger=ledger)))
            for lang in ("zh", "en")
        }
    finally:
        images.renderer = saved  # type: ignore[assignment]


def texts(slide: Any) -> list[str]:
    return [p.text for s in slide.shapes if s.has_text_frame for p in s.text_frame.paragraphs]


def table_rows(table: Any) -> list[list[str]]:
    return [[c.text for c in r.cells] for r in table.rows]


def test_the_last_meeting_is_the_end_of_the_period_before(engine: Engine, ledger: Ledger) -> None:
    assert last_meeting(engine) == date(2023, 7, 31)  # the current period is 2023-08 on the sample
    m = meeting_summary(engine, ledger=ledger, lang="en")
    assert (m.since, m.as_of, m.period, m.deadline) == (
        date(2023, 7, 31),
        date(2023, 8, 29),
        "2023-08",
        date(2023, 8, 25),
    )
    assert m.completed["task_id"].tolist() == ["T092"]
    late = m.overdue.set_index("task_id").loc["T069"]
    assert (late["lead"], late["progress_pct"], late["note"]) == ("Sichuan", 88, NOTE)
    assert meeting_summary(engine, date(2023, 8, 23), ledger=ledger).completed.empty  # T092 finished that day


def test_the_supervision_slide_zh(decks: dict[str, Presentation]) -> None:
    slide = decks["zh"].slides[3]  # after the title, the summary and the burn-up
    assert slide.shapes.title.text == "任务督办 · 2023-08"
    lines = texts(slide)
    assert "上次会议（2023-07-31）以来完成1项 · 逾期7项 · 2023-08进展报告缺报5项（截止2023-08-25）" in lines
    table = next(s.table for s in slide.shapes if s.has_table)
    rows = table_rows(table)
    assert rows[0] == ["任务", "牵头方", "截止日期", "逾期", "进度", "最新进展（审核通过）"]
    assert rows[1] == [
        "T033 推进工伤认定和劳动能力鉴定结果互认",
        "三方共同",
        "2022-01-28",
        "578天",
        "53%",
        "本期推进3个百分点,累计完成53%。",
    ]
    assert [r[0] for r in rows[1:]] == [
        "T033 推进工伤认定和劳动能力鉴定结果互认",
        "T069 推进“异地快办”服务模式",
        "T093 建好成渝双核合作对接平台",
        "T015 联合开展职业技能培训补贴互认",
        "T094 强化党建队伍科研交流协作",
        "T081 共建就业数据共享目录",
        "T082 推进电子社保卡跨省应用",
    ]
    assert [r[1] for r in rows[1:]] == ["三方共同", "四川", "重庆", "三方共同", "人社部", "人社部", "人社部"]
    # The note is cut to its cell's line, as plain text; the speaker notes carry it whole.
    assert rows[2][4:] == ["88%", "<script>alert(1)</script> [点此](http://evil.example)…"]
    assert "上次会议以来完成" in lines and "• T092 深入实施川渝人社“十大专项行动”（三方共同，2023-08-23）" in lines
    assert "缺报（催报）" in lines
    assert (
        "• 人社部（4项）：T017 推进就业失业登记跨省通办、T035 建立社保待遇异地协查机制、"
        "T073 建立跨省通办业务协同联络机制、T081 共建就业数据共享目录" in lines
    )
    assert "• 重庆（1项）：T018 建立重点群体就业帮扶协作机制" in lines
    notes = slide.notes_slide.notes_text_frame.text.split("\n")
    assert f"T069 推进“异地快办”服务模式（牵头方：四川；应于2022-01-28完成，逾期578天，进度88%）：{NOTE}" in notes


def test_the_supervision_slide_en_and_no_links(decks: dict[str, Presentation]) -> None:
    slide = decks["en"].slides[3]
    assert slide.shapes.title.text == "Task supervision · 2023-08"
    lines = texts(slide)
    assert (
        "Since the last meeting (2023-07-31): 1 completed · 7 overdue · 5 2023-08 reports missing (due 2023-08-25)"
        in lines
    )
    rows = table_rows(next(s.table for s in slide.shapes if s.has_table))
    assert rows[0] == ["Task", "Lead party", "Due", "Late by", "Progress", "Latest approved note"]
    assert rows[2][:4] == ["T069 Introduce fast handling for non-local applicants", "Sichuan", "2022-01-28", "578 days"]
    assert "• Chongqing (1): T018 Cooperate on job support for priority groups" in lines
    for prs in decks.values():
        xml = prs.slides[3]._element.xml + prs.slides[3].notes_slide._element.xml
        assert "hlinkClick" not in xml and "<script>" not in xml  # escaped text, never a link
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml


def test_the_supervision_section_of_the_brief(briefs: dict[str, Any]) -> None:
    d = briefs["zh"]
    headings = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、总体进展", "二、分领域进展", "三、任务督办情况", "四、需关注事项", "五、数据说明"]
    paragraphs = [p.text for p in d.paragraphs]
    start = paragraphs.index("三、任务督办情况")
    assert paragraphs[start + 1 : start + 4] == [
        "上次会议（2023-07-31）以来完成任务1项：T092 深入实施川渝人社“十大专项行动”（三方共同，2023-08-23）。",
        "逾期未完成任务7项，牵头方与最近一期审核通过的进展见下表。",
        "逾期任务及最新进展",
    ]
    assert paragraphs[start + 4 : start + 7] == [
        "2023-08进展报告截止2023-08-25后仍未报送5项（催报）：",
        "人社部4项：T017“推进就业失业登记跨省通办”、T035“建立社保待遇异地协查机制”、T073“建立跨省通办业务协同联络机制”、"
        "T081“共建就业数据共享目录”。",
        "重庆1项：T018“建立重点群体就业帮扶协作机制”。",
    ]
    table = next(t for t in d.tables if t.rows[0].cells[0].text == "任务")
    rows = table_rows(table)
    assert rows[0] == ["任务", "牵头方", "截止日期", "逾期", "进度", "最新进展（审核通过）"]
    assert rows[2] == ["T069 推进“异地快办”服务模式", "四川", "2022-01-28", "578天", "88%", NOTE]  # whole, as written
    assert len(rows) == 8
    xml = d.element.xml
    # Text runs only: no hyperlink, no field (the page number lives in the footer), the markup escaped.
    assert "w:hyperlink" not in xml and "w:instrText" not in xml and "w:fldSimple" not in xml
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml


def test_the_brief_in_english(briefs: dict[str, Any]) -> None:
    d = briefs["en"]
    headings = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert headings[2:4] == ["3. Task supervision", "4. Matters needing attention"]
    paragraphs = [p.text for p in d.paragraphs]
    assert (
        "Tasks completed since the last meeting (2023-07-31), 1 in all: T092 Carry out the ten joint special actions "
        "(Joint, 2023-08-23)." in paragraphs
    )
    assert "Chongqing (1): T018 “Cooperate on job support for priority groups”." in paragraphs


def test_since_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["brief", "--since", "2023-02-30", "-o", str(tmp_path)]) == 2
    assert "--since 2023-02-30: not a date (YYYY-MM-DD)" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_missing_reports_share_the_room_longest_cut_first() -> None:
    assert D.line_shares([2, 1], 7) == [2, 1]  # room for all
    assert D.line_shares([6, 1], 7) == [4, 1]  # never more than PARTY_LINES
    assert D.line_shares([6, 6], 5) == [2, 3]
    assert D.line_shares([3, 3, 3], 2) == [1, 1, 1]  # one line each at the least

"""The per-party Excel template: pre-filled, uploaded back through the ingest readers and contract checks, row-level
errors naming file, row and column, nothing stored unless every row is valid; notes stay text in the workbook."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from metrics import Engine
from metrics.report_template import template_bytes, upload_reports
from metrics.reports import Desk, Draft, read_ledger, read_version
from metrics.roles import load_roles
from metrics.userstore import Store, open_store

ROLES = load_roles({}, {"CHUANYU_REPORTERS": "sichuan=alice;chongqing=carol", "CHUANYU_REVIEWERS": "dave"})
HEADER_ROW = 3  # a title row and a note above the header


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    s = open_store(url=f"sqlite:///{tmp_path / 'store.sqlite3'}")
    assert s is not None
    return s


def fill(workbook: bytes, rows: dict[str, dict[str, object]], extra: list[list[object]] = ()) -> bytes:
    """The template with some rows filled in (by task id and header) and extra rows appended."""
    wb = openpyxl.load_workbook(io.BytesIO(workbook))
    ws = wb.active
    header = [c.value for c in ws[HEADER_ROW]]
    for r in ws.iter_rows(min_row=HEADER_ROW + 1):
        for name, value in rows.get(str(r[0].value), {}).items():
            r[header.index(name)].value = value
    for row in extra:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_filled_template_is_stored_and_empty_rows_are_skipped(engine: Engine, store: Store) -> None:
    book = template_bytes(engine, "sichuan", "zh", ledger=read_ledger(store))
    filled = fill(book, {"T019": {"进度百分比": 75, "进展情况": "完成第二批试点"}, "T036": {"进展情况": "按计划推进"}})
    result = upload_reports(Desk(engine, store, ROLES), "alice", filled, "sichuan.xlsx")
    assert result.ok and (result.rows, result.skipped) == (9, 7)
    assert [(s.task_id, s.period, s.version) for s in result.stored] == [("T019", "2023-08", 2), ("T036", "2023-08", 2)]
    rows = read_ledger(store).frame.set_index("task_id")
    assert rows.at["T019", "progress_pct"] == 75 and rows.at["T036", "progress_pct"] == 89  # pre-filled, kept
    assert set(rows["source"]) == {"excel"} and set(rows["review_state"]) == {"pending"}


def test_one_bad_row_refuses_the_whole_file_with_row_level_problems(engine: Engine, store: Store) -> None:
    book = template_bytes(engine, "sichuan", "zh", ledger=read_ledger(store))
    filled = fill(
        book,
        {
            "T019": {"进展情况": "正常"},  # valid
            "T036": {"进度百分比": 150, "进展情况": "超额"},  # the contract's maximum
            "T037": {"状态": "已完成", "进度百分比": 90, "进展情况": "完成"},  # completed needs 100%
            "T054": {"报送期": "2023-13", "进展情况": "x"},  # not a month
        },
        # A Chongqing task typed into Sichuan's template.
        extra=[["T018", "", "", "2023-08", 50, "正常推进", None, "混入", None, None, None]],
    )
    result = upload_reports(Desk(engine, store, ROLES), "alice", filled, "sichuan.xlsx", "en")
    got = [(p.row, p.column, p.reason) for p in result.problems]
    # Rows 4-12 are T015, T019, T036, T037, T054, T057, T069, T084, T085 (by id); the typed-in row is 13.
    assert got == [
        (6, "progress_pct", "above the maximum 100"),
        (7, "progress_pct", "a completed task reports 100% progress, got 90"),
        (8, "period", "not a month YYYY-MM"),
        (13, "task_id", "alice reports for Sichuan; task T018 is reported by Chongqing"),
    ]
    assert all(p.file == "sichuan.xlsx" for p in result.problems)
    assert read_version(store)[1:] == (0, 0)


def test_a_gbk_csv_with_chinese_headers_is_read(engine: Engine, store: Store) -> None:
    csv = "任务编号,报送期,进度百分比,状态,进展情况\nT019,2023-08,70,存在风险,推进中\n".encode("gb18030")
    result = upload_reports(Desk(engine, store, ROLES), "alice", csv, "report.csv")
    assert result.ok and len(result.stored) == 1
    assert read_ledger(store).frame.iloc[0]["state"] == "at_risk"


def test_a_file_from_someone_who_is_not_a_reporter_is_refused_whole(engine: Engine, store: Store) -> None:
    csv = b"task_id,period,progress_pct,progress_note\nT019,2023-08,70,x\n"
    result = upload_reports(Desk(engine, store, ROLES), "mallory", csv, "report.csv", "en")
    assert [p.reason for p in result.problems] == [
        "mallory is not a reporter: name their party in [access] reporters or CHUANYU_REPORTERS"
    ]
    assert read_version(store)[1:] == (0, 0)


def test_a_returned_note_is_written_back_as_text_not_a_formula(engine: Engine, store: Store) -> None:
    desk = Desk(engine, store, ROLES)
    formula = '=HYPERLINK("https://evil.example","点此")'
    desk.submit("alice", Draft("T019", "2023-08", 70, progress_note=formula, issues="[链接](javascript:alert(1))"))
    desk.review("dave", "T019", "2023-08", "returned", "请重写")
    ws = openpyxl.load_workbook(io.BytesIO(template_bytes(engine, "sichuan", ledger=read_ledger(store)))).active
    header = [c.value for c in ws[HEADER_ROW]]
    row = next(r for r in ws.iter_rows(min_row=HEADER_ROW + 1) if r[0].value == "T019")
    note = row[header.index("进展情况")]
    assert note.value == formula and note.data_type == "s" and note.quotePrefix
    assert row[header.index("存在问题")].value == "[链接](javascript:alert(1))"

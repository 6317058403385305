"""Every bad file is refused with a clear problem (row as in the file, column, value, reason) and changes nothing."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pandas as pd
import pytest

from metrics.ingest import MAX_UPLOAD_BYTES
from tests.support.ingest import assert_refused, fixture_bytes, ingest, snapshot, xlsx_bytes

HEADER = "month,province,city_id,enterprise_id,positions\n"


def csv(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(r + "\n" for r in rows)).encode("utf-8")


def test_wrong_header(mini_copy: Path) -> None:
    before = snapshot(mini_copy)
    r = ingest(mini_copy, csv("2023-05,sichuan,chengdu,E5,1", header="month,province,city_id,enterprise_id,positons\n"))
    assert_refused(
        r,
        before,
        mini_copy,
        "row 1, column 'positions': missing column",
        "column 'positons': unexpected column (not in the contract; did you mean 'positions'?)",
    )


def test_missing_column(mini_copy: Path) -> None:
    before = snapshot(mini_copy)
    r = ingest(mini_copy, csv("2023-05,sichuan,chengdu,1", header="month,province,city_id,positions\n"))
    assert_refused(r, before, mini_copy, "column 'enterprise_id': missing column (header enterprise_id or 企业编号)")


def test_extra_column(mini_copy: Path) -> None:
    before = snapshot(mini_copy)
    r = ingest(mini_copy, csv("2023-05,sichuan,chengdu,E5,1,x", header=HEADER.strip() + ",comment\n"))
    assert_refused(r, before, mini_copy, "column 'comment': unexpected column")


def test_text_in_a_numeric_column(mini_copy: Path) -> None:
    before = snapshot(mini_copy)
    r = ingest(mini_copy, csv("2023-05,sichuan,chengdu,E5,1", "2023-05,sichuan,chengdu,E6,five"))
    assert_refused(r, before, mini_copy, "new.csv, row 3, column 'positions': not a whole number (value 'five')")


def test_negative_count(mini_copy: Path) -> None:
    before = snapshot(mini_copy)
    r = ingest(mini_copy, csv("2023-05,sichuan,chengdu,E5,-4"))
    assert_refused(r, before, mini_copy, "row 2, column 'positions': negative count (value '-4')")


def test_duplicate_key_inside_the_file(mini_copy: Path) -> None:
    before = snapshot(mini_copy)
    r = ingest(mini_copy, csv("2023-05,sichuan,chengdu,E5,1", "2023-05,sichuan,chengdu,E5,2"))
    assert_refused(r, before, mini_copy, "row 3, column 'month+city_id+enterprise_id': duplicate primary key")


def test_duplicate_key_against_existing_rows_in_append_mode(mini_copy: Path) -> None:
    before = snapshot(mini_copy)
    r = ingest(mini_copy, csv("2023-05,sichuan,chengdu,E5,1", "2023-01,sichuan,chengdu,E1,99"))
    assert_refused(
        r,
        before,
        mini_copy,
        "row 3, column 'month+city_id+enterprise_id': primary key already exists in the current data",
        "month=2023-01, city_id=chengdu, enterprise_id=E1",
    )


def test_date_out_of_range(mini_copy: Path) -> None:
    before = snapshot(mini_copy)
    r = ingest(mini_copy, csv("2031-01,sichuan,chengdu,E5,1", "2019-12,sichuan,chengdu,E6,1"))
    assert_refused(
        r,
        before,
        mini_copy,
        "row 2, column 'month': above the maximum 2030-12-01 (value '2031-01')",
        "row 3, column 'month': below the minimum 2020-01-01 (value '2019-12')",
    )


def test_unknown_province_and_unknown_city(mini_copy: Path) -> None:
    before = snapshot(mini_copy)
    r = ingest(mini_copy, csv("2023-05,beijing,chengdu,E5,1", "2023-05,sichuan,lhasa,E6,1"))
    assert_refused(
        r,
        before,
        mini_copy,
        "row 2, column 'province': not an allowed value (chongqing, sichuan) (value 'beijing')",
        "row 3, column 'city_id': unknown cities.city_id value (value 'lhasa')",
    )


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "the file is empty"),
        (HEADER.encode(), "the file has no data rows"),
        (b"\n\n  \n", "no header row"),
    ],
)
def test_empty_file(mini_copy: Path, data: bytes, reason: str) -> None:
    before = snapshot(mini_copy)
    assert_refused(ingest(mini_copy, data), before, mini_copy, reason)


def test_binary_garbage_named_csv(mini_copy: Path) -> None:
    before = snapshot(mini_copy)
    garbage = random.Random(7).randbytes(4096)
    assert_refused(ingest(mini_copy, garbage, "postings.csv"), before, mini_copy, "postings.csv: the content is binary")
    no_nul = bytes(b for b in garbage if b) + bytes(range(1, 32)) * 20
    r = ingest(mini_copy, no_nul, "postings.csv")
    assert_refused(r, before, mini_copy, "postings.csv")
    assert "binary" in r.problems[0].reason or "cannot be decoded" in r.problems[0].reason


def test_xlsx_with_no_matching_sheet(mini_copy: Path) -> None:
    before = snapshot(mini_copy)
    data = xlsx_bytes([HEADER.strip().split(","), ["2023-05", "sichuan", "chengdu", "E5", 1]], sheet="岗位")
    r = ingest(mini_copy, data, "postings.xlsx", sheet="postings")
    assert_refused(r, before, mini_copy, "no sheet named 'postings'; the workbook has: 岗位")


def test_oversize_file(mini_copy: Path) -> None:
    before = snapshot(mini_copy)
    big = csv("2023-05,sichuan,chengdu,E5,1") + b"#" * MAX_UPLOAD_BYTES
    assert_refused(ingest(mini_copy, big), before, mini_copy, "more than the limit of 16 MB")


@pytest.mark.parametrize(
    "name", ["../../x.csv", "..\\x.csv", "data/postings.csv", "/etc/passwd.csv", "a..csv", "x\n.csv"]
)
def test_file_name_that_looks_like_a_path(mini_copy: Path, name: str) -> None:
    before = snapshot(mini_copy)
    outside = mini_copy.parent / "x.csv"
    r = ingest(mini_copy, fixture_bytes("postings_append.csv"), name)
    assert_refused(r, before, mini_copy, "is not accepted: give a plain file name")
    assert not outside.exists()


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("p.csv", xlsx_bytes([["a"], ["b"]]), "named .csv but the content is a ZIP/Excel workbook"),
        ("p.xlsx", b"month,province\n2023-01,sichuan\n", "named .xlsx but the content is not an Excel workbook"),
        ("p.xlsx", b"PK\x03\x04garbage", "the workbook is damaged"),
        ("p.xls", b"\xd0\xcf\x11\xe0", "this Excel format is not accepted"),
        ("p.txt", b"month\n", "only .csv and .xlsx files are accepted"),
        ("p.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old-format (.xls) or password-protected"),
    ],
)
def test_extension_and_content_must_agree(mini_copy: Path, name: str, data: bytes, reason: str) -> None:
    before = snapshot(mini_copy)
    assert_refused(ingest(mini_copy, data, name), before, mini_copy, reason)


def test_every_problem_is_collected_with_rows_as_in_the_file(mini_copy: Path) -> None:
    before = snapshot(mini_copy)
    r = ingest(mini_copy, fixture_bytes("postings_many_problems.csv"), "many.csv")
    assert_refused(
        r,
        before,
        mini_copy,
        "many.csv, row 2, column 'positions': negative count (value '-3')",
        "many.csv, row 3, column 'city_id': unknown cities.city_id value (value 'lhasa')",
        # line 4 is blank: the next row is row 5, as Excel and an editor show it
        "many.csv, row 5, column 'province': not an allowed value",
        "many.csv, row 5, column 'positions': not a whole number (value 'many')",
        "many.csv, row 6, column 'month': above the maximum",
        "many.csv, row 7, column 'month+city_id+enterprise_id': duplicate primary key",
    )
    assert [p.row for p in r.problems] == sorted(p.row for p in r.problems)


def test_xlsx_problems_use_excel_row_numbers_and_the_officers_headers(mini_copy: Path) -> None:
    before = snapshot(mini_copy)
    rows = [
        ["月份", "省市", "城市代码", "企业编号", "岗位数"],
        ["2023-05", "sichuan", "chengdu", "E5", 1],
        ["2023-05", "sichuan", "chengdu", "E6", "lots"],
    ]
    r = ingest(mini_copy, xlsx_bytes(rows, first_row=3), "p.xlsx")
    assert_refused(r, before, mini_copy, "p.xlsx, row 5, column '岗位数 (positions)': not a whole number")


def test_ragged_row_is_reported(mini_copy: Path) -> None:
    before = snapshot(mini_copy)
    r = ingest(mini_copy, csv("2023-05,sichuan,chengdu,E5,1,oops"))
    assert_refused(r, before, mini_copy, "row 2: the row has 6 cells but the header has 5 columns (value 'oops')")


def test_problem_report_downloads_as_safe_csv(mini_copy: Path) -> None:
    r = ingest(mini_copy, csv('2023-05,sichuan,=HYPERLINK("http://x"),E5,1'))
    assert not r.ok
    data = r.problems_csv()
    assert data.startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
    assert list(df.columns) == ["file", "row", "column", "value", "reason"]
    assert df.loc[0, "value"].startswith("'=HYPERLINK") and df.loc[0, "row"] == "2"


def test_refusals_are_audited_but_dry_runs_are_not(mini_copy: Path) -> None:
    from metrics.ingest.audit import read_events

    ingest(mini_copy, csv("2023-05,sichuan,chengdu,E5,x"), dry_run=True)
    assert read_events(mini_copy / "data") == []
    ingest(mini_copy, csv("2023-05,sichuan,chengdu,E5,x"), "bad.csv")
    [event] = read_events(mini_copy / "data")
    assert event["result"] == "rejected" and event["file_name"] == "bad.csv" and event["problems"] == 1
    assert event["user"] == "tester" and len(event["sha256"]) == 64


def test_unknown_service_item_in_the_shipped_project(tmp_path: Path) -> None:
    """The real contracts: a transaction for an item that is not among the 43 is refused."""
    import shutil

    from metrics.config import DEFAULT_CONFIG
    from metrics.ingest import ingest_upload

    data_dir = tmp_path / "data"
    shutil.copytree(DEFAULT_CONFIG.parent / "data", data_dir)
    before = snapshot(tmp_path)
    rows = (
        "月份,事项编号,办理地,申请人参保地,业务量\n2023-09,S01,sichuan,chongqing,5\n2023-09,S99,sichuan,chongqing,5\n"
    )
    r = ingest_upload(
        rows.encode("gb18030"), "通办业务2023年9月.csv", "service_transactions", "tester", data_dir=data_dir
    )
    assert not r.ok
    assert (
        str(r.problems[0]).split(", ", 1)[1]
        == "row 3, column '事项编号 (item_id)': unknown service_items.item_id value (value 'S99')"
    )
    assert snapshot(tmp_path) == before and not (data_dir / ".versions").exists()

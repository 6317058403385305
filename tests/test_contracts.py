"""Dataset contracts: a malformed dataset is reported with file, row, column and problem, and stops the load."""

from __future__ import annotations

from pathlib import Path

import pytest

from metrics import ContractError, Engine
from metrics.build.backend import SCAN_CHUNK, csv_blank_free
from metrics.build.duck import DuckBackend
from tests.support.contract_cases import CASES, pandas_problems, project_with, sql_problems


def load(project: Path, tmp_path: Path) -> Engine:
    return Engine(project / "config.yaml", cache_dir=tmp_path / "cache")


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def problems(project: Path, tmp_path: Path) -> list[str]:
    with pytest.raises(ContractError) as e:
        load(project, tmp_path)
    return [str(p) for p in e.value.problems]


def test_text_in_a_numeric_column(mini_copy: Path, tmp_path: Path) -> None:
    p = mini_copy / "data" / "postings.csv"
    write(p, p.read_text(encoding="utf-8").replace("E2,5", "E2,five"))
    found = problems(mini_copy, tmp_path)
    assert any("postings.csv, row 3, column 'positions': not a whole number (value 'five')" in s for s in found)


def test_every_problem_is_collected(mini_copy: Path, tmp_path: Path) -> None:
    p = mini_copy / "data" / "postings.csv"
    text = p.read_text(encoding="utf-8")
    text = text.replace("E2,5", "E2,-5").replace("2023-03,chongqing", "2023-13,chongqing")
    text = text.replace("2023-04,sichuan", "2023-04,beijing")
    write(p, text)
    found = "\n".join(problems(mini_copy, tmp_path))
    assert "row 3, column 'positions': negative count (value '-5')" in found
    assert "row 7, column 'month': not a month YYYY-MM (value '2023-13')" in found
    assert "row 8, column 'province': not an allowed value" in found


def test_duplicate_primary_key(mini_copy: Path, tmp_path: Path) -> None:
    p = mini_copy / "data" / "holders.csv"
    write(p, p.read_text(encoding="utf-8") + "2023-04,sichuan,chengdu,1\n")
    found = "\n".join(problems(mini_copy, tmp_path))
    assert "holders.csv, row 10, column 'month+city_id': duplicate primary key" in found


def test_missing_and_extra_columns(mini_copy: Path, tmp_path: Path) -> None:
    write(mini_copy / "data" / "settlements.csv", "month,province,baseline,actual_days\n2023-01,sichuan,1,1\n")
    found = "\n".join(problems(mini_copy, tmp_path))
    assert "settlements.csv, row 1, column 'baseline_days': missing column" in found
    assert "settlements.csv, row 1, column 'baseline': unexpected column" in found


def test_unknown_reference(mini_copy: Path, tmp_path: Path) -> None:
    p = mini_copy / "data" / "holders.csv"
    write(p, p.read_text(encoding="utf-8").replace("2023-01,sichuan,chengdu", "2023-01,sichuan,lhasa"))
    found = "\n".join(problems(mini_copy, tmp_path))
    assert "holders.csv, row 2, column 'city_id': unknown cities.city_id value (value 'lhasa')" in found


def test_empty_required_value_and_missing_file(mini_copy: Path, tmp_path: Path) -> None:
    p = mini_copy / "data" / "holders.csv"
    write(p, p.read_text(encoding="utf-8").replace(",chengdu,100", ",chengdu,"))
    (mini_copy / "data" / "settlements.csv").unlink()
    found = "\n".join(problems(mini_copy, tmp_path))
    assert "column 'holders': required value is empty" in found
    assert "settlements.csv: dataset 'settlements': file not found" in found


def test_chinese_headers_are_accepted(mini_copy: Path, tmp_path: Path) -> None:
    write(
        mini_copy / "data" / "settlements.csv",
        "月份,省市,基准天数,实际天数\n2023-01,sichuan,100,30\n2023-01,chongqing,50,25\n2023-02,sichuan,200,40\n",
    )
    assert load(mini_copy, tmp_path).value("time_cut").value == pytest.approx(255 / 350)


def test_a_failed_load_leaves_no_database(mini_copy: Path, tmp_path: Path) -> None:
    write(mini_copy / "data" / "postings.csv", "month\n")
    problems(mini_copy, tmp_path)
    assert not list((tmp_path / "cache").glob("*.duckdb")) if (tmp_path / "cache").exists() else True


# -- the SQL checks (every build) and the pandas checks (ingest) agree on the same bad files -----------------
@pytest.mark.parametrize("file, dataset, count", CASES, ids=[c[0] for c in CASES])
def test_sql_checks_report_what_the_pandas_checks_report(tmp_path: Path, file: str, dataset: str, count: int) -> None:
    config, label = project_with(tmp_path, file, dataset)
    expected = pandas_problems(config, dataset, label)
    be = DuckBackend(tmp_path / "check.duckdb")
    try:
        got = sql_problems(be, config, dataset)
    finally:
        be.close()
    assert len(expected) == count
    assert got == expected


def test_the_edges_of_each_type(tmp_path: Path) -> None:
    config, label = project_with(tmp_path, "bad/postings_cells.csv", "postings")
    found = {(p.row, p.column, p.value, p.reason) for p in pandas_problems(config, "postings", label)}
    # 2023-1, 2023-01-01, 2023-1-1, 12.0, +5, " 7 " and blanks around cells are fine: rows 2-4 and 7 parse.
    assert not {r for r, *_ in found} & {2, 3, 4}
    assert (6, "positions", "１２", "not a whole number") in found
    assert (7, "positions", "0x10", "not a whole number") in found
    assert (11, "month", "2031-01", "above the maximum 2030-12-01") in found
    assert (
        10,
        "month+city_id+enterprise_id",
        "month=2023-03, city_id=chengdu, enterprise_id=E6",
        "duplicate primary key (same key as an earlier row)",
    ) in found


# -- a file without blanks skips the stripping; the scan that decides it must not miss a blank -----------------
@pytest.mark.parametrize(
    "cell, free",
    [
        ("E9", True),
        ("E 9", False),
        ("E9\t", False),
        ('"E9"', False),
        ("E9\r", False),
        ("E9\x0b", False),
        ("E9\x0c", False),
        ("成都", True),
        ("E9\u00a0", False),
        ("\u3000E9", False),
    ],
)
def test_the_blank_scan_finds_every_blank(tmp_path: Path, cell: str, free: bool) -> None:
    f = tmp_path / "x.csv"
    f.write_bytes(f"a b,c\n1,{cell}\n".encode())  # a blank in the header does not count
    assert csv_blank_free(f) is free


def test_the_blank_scan_sees_a_blank_across_two_chunks(tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    head = b"a\n" + "成".encode() * 10
    pad = b"x" * (SCAN_CHUNK - len(head) + 2 - 1)  # the ideographic space's first byte ends the first chunk
    f.write_bytes(head + pad + "\u3000".encode() + b"\n")
    assert f.stat().st_size > SCAN_CHUNK + 2
    assert csv_blank_free(f) is False


def test_a_bad_file_without_blanks_is_checked_as_one_with_them(mini_copy: Path, tmp_path: Path) -> None:
    data = mini_copy / "data" / "postings.csv"
    rows = [
        "month,province,city_id,enterprise_id,positions",
        "2023-01,sichuan,chengdu,E1,10",
        "2023-13,sichuan,chengdu,E2,5",
        "2023-02,hubei,nowhere,,x",
        "2023-01,sichuan,chengdu,E1,-1",
    ]
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    be = DuckBackend(tmp_path / "a.duckdb")
    try:
        fast = sql_problems(be, mini_copy / "config.yaml", "postings")
        assert be.blank_free()
    finally:
        be.close()
    data.write_text("\n".join(rows).replace("E2,", " E2 ,") + "\n", encoding="utf-8")
    be = DuckBackend(tmp_path / "b.duckdb")
    try:
        slow = sql_problems(be, mini_copy / "config.yaml", "postings")
        assert not be.blank_free()
    finally:
        be.close()
    expected = pandas_problems(mini_copy / "config.yaml", "postings", str(data))
    assert fast == slow == expected
    assert len(expected) == 7

"""`python -m metrics tasks`: the list contract, report, review, history, the template, and every refusal (one line
on stderr, exit 2, nothing stored)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest

from metrics.cli import main
from metrics.userstore import audit, open_store

LIST_KEYS = {"task_id", "plan_id", "lead_party", "status", "progress_pct", "last_report_period", "review_state"}


@pytest.fixture()
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    monkeypatch.setenv("CHUANYU_DATABASE_URL", url)
    monkeypatch.setenv("CHUANYU_REPORTERS", "sichuan=alice,bob;chongqing=carol;ministry=erin")
    monkeypatch.setenv("CHUANYU_REVIEWERS", "dave")
    return url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def stored(url: str) -> tuple[int, int, int]:
    """(report versions, reviews, audit events) in the store."""
    store = open_store(url=url)
    assert store is not None
    with store.transaction(write=False) as tx:
        row = tx.query("report_counts")[0]
    return int(str(row["reports"])), int(str(row["reviews"])), len(audit.events(store))


def listed(capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, dict]:
    code, out, _ = run(capsys, "tasks", "list", "--format", "json", *extra)
    assert code == 0
    return {r["task_id"]: r for r in json.loads(out)}


def test_list_json_has_the_contract_fields(capsys: pytest.CaptureFixture[str], store_url: str) -> None:
    rows = listed(capsys)
    assert len(rows) == 97 and set(rows["T001"]) >= LIST_KEYS
    assert rows["T019"] | {"title": ""} == rows["T019"] | {
        "task_id": "T019",
        "plan_id": "agreement",
        "lead_party": "sichuan",
        "reporting_party": "sichuan",
        "status": "in_progress",
        "progress_pct": 65,
        "last_report_period": "2023-08",
        "review_state": "approved",
        "period_status": "approved",
        "title": "",
    }
    assert rows["T018"]["period_status"] == "missing"
    assert rows["T053"]["status"] == "not_started" and rows["T053"]["last_report_period"] is None
    assert sum(r["status"] == "completed" for r in rows.values()) == 63
    annual = listed(capsys, "--plan", "annual_2023")
    assert len(annual) == 20 and {r["plan_id"] for r in annual.values()} == {"annual_2023"}
    mine = listed(capsys, "--user", "carol")
    assert mine and {r["reporting_party"] for r in mine.values()} == {"chongqing"}


def test_an_unknown_plan_is_a_one_line_error(capsys: pytest.CaptureFixture[str], store_url: str) -> None:
    code, out, err = run(capsys, "tasks", "list", "--plan", "annual_2099")
    assert code == 2 and out == ""
    assert err == "error: unknown plan 'annual_2099'; choose one of agreement, annual_2023\n"


def test_report_review_and_history(capsys: pytest.CaptureFixture[str], store_url: str) -> None:
    code, out, err = run(
        capsys,
        "tasks",
        "report",
        "T019",
        "--period",
        "2023-08",
        "--progress",
        "80",
        "--note",
        "试点扩面",
        "--user",
        "alice",
    )
    assert (code, out, err) == (0, "stored: T019 2023-08 version 2, awaiting review\n", "")
    assert listed(capsys)["T019"]["review_state"] == "pending"
    assert listed(capsys)["T019"]["progress_pct"] == 65  # not approved yet
    code, out, _ = run(
        capsys,
        "tasks",
        "review",
        "T019",
        "--period",
        "2023-08",
        "--return",
        "--comment",
        "请补充数据",
        "--user",
        "dave",
    )
    assert (code, out) == (0, "returned: T019 2023-08 version 2\n")
    code, _, _ = run(
        capsys,
        "tasks",
        "report",
        "T019",
        "--period",
        "2023-08",
        "--progress",
        "100",
        "--state",
        "completed",
        "--completed-on",
        "2023-08-28",
        "--note",
        "已完成",
        "--evidence",
        "https://hrss.example.gov.cn/notice/1",
        "--user",
        "bob",
    )
    assert code == 0
    code, out, _ = run(capsys, "tasks", "review", "T019", "--period", "2023-08", "--approve", "--user", "dave")
    assert (code, out) == (0, "approved: T019 2023-08 version 3\n")
    row = listed(capsys)["T019"]
    assert (row["status"], row["progress_pct"], row["completion_date"], row["review_state"]) == (
        "completed",
        100,
        "2023-08-28",
        "approved",
    )
    code, out, _ = run(capsys, "tasks", "history", "T019", "--format", "json")
    history = json.loads(out)
    assert code == 0 and len(history) == 33  # 31 approved reports in the data (2021-02..2023-08), then 2 versions
    assert [(h["period"], h["version"], h["review_state"]) for h in history[-3:]] == [
        ("2023-08", 1, "approved"),
        ("2023-08", 2, "returned"),
        ("2023-08", 3, "approved"),
    ]
    assert history[-2]["review_comment"] == "请补充数据" and history[-1]["evidence"] == [
        "https://hrss.example.gov.cn/notice/1"
    ]
    assert stored(store_url) == (2, 2, 5)  # roles seen, two submissions, two reviews


REFUSALS = [
    (
        ["report", "T018", "--period", "2023-08", "--progress", "50", "--note", "x", "--user", "alice"],
        "error: alice reports for Sichuan; task T018 is reported by Chongqing\n",
    ),
    (
        ["report", "T999", "--period", "2023-08", "--progress", "50", "--note", "x", "--user", "alice"],
        "error: unknown task T999 (see `python -m metrics tasks list`)\n",
    ),
    (
        ["report", "T019", "--period", "2023/08", "--progress", "50", "--note", "x", "--user", "alice"],
        "error: bad period: the period must be a month like 2023-08 (years 1900–2100), got '2023/08'\n",
    ),
    (
        ["report", "T019", "--period", "2023-10", "--progress", "50", "--note", "x", "--user", "alice"],
        "error: bad period: the period 2023-10 has not begun (the current period is 2023-08)\n",
    ),
    (
        ["report", "T019", "--period", "2023-08", "--progress", "101", "--note", "x", "--user", "alice"],
        "error: progress must be a whole number from 0 to 100, got 101\n",
    ),
    (
        ["report", "T019", "--period", "2023-08", "--progress", "-5", "--note", "x", "--user", "alice"],
        "error: progress must be a whole number from 0 to 100, got -5\n",
    ),
    (
        ["report", "T019", "--period", "2023-08", "--progress", "50", "--note", "x", "--user", "mallory"],
        "error: mallory is not a reporter: name their party in [access] reporters or CHUANYU_REPORTERS\n",
    ),
    (
        ["review", "T019", "--period", "2023-08", "--approve", "--user", "alice"],
        "error: alice is not a reviewer: add them to [access] reviewers or CHUANYU_REVIEWERS\n",
    ),
    (
        ["review", "T019", "--period", "2023-08", "--approve", "--user", "dave"],
        "error: task T019 has no report for 2023-08 to review\n",
    ),
    (["history", "T999"], "error: unknown task T999 (see `python -m metrics tasks list`)\n"),
]


@pytest.mark.parametrize(("argv", "message"), REFUSALS, ids=lambda x: " ".join(x) if isinstance(x, list) else "")
def test_refusals_exit_2_with_one_line_and_store_nothing(
    capsys: pytest.CaptureFixture[str], store_url: str, argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, "tasks", *argv)
    assert (code, out, err) == (2, "", message)
    assert stored(store_url)[:2] == (0, 0)


def test_progress_that_is_not_a_number_is_refused_by_the_parser(
    capsys: pytest.CaptureFixture[str], store_url: str
) -> None:
    code, _, err = run(
        capsys, "tasks", "report", "T019", "--period", "2023-08", "--progress", "half", "--note", "x", "--user", "alice"
    )
    assert code == 2 and err.startswith("error: ") and "invalid int value: 'half'" in err and err.count("\n") == 1


def test_template_lists_the_partys_tasks_pre_filled(
    capsys: pytest.CaptureFixture[str], store_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "sichuan.xlsx"
    code, _, _ = run(capsys, "tasks", "template", "--user", "alice", "-o", str(out))
    assert code == 0
    ws = openpyxl.load_workbook(io.BytesIO(out.read_bytes())).active
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    header, body = rows[0], rows[1:]
    assert header[:6] == ["任务编号", "任务名称", "最新进展", "报送期", "进度百分比", "状态"]
    by_task = {r[0]: r for r in body}
    # Sichuan's tasks that owe a 2023-08 report: begun, and not completed before August.
    assert sorted(by_task) == ["T015", "T019", "T036", "T037", "T054", "T057", "T069", "T084", "T085"]
    assert by_task["T019"][3:6] == ["2023-08", 65, "正常推进"]
    assert by_task["T019"][2] == "本期推进10个百分点,累计完成65%。" and by_task["T019"][6:] == [None] * 5

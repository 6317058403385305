"""Progress reports and review (metrics.reports, metrics.tasks, metrics.supervision) on the shipped sample with a
temporary store: roles, every refusal, versions kept, audit, and how approved reports change a task's status."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from metrics import Engine
from metrics.reports import Desk, Draft, Refused, read_ledger, read_version
from metrics.roles import Roles, load_roles
from metrics.supervision import meeting_summary, missing_reports, period_status, report_history, review_queue
from metrics.tasks import area_summary, burnup, task_table
from metrics.userstore import Store, audit, open_store

ROLES = load_roles(
    {}, {"CHUANYU_REPORTERS": "sichuan=alice,bob;chongqing=carol;ministry=erin", "CHUANYU_REVIEWERS": "dave"}
)
# On the sample: T019 is led and reported by Sichuan and in progress (65%); T018 is Chongqing's; T053 starts 2023-10.
SICHUAN_TASK, CHONGQING_TASK, NOT_STARTED = "T019", "T018", "T053"


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    s = open_store(url=f"sqlite:///{tmp_path / 'store.sqlite3'}")
    assert s is not None
    return s


@pytest.fixture()
def desk(engine: Engine, store: Store) -> Desk:
    return Desk(engine, store, ROLES)


def draft(task: str = SICHUAN_TASK, **changes: object) -> Draft:
    values: dict = {"task_id": task, "period": "2023-08", "progress_pct": 70, "progress_note": "本月完成试点"}
    values.update(changes)
    return Draft(**values)


def stored_rows(store: Store) -> int:
    return read_version(store)[1]


# -- roles -------------------------------------------------------------------------------------------------
def test_roles_from_the_environment_and_the_secrets_file() -> None:
    roles = load_roles(
        {"reporters": {"sichuan": ["Frank"], "chongqing": "gina@X.example"}, "reviewers": ["office@x.example"]},
        {"CHUANYU_REPORTERS": "sichuan=alice,bob;chongqing=carol", "CHUANYU_REVIEWERS": "dave"},
    )
    assert roles.party_of("alice") == "sichuan" and roles.party_of("carol") == "chongqing"
    assert roles.party_of("Frank") == "sichuan" and roles.party_of("frank") is None  # account names keep their case
    assert roles.party_of("GINA@x.example") == "chongqing"  # e-mails do not
    assert roles.is_reviewer("dave") and roles.is_reviewer("Office@X.example") and not roles.is_reviewer("alice")
    assert roles.problems == ()


def test_a_reporter_in_two_parties_reports_for_none_and_is_named() -> None:
    roles = load_roles({}, {"CHUANYU_REPORTERS": "sichuan=alice;chongqing=alice;hainan=zed;bad entry"})
    assert roles.party_of("alice") is None and roles.party_of("zed") is None
    assert any("'alice' is listed for more than one party" in p for p in roles.problems)
    assert any("unknown party 'hainan'" in p for p in roles.problems)
    assert any("entries are party=name,name" in p for p in roles.problems)


# -- refusals: each names the rule, and stores nothing ---------------------------------------------------------
@pytest.mark.parametrize(
    ("user", "changes", "code"),
    [
        ("zed", {}, "not_reporter"),
        ("alice", {"task": CHONGQING_TASK}, "wrong_party"),
        ("alice", {"task": "T999"}, "unknown_task"),
        ("alice", {"period": "2023-13"}, "bad_period"),
        ("alice", {"period": "2023-09"}, "bad_period"),  # has not begun on 2023-08-29
        ("alice", {"period": "2020-12"}, "before_start"),
        ("alice", {"progress_pct": 101}, "bad_progress"),
        ("alice", {"progress_pct": -1}, "bad_progress"),
        ("alice", {"state": "done"}, "bad_state"),
        ("alice", {"state": "completed", "progress_pct": 90}, "completed_not_100"),
        ("alice", {"state": "completed", "progress_pct": 100, "completed_on": date(2023, 9, 1)}, "bad_completion"),
        ("alice", {"completed_on": date(2023, 8, 1)}, "completion_without_state"),
        ("alice", {"progress_note": "   "}, "note_required"),
        ("alice", {"progress_note": "x" * 2001}, "too_long"),
        ("alice", {"issues": "a\x00b"}, "control_characters"),
        ("alice", {"evidence": ("javascript:alert(1)",)}, "bad_link"),
        ("alice", {"evidence": tuple(f"https://x.example/{i}" for i in range(11))}, "too_many_links"),
    ],
)
def test_a_refused_report_stores_nothing(desk: Desk, store: Store, user: str, changes: dict, code: str) -> None:
    task = changes.pop("task", SICHUAN_TASK)
    with pytest.raises(Refused) as e:
        desk.submit(user, draft(task, **changes))
    assert e.value.code == code
    assert stored_rows(store) == 0 and audit.events(store) == []


def test_refusals_are_one_line_in_both_languages(desk: Desk) -> None:
    with pytest.raises(Refused) as e:
        desk.submit("alice", draft(CHONGQING_TASK))
    assert str(e.value) == "alice reports for Sichuan; task T018 is reported by Chongqing"
    assert e.value.text("zh") == "alice 代表四川填报,任务 T018 由重庆报送"


def test_a_batch_with_one_bad_row_stores_none_of_it(desk: Desk, store: Store) -> None:
    with pytest.raises(Refused):
        desk.submit_many("alice", [draft(), draft("T036"), draft("T037", progress_pct=300)], "excel")
    assert stored_rows(store) == 0


# -- the workflow ----------------------------------------------------------------------------------------------
def test_submit_return_resubmit_approve_keeps_every_version(engine: Engine, desk: Desk, store: Store) -> None:
    first = desk.submit("alice", draft(progress_pct=70))
    assert (first.task_id, first.period, first.version) == (SICHUAN_TASK, "2023-08", 2)  # the data's report is 1
    with pytest.raises(Refused) as e:
        desk.review("dave", SICHUAN_TASK, "2023-08", "returned", "")
    assert e.value.code == "note_required"
    with pytest.raises(Refused) as e:
        desk.review("alice", SICHUAN_TASK, "2023-08", "approved")
    assert e.value.code == "not_reviewer"
    desk.review("dave", SICHUAN_TASK, "2023-08", "returned", "请补充佐证材料")
    with pytest.raises(Refused) as e:
        desk.review("dave", SICHUAN_TASK, "2023-08", "approved")
    assert e.value.code == "already_reviewed"
    second = desk.submit(
        "bob",
        draft(progress_pct=100, state="completed", completed_on=date(2023, 8, 28), evidence=("https://x.example/a",)),
    )
    assert second.version == 3
    desk.review("dave", SICHUAN_TASK, "2023-08", "approved")
    h = report_history(engine, SICHUAN_TASK, read_ledger(store))
    mine = h[h["period"] == "2023-08"]
    assert mine[["version", "origin", "review_state", "reporter"]].values.tolist() == [
        [1, "data", "approved", "sichuan.office"],
        [2, "store", "returned", "alice"],
        [3, "store", "approved", "bob"],
    ]
    assert mine["review_comment"].tolist() == ["", "请补充佐证材料", ""]
    actions = [(e["actor"], e["action"], e["subject"]) for e in audit.events(store)]
    assert actions == [
        ("(settings)", "roles.change", None),
        ("alice", "report.submit", "T019/2023-08"),
        ("dave", "report.return", "T019/2023-08"),
        ("bob", "report.submit", "T019/2023-08"),
        ("dave", "report.approve", "T019/2023-08"),
    ]
    assert audit.verify(store) == []


def test_a_reviewer_cannot_review_their_own_report(engine: Engine, store: Store) -> None:
    both = load_roles({}, {"CHUANYU_REPORTERS": "sichuan=dave", "CHUANYU_REVIEWERS": "dave"})
    desk = Desk(engine, store, both)
    desk.submit("dave", draft())
    with pytest.raises(Refused) as e:
        desk.review("dave", SICHUAN_TASK, "2023-08", "approved")
    assert e.value.code == "own_report"
    with pytest.raises(Refused) as e:
        desk.review("dave", "T036", "2023-08", "approved")
    assert e.value.code == "nothing_to_review"


def test_a_change_of_role_is_audited_once(engine: Engine, store: Store) -> None:
    assert Desk(engine, store, ROLES).sync_roles() is True
    assert Desk(engine, store, ROLES).sync_roles() is False
    fewer = Roles({"alice": "sichuan"}, frozenset({"dave"}))
    assert Desk(engine, store, fewer).sync_roles() is True
    changes = [e["detail"] for e in audit.events(store) if e["action"] == "roles.change"]
    assert len(changes) == 2
    assert changes[1] == {
        "added": [],
        "removed": ["reporter:chongqing:carol", "reporter:ministry:erin", "reporter:sichuan:bob"],
    }


def test_only_an_approved_report_changes_the_official_status(engine: Engine, desk: Desk, store: Store) -> None:
    def row(task: str) -> dict:
        t = task_table(engine, "en", ledger=read_ledger(store))
        return t[t["task_id"] == task].iloc[0].to_dict()

    before = row(SICHUAN_TASK)
    assert (before["status"], before["progress_pct"], before["review_state"]) == ("in_progress", 65, "approved")
    assert burnup(engine, ledger=read_ledger(store)).completed == 63
    areas = area_summary(engine, "en", ledger=read_ledger(store)).set_index("area_id")  # cached per store version
    assert areas.loc["employment", "completed"] == 14
    desk.submit("alice", draft(progress_pct=100, state="completed", completed_on=date(2023, 8, 28)))
    pending = row(SICHUAN_TASK)
    assert (pending["status"], pending["progress_pct"], pending["review_state"]) == ("in_progress", 65, "pending")
    assert pending["last_report_period"] == "2023-08"
    desk.review("dave", SICHUAN_TASK, "2023-08", "approved")
    after = row(SICHUAN_TASK)
    assert (after["status"], after["progress_pct"], after["completion_date"]) == ("completed", 100, date(2023, 8, 28))
    b = burnup(engine, ledger=read_ledger(store))
    # T092 was completed on 2023-08-23 (in the data), so July ended at 62 and August now ends at 64.
    assert b.completed == 64 and b.actual["completed"].iloc[-1] == 64 and b.actual["completed"].iloc[-2] == 62
    employment = area_summary(engine, "en", ledger=read_ledger(store)).set_index("area_id").loc["employment"]
    assert employment["completed"] == 15  # a new version of the store: not the cached summary


def test_the_data_alone_reproduce_the_published_count(engine: Engine) -> None:
    t = task_table(engine, "en", ledger=read_ledger(None))
    assert len(t) == 97 and int((t["status"] == "completed").sum()) == 63
    assert t["status"].value_counts().to_dict() == {"completed": 63, "in_progress": 22, "overdue": 7, "not_started": 5}
    assert engine.value("agreement_tasks_completed").value == 63


# -- this period, 催报 and the meeting -----------------------------------------------------------------------------
def test_period_status_counts_each_party(engine: Engine, desk: Desk, store: Store) -> None:
    ps = period_status(engine, ledger=read_ledger(store), lang="en")
    assert (ps.period, ps.deadline, ps.past_deadline) == ("2023-08", date(2023, 8, 25), True)
    counts = ps.by_party.set_index("party")
    assert counts.loc["ministry", ["expected_reports", "approved", "missing"]].tolist() == [11, 7, 4]
    assert counts.loc["chongqing", ["expected_reports", "approved", "missing"]].tolist() == [10, 9, 1]
    assert ps.chase["task_id"].tolist() == ["T017", "T018", "T035", "T073", "T081"]
    desk.submit("carol", draft(CHONGQING_TASK, progress_pct=40))
    ps = period_status(engine, ledger=read_ledger(store), lang="en")
    assert ps.tasks.set_index("task_id").at[CHONGQING_TASK, "status"] == "submitted"
    assert CHONGQING_TASK not in ps.chase["task_id"].tolist()
    desk.review("dave", CHONGQING_TASK, "2023-08", "returned", "进展描述过简")
    ps = period_status(engine, ledger=read_ledger(store), lang="en")
    assert ps.tasks.set_index("task_id").at[CHONGQING_TASK, "status_label"] == "Returned for resubmission"
    assert [(m.party, m.task_id) for m in missing_reports(engine, ledger=read_ledger(store))] == [
        ("ministry", "T017"),
        ("ministry", "T035"),
        ("ministry", "T073"),
        ("ministry", "T081"),
    ]


def test_the_review_queue_shows_the_report_before(engine: Engine, desk: Desk, store: Store) -> None:
    desk.submit("alice", draft(progress_pct=72, progress_note="<script>alert(1)</script>"))
    q = review_queue(engine, ledger=read_ledger(store), lang="en")
    row = q.iloc[0]
    assert (row["task_id"], row["version"], row["progress_pct"]) == (SICHUAN_TASK, 2, 72)
    # The report before is the data's own approved report for 2023-08 (task_reports.csv: T019, 65%).
    assert (row["prev_period"], row["prev_version"], row["prev_progress_pct"]) == ("2023-08", 1, 65)
    assert row["progress_note"] == "<script>alert(1)</script>"  # stored as written; drawn as plain text


def test_meeting_summary(engine: Engine, desk: Desk, store: Store) -> None:
    desk.submit("alice", draft(progress_pct=100, state="completed", completed_on=date(2023, 8, 28)))
    desk.review("dave", SICHUAN_TASK, "2023-08", "approved")
    m = meeting_summary(engine, date(2023, 7, 31), ledger=read_ledger(store), lang="en")
    assert m.completed["task_id"].tolist() == ["T092", SICHUAN_TASK]
    # By due date (T033 and T069 both 2022-01-28, then by id).
    assert m.overdue["task_id"].tolist() == ["T033", "T069", "T093", "T015", "T094", "T081", "T082"]
    late = m.overdue.set_index("task_id").loc["T069"]
    assert (late["lead"], late["days_late"], late["progress_pct"]) == ("Sichuan", 578, 85)
    assert late["note"] == "本期推进6个百分点,累计完成85%。"
    assert m.missing["task_id"].tolist() == ["T017", "T018", "T035", "T073", "T081"]

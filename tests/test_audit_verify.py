"""An audit that proves itself (issue 11, finding 7): `audit` and `audit --verify` check both hash chains.

An edited line, lines cut off the end, an edited or deleted store event: exit code 1 and the entry named.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from metrics.chain import canonical, link_hash
from metrics.cli import main
from metrics.ingest.audit import HEAD_FILE, audit_path
from metrics.userstore import SQLITE_FILE, open_store
from metrics.userstore import audit as store_audit
from tests.support.ingest import ingest

HEADER = "month,province,city_id,enterprise_id,positions\n"


def run(capsys, project: Path, *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--config", str(project / "config.yaml"), "--data-dir", str(project / "data")])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def logged(mini_copy: Path) -> Path:
    """The mini project after three ingests by three users (three audit lines)."""
    for i, user in enumerate(["ann", "bo", "cy"]):
        assert ingest(mini_copy, f"{HEADER}2023-05,sichuan,chengdu,T{i},1\n".encode(), user=user).ok
    return mini_copy


def lines(project: Path) -> list[str]:
    return audit_path(project / "data").read_text(encoding="utf-8").splitlines()


def write_lines(project: Path, kept: list[str]) -> None:
    audit_path(project / "data").write_text("".join(ln + "\n" for ln in kept), encoding="utf-8")


def test_an_intact_log_verifies(capsys, logged: Path) -> None:
    code, out, err = run(capsys, logged, "audit", "--verify")
    assert code == 0 and out.startswith("ok: ingest log 3 line(s)") and not err
    code, out, _ = run(capsys, logged, "audit")
    assert code == 0 and "ann" in out and "cy" in out


@pytest.mark.parametrize("verify", [True, False])
def test_an_edited_user_fails_and_names_the_line(capsys, logged: Path, verify: bool) -> None:
    rows = lines(logged)
    rows[1] = json.dumps(json.loads(rows[1]) | {"user": "mallory"}, ensure_ascii=False)
    write_lines(logged, rows)
    code, out, err = run(capsys, logged, "audit", *(["--verify"] if verify else []))
    assert code == 1
    assert ".audit.jsonl, line 3: its prev hash does not match line 2" in err
    assert verify or "mallory" in out  # the listing still shows what is there


def test_an_edited_last_line_fails(capsys, logged: Path) -> None:
    rows = lines(logged)
    rows[-1] = rows[-1].replace('"cy"', '"mallory"')
    write_lines(logged, rows)
    code, _, err = run(capsys, logged, "audit", "--verify")
    assert code == 1 and "line 3 is not the one that was written" in err


def test_lines_cut_off_the_end_fail(capsys, logged: Path) -> None:
    write_lines(logged, lines(logged)[:-1])
    code, _, err = run(capsys, logged, "audit", "--verify")
    assert code == 1 and "3 lines were written but only 2 remain: line 3 cut off the end" in err
    assert run(capsys, logged, "audit")[0] == 1
    assert run(capsys, logged, "check")[0] == 1


def test_cutting_the_log_and_its_head_file_is_caught_by_the_version_records(capsys, logged: Path) -> None:
    write_lines(logged, lines(logged)[:1])
    (logged / "data" / HEAD_FILE).unlink()
    code, _, err = run(capsys, logged, "audit", "--verify")
    assert code == 1 and "2 lines were written but only 1 remain" in err and "(per version v4)" in err


def test_store_events_are_listed_and_verified(capsys, mini_copy: Path) -> None:
    store = open_store(mini_copy / "data")
    assert store is not None
    with store.transaction() as tx:
        for who in ("ann", "bo", "cy"):
            store_audit.append(tx, who, "login.failure", client="10.0.0.7")
    code, out, _ = run(capsys, mini_copy, "audit", "--source", "store", "--format", "json")
    assert code == 0 and [(e["log"], e["user"], e["seq"]) for e in json.loads(out)] == [
        ("store", "ann", 1),
        ("store", "bo", 2),
        ("store", "cy", 3),
    ]
    db = sqlite3.connect(mini_copy / "data" / SQLITE_FILE)
    db.execute("update audit_events set actor = 'mallory' where seq = 2")
    db.commit()
    code, _, err = run(capsys, mini_copy, "audit", "--verify")
    assert code == 1 and "audit_events, event 2: was edited" in err
    db.execute("update audit_events set actor = 'bo' where seq = 2")
    db.execute("delete from audit_events where seq = 3")
    db.commit()
    code, _, err = run(capsys, mini_copy, "audit", "--verify")
    assert code == 1 and "3 events were written but the chain ends at 2" in err


def test_one_hash_function_for_both_chains(mini_copy: Path) -> None:
    assert ingest(mini_copy, f"{HEADER}2023-05,sichuan,chengdu,T9,1\n".encode()).ok
    (first,) = lines(mini_copy)
    store = open_store(mini_copy / "data")
    assert store is not None
    with store.transaction() as tx:
        row = store_audit.append(tx, "ann", "login.success")
    assert store_audit.event_hash(row) == link_hash(canonical({k: row[k] for k in store_audit.HASHED}))
    head = json.loads((mini_copy / "data" / HEAD_FILE).read_text())
    assert head == {"length": 1, "hash": link_hash(first.encode("utf-8"))}

"""Writes a crash cannot split (issue 11, finding 1): the CLI killed at every step of an ingest and of a rollback.

Each time, the data file holds the old or the new version byte for byte; the next command finishes or undoes the
write, the version records agree with the bytes, the audit names the user, and `check` and `audit --verify` pass.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from metrics.cli import main
from metrics.ingest import journal, read_audit
from tests.support.ingest import INGEST_FIXTURES, ingest, paths, snapshot, versions

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = INGEST_FIXTURES / "postings_append.csv"
APPENDED = b"2023-05,sichuan,chengdu,E5,20\n2023-05,chongqing,jiangbei,E3,8\n"
AFTER_COMMIT = ("swapped", "recorded", "audited", "done")  # the rename has happened: the write stands


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process `check` builds the copy's warehouse in the test's own cache."""
    monkeypatch.setenv("CHUANYU_CACHE_DIR", str(tmp_path / "cache"))


def where(project: Path) -> list[str]:
    return ["--config", str(project / "config.yaml"), "--data-dir", str(project / "data")]


def cli(project: Path, *argv: str, crash: str | None = None) -> subprocess.CompletedProcess:
    """`python -m metrics ...` in its own process, stopped at a journal step when crash names one."""
    env = {k: v for k, v in os.environ.items() if k != journal.CRASH_ENV}
    if crash:
        env[journal.CRASH_ENV] = crash
    return subprocess.run(
        [sys.executable, "-m", "metrics", *argv, *where(project)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def postings(project: Path) -> bytes:
    return (project / "data" / "postings.csv").read_bytes()


def assert_settled(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The next commands: check and audit --verify are clean, and the newest version is the bytes in use."""
    assert main(["check", *where(project)]) == 0, capsys.readouterr().err
    assert main(["audit", "--verify", *where(project)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    newest = versions(project, "postings")[0]
    assert newest.current and newest.sha256 == hashlib.sha256(postings(project)).hexdigest()
    assert not journal.pending(project / "data") and not list((project / "data").glob(".ingest-*.tmp"))


KILL_AFTER_SWAP = """
    import os, sys
    from metrics.cli import main
    from metrics.ingest import store
    real = store._swap
    def swap(tmp, target):
        real(tmp, target)
        if target.name == "postings.csv":
            os._exit(9)  # as kill -9 the moment the data file has been replaced
    store._swap = swap
    sys.exit(main(sys.argv[1:]))
"""


def test_kill_right_after_the_data_file_is_replaced_is_recorded_by_the_next_command(mini_copy: Path, capsys) -> None:
    """The original finding: the new data stayed with no version and no audit line, and `check` saw nothing."""
    old = postings(mini_copy)
    r = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(KILL_AFTER_SWAP),
            "ingest",
            "postings",
            str(FIXTURE),
            "--user",
            "kim",
            *where(mini_copy),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 9, r.stderr
    assert postings(mini_copy) == old + APPENDED
    assert main(["versions", "--format", "json", *where(mini_copy)]) == 0
    listed = json.loads(capsys.readouterr().out)
    current = [v for v in listed if v["current"]]
    assert [(v["id"], v["action"], v["user"].split(" (")[0]) for v in current] == [("v2", "ingest", "kim")]
    [event] = read_audit(**paths(mini_copy))
    assert (event["action"], event["result"], event["version"], event["recovered"]) == ("ingest", "ok", "v2", True)
    assert event["user"].startswith("kim (cli, ")
    assert_settled(mini_copy, capsys)


@pytest.mark.parametrize("step", journal.STEPS)
def test_ingest_killed_at_every_step(mini_copy: Path, step: str, capsys) -> None:
    old, new = postings(mini_copy), postings(mini_copy) + APPENDED
    r = cli(mini_copy, "ingest", "postings", str(FIXTURE), "--user", "kim", crash=step)
    assert r.returncode == journal.CRASH_EXIT, r.stderr
    assert postings(mini_copy) == (new if step in AFTER_COMMIT else old)
    assert_settled(mini_copy, capsys)  # the next command rolls the write forward or back
    assert postings(mini_copy) == (new if step in AFTER_COMMIT else old)
    events = read_audit(**paths(mini_copy))
    if step in ("baseline", "blob"):
        assert events == []  # nothing was begun that the log must explain
    else:
        [e] = events
        assert e["user"].startswith("kim (cli, ") and e["action"] == "ingest"
        assert e["result"] == ("ok" if step in AFTER_COMMIT else "interrupted")
        assert e.get("recovered", False) is (step not in ("audited", "done"))
        assert e["version"] == ("v2" if step in AFTER_COMMIT else None)
    # And the project goes on working: the same file goes in (again, or for the first time) or is refused as a dup.
    again = ingest(mini_copy, FIXTURE.read_bytes())
    assert again.ok is (step not in AFTER_COMMIT), again.message
    assert postings(mini_copy) == new
    assert versions(mini_copy)[0].current and main(["audit", "--verify", *where(mini_copy)]) == 0


@pytest.mark.parametrize("step", journal.STEPS)
def test_rollback_killed_at_every_step(mini_copy: Path, step: str, capsys) -> None:
    original = postings(mini_copy)
    assert ingest(mini_copy, FIXTURE.read_bytes(), user="kim").ok  # v1 baseline, v2 the upload
    ingested = postings(mini_copy)
    r = cli(mini_copy, "rollback", "v1", "--user", "lee", crash=step)
    assert r.returncode == journal.CRASH_EXIT, r.stderr
    assert postings(mini_copy) == (original if step in AFTER_COMMIT else ingested)
    assert_settled(mini_copy, capsys)
    assert postings(mini_copy) == (original if step in AFTER_COMMIT else ingested)
    events = read_audit(**paths(mini_copy))
    assert events[0]["action"] == "ingest" and events[0]["result"] == "ok"
    if step in ("baseline", "blob"):
        assert len(events) == 1
    else:
        last = events[-1]
        assert len(events) == 2 and last["action"] == "rollback" and last["user"].startswith("lee (cli, ")
        assert last["result"] == ("ok" if step in AFTER_COMMIT else "interrupted")
        assert last["restored_from"] == "v1" and last["version"] == ("v3" if step in AFTER_COMMIT else None)
    assert [v.id for v in versions(mini_copy) if v.current] == (["v3"] if step in AFTER_COMMIT else ["v2"])


def test_a_data_file_changed_after_the_crash_gets_the_old_bytes_back(mini_copy: Path, capsys) -> None:
    old = postings(mini_copy)
    assert cli(mini_copy, "ingest", "postings", str(FIXTURE), "--user", "kim", crash="staged").returncode == 70
    (mini_copy / "data" / "postings.csv").write_bytes(b"month,province\nhalf a file")
    assert_settled(mini_copy, capsys)
    assert postings(mini_copy) == old
    [e] = read_audit(**paths(mini_copy))
    assert e["result"] == "interrupted" and "the old bytes were put back" in e["recovery"]


def test_recovery_waits_for_a_live_writer(mini_copy: Path) -> None:
    """An intent record of a writer that still holds the lock is not a leftover: readers leave it alone."""
    from metrics.ingest import recover, store

    assert cli(mini_copy, "ingest", "postings", str(FIXTURE), "--user", "kim", crash="swapped").returncode == 70
    before = snapshot(mini_copy), sorted(p.name for p in journal.pending(mini_copy / "data"))
    with store.locked(mini_copy / "data"):  # as if the writer were alive
        assert recover(**paths(mini_copy), timeout=0.1) == []
        assert (snapshot(mini_copy), sorted(p.name for p in journal.pending(mini_copy / "data"))) == before
    [line] = recover(**paths(mini_copy))
    assert line["recovered"] is True and line["user"].startswith("kim (cli, ")

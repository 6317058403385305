"""Large validations outside the server (issue 11, finding 3): the admin page's ingest runs in a worker process
that reports progress, and the CLI can report progress as JSON lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from metrics import Engine
from metrics.ingest import journal, read_audit, service, worker
from metrics.ingest.report import Report
from tests.support.ingest import INGEST_FIXTURES, fixture_bytes, paths, snapshot, versions

ROOT = Path(__file__).resolve().parents[1]


def refuse_in_process(*args: object, **kwargs: object) -> None:
    raise AssertionError("validation ran inside the calling (server) process")


def test_the_admin_page_validates_in_another_process_with_progress(
    mini_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui import admin_ops

    for module, name in [(service, "ingest_upload"), (service, "plan_upload"), (worker, "ingest_upload")]:
        monkeypatch.setattr(module, name, refuse_in_process)
    engine = Engine(mini_copy / "config.yaml", data_dir=mini_copy / "data", cache_dir=tmp_path / "cache")
    seen: list[tuple[float, str]] = []
    out = admin_ops.run_ingest(
        engine,
        fixture_bytes("postings_append.csv"),
        "p.csv",
        "postings",
        "alice",
        mode="append",
        dry_run=True,
        progress=lambda f, step: seen.append((f, step)),
    )
    assert out.report.ok and out.report.rows_added == 2 and "dry run: the file is valid" in out.report.message
    assert [step for _, step in seen] == ["read", "validate", "merge", "check"]
    assert [f for f, _ in seen] == sorted(f for f, _ in seen) and seen[-1][0] < 1


def test_a_worker_ingest_and_rollback_change_the_data_like_the_cli(mini_copy: Path) -> None:
    before = snapshot(mini_copy)
    r = worker.ingest_in_worker(fixture_bytes("postings_append.csv"), "p.csv", "postings", "alice", **paths(mini_copy))
    assert r.ok and r.changed and r.version == "v2" and r.user == "alice", r.message
    steps: list[str] = []
    back = worker.rollback_in_worker("v1", "bob", progress=lambda f, step: steps.append(step), **paths(mini_copy))
    assert back.ok and back.version == "v3" and snapshot(mini_copy) == before
    assert steps == ["validate", "check", "write"]
    assert [(e["action"], e["user"]) for e in read_audit(**paths(mini_copy))] == [
        ("ingest", "alice"),
        ("rollback", "bob"),
    ]


def test_problems_come_back_from_the_worker_whole(mini_copy: Path) -> None:
    r = worker.ingest_in_worker(
        fixture_bytes("postings_many_problems.csv"), "bad.csv", "postings", "alice", **paths(mini_copy)
    )
    assert not r.ok and len(r.problems) == 6 and r.problems[0].row == 2 and r.problems[0].reason == "negative count"
    assert Report.from_dict(r.as_dict()) == r


def test_a_bad_request_is_an_ingest_error(mini_copy: Path) -> None:
    from metrics.ingest import IngestError

    with pytest.raises(IngestError, match="unknown dataset 'nope'"):
        worker.ingest_in_worker(b"x", "x.csv", "nope", "alice", **paths(mini_copy))


def test_a_worker_that_dies_leaves_whole_data_and_a_clear_message(
    mini_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui import admin_ops

    engine = Engine(mini_copy / "config.yaml", data_dir=mini_copy / "data", cache_dir=mini_copy / "cache")
    monkeypatch.setenv(journal.CRASH_ENV, "staged")  # the worker inherits it and dies before the swap
    out = admin_ops.run_ingest(
        engine, fixture_bytes("postings_append.csv"), "p.csv", "postings", "alice", mode="append", dry_run=False
    )
    monkeypatch.delenv(journal.CRASH_ENV)
    assert not out.report.ok and "the worker stopped (exit code 70) without a report" in out.report.message
    assert [v.current for v in versions(mini_copy)] == [True]  # recovered by the listing: old data, recorded
    assert read_audit(**paths(mini_copy))[-1]["result"] == "interrupted"


def test_cli_json_progress(mini_copy: Path) -> None:
    argv = [
        "ingest",
        "postings",
        str(INGEST_FIXTURES / "postings_append.csv"),
        "--json-progress",
        "--dry-run",
        "--config",
        str(mini_copy / "config.yaml"),
        "--data-dir",
        str(mini_copy / "data"),
    ]
    r = subprocess.run(
        [sys.executable, "-m", "metrics", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k != journal.CRASH_ENV},
    )
    assert r.returncode == 0, r.stderr
    lines = [json.loads(ln) for ln in r.stderr.splitlines() if ln.startswith("{")]
    assert [ln["step"] for ln in lines] == ["read", "validate", "merge", "check"]
    assert "dry run: the file is valid" in r.stdout

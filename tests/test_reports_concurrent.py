"""Twenty reporters submit at the same moment from twenty processes (the CLI, as a script would), on SQLite and on
PostgreSQL: twenty reports stored, one audit event each, and the audit chain intact."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from metrics import Engine
from metrics.reports import read_ledger
from metrics.supervision import period_status
from metrics.userstore import audit, open_store

ROOT = Path(__file__).resolve().parents[1]
N = 20
# Says it is ready, waits for the start signal, then runs the CLI in this process: every writer hits the store at
# the same moment.
WRITER = """
import os, sys, time
from pathlib import Path
go = Path(sys.argv[1])
from metrics.cli import main
from metrics import Engine
Engine()  # open the warehouse before the start, so the race is on the store
(go.parent / f"ready-{os.getpid()}").touch()
while not go.exists():
    time.sleep(0.005)
raise SystemExit(main(sys.argv[2:]))
"""
READY_S = 240  # twenty processes open the warehouse on two cores

pytestmark = pytest.mark.slow


def test_twenty_concurrent_submissions_are_all_stored_with_the_audit_intact(
    engine: Engine, store_url: str, tmp_path: Path
) -> None:
    # Twenty tasks that owe a 2023-08 report, each reported by its own reporter of the task's party.
    owing = period_status(engine, "2023-08", ledger=read_ledger(None)).tasks.head(N)
    assert len(owing) == N
    reporters = {f"r{i:02d}": party for i, party in enumerate(owing["reporting_party"])}
    by_party: dict[str, list[str]] = {}
    for name, party in reporters.items():
        by_party.setdefault(party, []).append(name)
    url = store_url  # SQLite in WAL mode, and PostgreSQL (the postgres marker)
    env = {
        **os.environ,
        "CHUANYU_DATABASE_URL": url,
        "CHUANYU_REPORTERS": ";".join(f"{p}={','.join(names)}" for p, names in by_party.items()),
        "CHUANYU_REVIEWERS": "dave",
    }
    store = open_store(url=url)  # migrated once, before the race
    assert store is not None
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(go), "tasks", "report", task, "--period", "2023-08"]
            + ["--progress", str(40 + i), "--note", f"第{i}号并发报送", "--user", name],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, (task, name) in enumerate(zip(owing["task_id"], reporters, strict=True))
    ]
    deadline = time.monotonic() + READY_S
    while len(list(tmp_path.glob("ready-*"))) < N:  # every process has opened the warehouse and waits
        assert time.monotonic() < deadline, f"only {len(list(tmp_path.glob('ready-*')))} writers ready"
        assert all(p.poll() is None for p in procs), [p.communicate() for p in procs if p.poll() is not None]
        time.sleep(0.05)
    go.touch()
    started = time.monotonic()
    results = [p.communicate(timeout=300) for p in procs]
    took = time.monotonic() - started
    print(f"{N} concurrent submissions on {url.split(':')[0]}: all done {took:.2f} s after the start")
    assert [p.returncode for p in procs] == [0] * N, [err for _, err in results]
    ledger = read_ledger(store)
    assert len(ledger.frame) == N
    assert sorted(ledger.frame["task_id"]) == sorted(owing["task_id"])
    assert sorted(ledger.frame["progress_pct"]) == list(range(40, 40 + N))
    events = audit.events(store)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert sum(e["action"] == "report.submit" for e in events) == N
    assert sum(e["action"] == "roles.change" for e in events) == 1  # the first writer saw the roles; the rest agree
    assert audit.verify(store) == []

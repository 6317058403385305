"""The user store: SQLite in WAL mode, numbered migrations applied once, portable named statements, transactions
that commit whole or not at all, and an audit chain that concurrent writers keep intact."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import sqlglot

from metrics.userstore import SQLITE_FILE, StoreError, open_store, statements
from metrics.userstore import audit as store_audit

ROOT = Path(__file__).resolve().parents[1]


def test_a_new_store_is_a_wal_file_with_every_migration_applied_once(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    assert store is not None
    assert [(m["version"], m["name"]) for m in store.applied()] == [
        (1, "audit_events"),
        (2, "login_throttle"),
        (3, "progress_reports"),
    ]
    open_store(tmp_path)  # opening again applies nothing twice
    db = sqlite3.connect(tmp_path / SQLITE_FILE)
    assert db.execute("pragma journal_mode").fetchone() == ("wal",)
    assert db.execute("select count(*) from schema_migrations").fetchone() == (3,)


def test_a_later_migration_is_applied_to_an_existing_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    data.mkdir()
    assert open_store(data) is not None
    more = tmp_path / "migrations"
    more.mkdir()
    for p in statements.MIGRATIONS_DIR.glob("*.sql"):
        (more / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    (more / "0099_notes.sql").write_text(
        "-- a later issue's table\ncreate table notes (\n    id bigint primary key,\n"
        "    body text not null\n);\n\ncreate index notes_body on notes (body);\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(statements, "MIGRATIONS_DIR", more)
    statements.migrations.cache_clear()
    monkeypatch.setattr("metrics.userstore.sqlite._migrated", set())
    try:
        store = open_store(data)
        assert store is not None and [m["version"] for m in store.applied()] == [1, 2, 3, 99]
        db = sqlite3.connect(data / SQLITE_FILE)
        assert db.execute("select count(*) from notes").fetchone() == (0,)
    finally:
        statements.migrations.cache_clear()


@pytest.mark.parametrize("dialect", ["sqlite", "postgres"])
def test_every_statement_parses_in_sqlite_and_postgresql(dialect: str) -> None:
    files = sorted(statements.SQL_DIR.glob("*.sql")) + sorted(statements.MIGRATIONS_DIR.glob("*.sql"))
    assert len(files) >= 10
    for path in files:
        for sql in statements.split(path.read_text(encoding="utf-8")):
            assert "autoincrement" not in sql.lower() and "insert or" not in sql.lower(), path.name
            sqlglot.parse_one(sql, read=dialect)


def test_a_transaction_that_raises_stores_nothing(store_url: str) -> None:
    store = open_store(url=store_url)
    assert store is not None
    with pytest.raises(RuntimeError), store.transaction() as tx:
        store_audit.append(tx, "ann", "login.success")
        raise RuntimeError("something after the first write failed")
    assert store_audit.events(store) == []
    with pytest.raises(statements.UnknownStatement), store.transaction() as tx:
        tx.execute("../../etc/passwd")


def test_the_database_url_chooses_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHUANYU_DATABASE_URL", f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}")
    store = open_store(tmp_path / "not-used")
    assert store is not None and (tmp_path / "elsewhere.sqlite3").is_file()
    monkeypatch.setenv("CHUANYU_DATABASE_URL", "postgresql://dash:secret@127.0.0.1:9/dash")  # nothing listens
    with pytest.raises(StoreError, match="cannot open the store") as err:
        open_store(tmp_path)
    assert "secret" not in str(err.value)  # the password never reaches a message
    monkeypatch.setenv("CHUANYU_DATABASE_URL", "mysql://x")
    with pytest.raises(StoreError, match="'mysql' is not a supported store"):
        open_store(tmp_path)


WRITER = """
    import sys, time
    from pathlib import Path
    from metrics.userstore import open_store, audit
    url, who, go = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    store = open_store(url=url)
    while not go.exists():
        time.sleep(0.01)
    for i in range(5):
        with store.transaction() as tx:
            audit.append(tx, who, "report.submit", subject=f"task {i}")
"""


def test_concurrent_writers_lose_nothing_and_keep_the_chain(store_url: str, tmp_path: Path) -> None:
    assert open_store(url=store_url) is not None  # migrated once, before the race
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(WRITER), store_url, f"w{n}", str(go)],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(8)
    ]
    time.sleep(1.0)
    go.touch()
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert all(p.returncode == 0 for p in procs), errors
    store = open_store(url=store_url)
    assert store is not None
    events = store_audit.events(store)
    assert len(events) == 40 and [e["seq"] for e in events] == list(range(1, 41))
    assert sorted((e["actor"], e["subject"]) for e in events) == sorted(
        (f"w{n}", f"task {i}") for n in range(8) for i in range(5)
    )
    assert store_audit.verify(store) == []

"""The embedded store: one SQLite file in WAL mode, through the standard library.

WAL lets readers go on while one writer commits; write transactions start with BEGIN IMMEDIATE, so two processes
never both read a value and then both write it, and wait up to BUSY_TIMEOUT for each other instead of failing.
synchronous=FULL makes each commit durable before it returns (the audit must survive a power cut).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from .base import Params, Row, StoreConflict, StoreError
from .statements import migrations, statement

BUSY_TIMEOUT = 30.0  # seconds a transaction waits for another writer
_migrated: set[str] = set()  # files already brought up to date by this process
_migrate_lock = threading.Lock()


class SQLiteTx:
    """A transaction on one connection."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self._con = con

    def execute(self, name: str, params: Params | None = None) -> int:
        """Run a statement; the number of rows it changed."""
        return self._con.execute(statement(name), dict(params or {})).rowcount

    def query(self, name: str, params: Params | None = None) -> list[Row]:
        """Run a query; its rows as dicts."""
        cur = self._con.execute(statement(name), dict(params or {}))
        cols = [d[0] for d in cur.description or ()]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def run_ddl(self, sql: str) -> None:
        """One statement of a migration file (migrations only: they come from the package, never from users)."""
        self._con.execute(sql)


class SQLiteStore:
    """The store in a SQLite file; each transaction opens its own connection (threads and processes are safe)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.url = f"sqlite:///{self.path}"
        self._migrate()

    def _connect(self) -> sqlite3.Connection:
        try:
            con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None)
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: cannot open the store ({e})") from None
        con.execute("pragma synchronous = full")
        con.execute("pragma foreign_keys = on")
        return con

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[SQLiteTx]:
        """A transaction: committed when the block ends, rolled back when it raises."""
        con = self._connect()
        try:
            con.execute("begin immediate" if write else "begin")
            try:
                yield SQLiteTx(con)
            except BaseException:
                con.execute("rollback")
                raise
            con.execute("commit")
        except sqlite3.IntegrityError as e:
            raise StoreConflict(str(e)) from e
        except sqlite3.OperationalError as e:  # locked past the timeout, read-only file, full disk
            raise StoreError(f"{self.path}: {e}") from e
        finally:
            con.close()

    def _migrate(self) -> None:
        """Create the file in WAL mode and apply every migration not applied yet, each in its own transaction."""
        key = str(self.path.resolve())
        with _migrate_lock:
            if key in _migrated and self.path.exists():
                return
            con = self._connect()
            try:
                con.execute("pragma journal_mode = wal")
                con.execute(statement("schema_migrations_create"))
            finally:
                con.close()
            for m in migrations():
                with self.transaction() as tx:  # BEGIN IMMEDIATE: a second process waits, then sees it applied
                    if any(r["version"] == m.version for r in tx.query("schema_migrations_list")):
                        continue
                    for sql in m.statements:
                        tx.run_ddl(sql)
                    tx.execute(
                        "schema_migrations_add",
                        {
                            "version": m.version,
                            "name": m.name,
                            "applied_at": datetime.now(UTC).isoformat(timespec="seconds"),
                        },
                    )
            _migrated.add(key)

    def applied(self) -> list[Row]:
        """The migrations applied, oldest first."""
        with self.transaction(write=False) as tx:
            return tx.query("schema_migrations_list")

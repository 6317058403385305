"""The store on PostgreSQL (CHUANYU_DATABASE_URL=postgresql://...): the same statements and migrations as SQLite.

Several dashboard processes behind a load balancer share it. Write transactions take one transaction-level advisory
lock first, so writers run one at a time as they do on SQLite (BEGIN IMMEDIATE): the audit chain's read-the-head-
then-append never races, whatever the isolation level. Readers never wait.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from typing import Any

from .base import Params, Row, StoreConflict, StoreError
from .statements import migrations, statement

# Any fixed number: the key of the one lock every writer takes (pg_advisory_xact_lock is released at commit).
WRITE_LOCK = 0x63687579  # "chuy"
CONNECT_TIMEOUT = 10  # seconds
_PARAM = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")
_migrated: set[str] = set()
_migrate_lock = threading.Lock()


@cache
def to_pyformat(sql: str) -> str:
    """Our :name parameters as psycopg's %(name)s (a literal % doubled); '::' casts are left alone."""
    return _PARAM.sub(r"%(\1)s", sql.replace("%", "%%"))


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is in requirements.txt
        raise StoreError("the PostgreSQL store needs psycopg: pip install 'psycopg[binary]'") from None
    return psycopg


class PostgresTx:
    """A transaction on one connection."""

    def __init__(self, con: Any) -> None:
        self._con = con

    def execute(self, name: str, params: Params | None = None) -> int:
        """Run a statement; the number of rows it changed."""
        cur = self._con.execute(to_pyformat(statement(name)), dict(params or {}))
        return int(cur.rowcount)

    def query(self, name: str, params: Params | None = None) -> list[Row]:
        """Run a query; its rows as dicts."""
        cur = self._con.execute(to_pyformat(statement(name)), dict(params or {}))
        cols = [d.name for d in cur.description or ()]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def run_ddl(self, sql: str) -> None:
        """One statement of a migration file (migrations only: they come from the package, never from users)."""
        self._con.execute(sql)

    def lock_writers(self) -> None:
        """Wait for, then hold until commit, the one lock all writers share."""
        self._con.execute("select pg_advisory_xact_lock(%(key)s)", {"key": WRITE_LOCK})


class PostgresStore:
    """The store in a PostgreSQL database; each transaction opens its own connection (threads and processes safe)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._migrate()

    def _connect(self) -> Any:
        psycopg = _psycopg()
        try:
            return psycopg.connect(self.url, connect_timeout=CONNECT_TIMEOUT, autocommit=False)
        except psycopg.Error as e:
            raise StoreError(f"cannot open the store at {_safe(self.url)} ({str(e).strip()})") from None

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[PostgresTx]:
        """A transaction: committed when the block ends, rolled back when it raises."""
        psycopg = _psycopg()
        con = self._connect()
        try:
            tx = PostgresTx(con)
            if write:
                tx.lock_writers()
            try:
                yield tx
            except BaseException:
                con.rollback()
                raise
            con.commit()
        except psycopg.errors.IntegrityError as e:
            raise StoreConflict(str(e).strip()) from e
        except psycopg.OperationalError as e:
            raise StoreError(f"{_safe(self.url)}: {str(e).strip()}") from e
        finally:
            con.close()

    def _migrate(self) -> None:
        """Apply every migration not applied yet, each in its own transaction, under the writers' lock."""
        with _migrate_lock:
            if self.url in _migrated:
                return
            with self.transaction() as tx:
                tx.run_ddl(statement("schema_migrations_create"))
            for m in migrations():
                with self.transaction() as tx:  # a second process waits for the lock, then sees it applied
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
            _migrated.add(self.url)

    def applied(self) -> list[Row]:
        """The migrations applied, oldest first."""
        with self.transaction(write=False) as tx:
            return tx.query("schema_migrations_list")


def _safe(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)

"""The transactional store for what users write: sign-in throttling, progress reports, reviews, roles, and its audit.

    store = open_store()                      # CHUANYU_DATABASE_URL (sqlite:///PATH or postgresql://...),
                                              # else <data dir>/.userstore.sqlite3
    with store.transaction() as tx:           # committed at the end of the block, rolled back on an exception
        tx.execute("throttle_fail", {...})    # named statements from metrics/userstore/sql/*.sql
        audit.append(tx, actor, "login.failure", client=ip)

Migrations (metrics/userstore/migrations/NNNN_name.sql) are applied once each, recorded in schema_migrations.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import audit
from .base import Params, Row, Store, StoreConflict, StoreError, Tx
from .sqlite import SQLiteStore

ENV_URL = "CHUANYU_DATABASE_URL"
SQLITE_FILE = ".userstore.sqlite3"

__all__ = [
    "ENV_URL",
    "SQLITE_FILE",
    "Params",
    "Row",
    "SQLiteStore",
    "Store",
    "StoreConflict",
    "StoreError",
    "Tx",
    "audit",
    "default_data_dir",
    "open_store",
    "store_url",
]


def default_data_dir() -> Path:
    """The data dir of the shipped config ($CHUANYU_DATA_DIR, else the config's data_dir)."""
    from ..config import DEFAULT_CONFIG, load_config
    from ..warehouse import resolve_paths

    return resolve_paths(load_config(DEFAULT_CONFIG), DEFAULT_CONFIG).data_dir


def store_url(data_dir: Path | str | None = None, url: str | None = None) -> str:
    """Where the store is: url, else $CHUANYU_DATABASE_URL, else the SQLite file in the data dir."""
    chosen = url or os.environ.get(ENV_URL, "").strip()
    if chosen:
        return chosen
    return f"sqlite:///{Path(data_dir) if data_dir is not None else default_data_dir()}/{SQLITE_FILE}"


def open_store(data_dir: Path | str | None = None, url: str | None = None, *, create: bool = True) -> Store | None:
    """The store (migrated to the newest schema); None when create is False and it does not exist yet."""
    where = store_url(data_dir, url)
    if where.startswith("sqlite:///"):
        path = Path(where.removeprefix("sqlite:///"))
        if not create and not path.is_file():
            return None
        if not path.parent.is_dir():
            raise StoreError(f"the store's folder {path.parent} does not exist")
        return SQLiteStore(path)
    if where.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore  # psycopg is imported only when PostgreSQL is configured

        return PostgresStore(where)
    raise StoreError(
        f"{ENV_URL}: {where.split(':', 1)[0]!r} is not a supported store; use sqlite:///PATH "
        "or postgresql://USER@HOST/DB (or leave it unset for the data dir's SQLite file)"
    )

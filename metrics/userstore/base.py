"""What every store backend offers: transactions that run named statements, and nothing else."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Protocol

Params = Mapping[str, object]
Row = dict[str, object]


class StoreError(RuntimeError):
    """The store cannot be opened or used; the message says what to fix."""


class StoreConflict(StoreError):
    """A statement broke a constraint (e.g. two writers appended the same audit link): retry the transaction."""


class Tx(Protocol):
    """One transaction: named statements from sql/*.sql with :name parameters."""

    def execute(self, name: str, params: Params | None = None) -> int:
        """Run a statement; the number of rows it changed."""
        ...

    def query(self, name: str, params: Params | None = None) -> list[Row]:
        """Run a query; its rows as dicts."""
        ...


class Store(Protocol):
    """A transactional store for what users write (logins, reports, reviews, roles) and its audit."""

    url: str

    def transaction(self, *, write: bool = True) -> AbstractContextManager[Tx]:
        """A transaction: committed when the block ends, rolled back when it raises."""
        ...

    def applied(self) -> list[Row]:
        """The migrations applied, oldest first (version, name, applied_at)."""
        ...

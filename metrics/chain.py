"""Hash chains for append-only logs: the ingest audit file and the user store's audit_events table.

Each entry carries the hash of the entry before it ("prev"); the first one carries GENESIS. Editing or deleting an
entry breaks the link after it; cutting entries off the end is caught by comparing with a kept head (length and
hash of the last entry). Both chains hash entries with the one function below.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

GENESIS = "0" * 64


def link_hash(entry: bytes) -> str:
    """The chain hash of one serialised entry (a log line without its newline, or a canonical record)."""
    return hashlib.sha256(entry.rstrip(b"\n")).hexdigest()


def canonical(record: Mapping[str, object]) -> bytes:
    """A record's bytes for hashing: sorted keys, no spaces, UTF-8 (the same on every platform and database)."""
    return json.dumps(dict(record), ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode(
        "utf-8"
    )


@dataclass(frozen=True)
class Head:
    """Where a chain ends: how many entries it has and the hash of the last one."""

    length: int
    hash: str

    def as_dict(self) -> dict[str, object]:
        """The head as plain data."""
        return {"length": self.length, "hash": self.hash}


EMPTY = Head(0, GENESIS)


def broken_links(entries: Iterable[tuple[bytes, str | None]]) -> tuple[list[int], Head]:
    """(1-based positions whose prev does not match the entry before, the chain's actual head).

    entries: (the entry's hashed bytes, the prev it claims; None when it cannot be read).
    """
    broken: list[int] = []
    prev, n = GENESIS, 0
    for n, (entry, claimed) in enumerate(entries, start=1):
        if claimed != prev:
            broken.append(n)
        prev = link_hash(entry)
    return broken, Head(n, prev)


def head_problems(actual: Head, hashes: list[str], kept: Head, where: str, unit: str = "entries") -> list[str]:
    """Why a chain does not reach a head kept elsewhere (entries cut off the end, or the last one edited).

    hashes: every entry's hash in order (hashes[i] is entry i + 1); unit: what the entries are called.
    """
    one = unit.rstrip("s") if unit.endswith("s") else unit
    if kept.length > actual.length:
        cut = (
            f"{one} {kept.length}" if kept.length == actual.length + 1 else f"{unit} {actual.length + 1}-{kept.length}"
        )
        return [f"{where}: {kept.length} {unit} were written but only {actual.length} remain: {cut} cut off the end"]
    if kept.length and hashes[kept.length - 1] != kept.hash:
        return [f"{where}: {one} {kept.length} is not the one that was written (it was edited or replaced)"]
    return []

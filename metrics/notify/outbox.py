"""Digests that could not be sent, kept in the data dir's .outbox/ until a later run sends them.

One JSON file per digest and robot, written atomically. It holds the unsigned bodies still to send and the
robot's fingerprint, never its URL or secret: a later run matches the fingerprint against the robots it
is configured with, signs afresh and sends.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..ingest.store import write_atomic
from .render import Body
from .targets import Target

OUTBOX_DIR = ".outbox"
LOCK_FILE = ".lock"
VERSION = 1


@dataclass(frozen=True)
class Entry:
    """One kept digest: for which robot, the bodies still unsent, how often later runs tried, the last error."""

    id: str
    created: str
    name: str
    platform: str
    fingerprint: str
    masked_url: str
    title: str
    bodies: tuple[Body, ...]
    tries: int = 0
    last_error: str = ""
    path: Path = field(default=Path(), compare=False)

    def as_json(self) -> dict[str, Any]:
        """The entry as stored."""
        return {
            "version": VERSION,
            "id": self.id,
            "created": self.created,
            "target": {
                "name": self.name,
                "platform": self.platform,
                "fingerprint": self.fingerprint,
                "masked_url": self.masked_url,
            },
            "title": self.title,
            "bodies": list(self.bodies),
            "tries": self.tries,
            "last_error": self.last_error,
        }


def outbox_dir(data_dir: Path) -> Path:
    """The outbox folder of a data dir."""
    return Path(data_dir) / OUTBOX_DIR


def _write(entry: Entry) -> None:
    data = json.dumps(entry.as_json(), ensure_ascii=False, indent=1).encode("utf-8")
    write_atomic(entry.path, data)


def keep(folder: Path, target: Target, title: str, bodies: list[Body], error: str) -> Entry:
    """Store unsent bodies for target; OSError when the folder cannot be written."""
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    entry_id = f"{now:%Y%m%dT%H%M%SZ}-{target.name}-{secrets.token_hex(4)}"
    entry = Entry(
        entry_id,
        now.isoformat(timespec="seconds"),
        target.name,
        target.platform,
        target.fingerprint,
        target.masked,
        title,
        tuple(bodies),
        0,
        error,
        folder / f"{entry_id}.json",
    )
    _write(entry)
    return entry


def _read(path: Path) -> Entry:
    d = json.loads(path.read_text(encoding="utf-8"))
    t = d["target"]
    if d.get("version") != VERSION or not isinstance(d["bodies"], list):
        raise ValueError("not an outbox entry of this version")
    return Entry(
        str(d["id"]),
        str(d["created"]),
        str(t["name"]),
        str(t["platform"]),
        str(t["fingerprint"]),
        str(t["masked_url"]),
        str(d.get("title", "")),
        tuple(d["bodies"]),
        int(d.get("tries", 0)),
        str(d.get("last_error", "")),
        path,
    )


def pending(folder: Path) -> tuple[list[Entry], list[str]]:
    """Kept entries, oldest first, and a problem line for each file that cannot be read (left in place)."""
    entries: list[Entry] = []
    problems: list[str] = []
    if not folder.is_dir():
        return entries, problems
    for path in sorted(folder.glob("*.json")):
        try:
            entries.append(_read(path))
        except (OSError, ValueError, KeyError, TypeError) as e:
            problems.append(f"{path}: unreadable outbox entry ({type(e).__name__}: {e}); left in place")
    return entries, problems


def update(entry: Entry, bodies: list[Body], error: str) -> Entry:
    """Keep only the bodies still unsent, count the try and note the error."""
    new = replace(entry, bodies=tuple(bodies), tries=entry.tries + 1, last_error=error)
    _write(new)
    return new


def remove(entry: Entry) -> None:
    """Forget an entry whose bodies have all been sent."""
    entry.path.unlink(missing_ok=True)


@contextmanager
def claimed(folder: Path) -> Iterator[bool]:
    """Hold the outbox for resending; yields False (without waiting) when another run holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_FILE, os.O_RDONLY | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # closing releases the lock

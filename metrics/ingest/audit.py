"""The append-only audit log: one JSON line per ingest or rollback, each chained to the previous by SHA-256."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .store import now_utc

AUDIT_FILE = ".audit.jsonl"
GENESIS = "0" * 64


def audit_path(data_dir: Path) -> Path:
    """Where the audit log of a data dir lives."""
    return data_dir / AUDIT_FILE


def _last_line(path: Path) -> bytes | None:
    """The last non-empty line of a file, read from its end."""
    if not path.is_file() or path.stat().st_size == 0:
        return None
    with path.open("rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        chunk = b""
        pos = size
        while pos > 0:
            step = min(65536, pos)
            pos -= step
            fh.seek(pos)
            chunk = fh.read(step) + chunk
            lines = [ln for ln in chunk.split(b"\n") if ln.strip()]
            if len(lines) > 1 or (lines and pos == 0):
                return lines[-1]
    return None


def line_hash(line: bytes) -> str:
    """The chain hash of one log line."""
    return hashlib.sha256(line.rstrip(b"\n")).hexdigest()


def append_event(data_dir: Path, event: dict[str, object]) -> dict[str, object]:
    """Append one event (call with the lock held); adds the time and the hash of the previous line."""
    path = audit_path(data_dir)
    last = _last_line(path)
    record = {"ts": now_utc(), **event, "prev": line_hash(last) if last else GENESIS}
    line = (json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)
    return record


def read_events(data_dir: Path) -> list[dict[str, object]]:
    """Every event in the log, oldest first."""
    path = audit_path(data_dir)
    if not path.is_file():
        return []
    return [json.loads(ln) for ln in path.read_bytes().split(b"\n") if ln.strip()]


def verify_chain(data_dir: Path) -> list[int]:
    """Line numbers (1-based) whose 'prev' does not match the line before: edits or deletions."""
    path = audit_path(data_dir)
    if not path.is_file():
        return []
    broken, prev = [], GENESIS
    for n, line in enumerate((ln for ln in path.read_bytes().split(b"\n") if ln.strip()), start=1):
        try:
            if json.loads(line).get("prev") != prev:
                broken.append(n)
        except ValueError:
            broken.append(n)
        prev = line_hash(line)
    return broken

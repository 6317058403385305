"""The append-only audit log: one JSON line per ingest or rollback, each chained to the previous by SHA-256.

Beside the log, .audit.head keeps the chain's length and last hash, rewritten after every line: lines cut off the
end, or an edited last line, no longer reach it. Version records also keep the head as it was when their write
began (metrics.ingest.store), so truncating the log and rewriting the head file is caught as well.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..chain import EMPTY, GENESIS, Head, broken_links, head_problems, link_hash
from .store import now_utc, write_atomic

AUDIT_FILE = ".audit.jsonl"
HEAD_FILE = ".audit.head"

__all__ = [
    "AUDIT_FILE",
    "GENESIS",
    "HEAD_FILE",
    "append_event",
    "audit_path",
    "current_head",
    "line_hash",
    "read_events",
    "verify",
    "verify_chain",
]


def audit_path(data_dir: Path) -> Path:
    """Where the audit log of a data dir lives."""
    return data_dir / AUDIT_FILE


def head_path(data_dir: Path) -> Path:
    """Where the log's head (length and last hash) is kept."""
    return data_dir / HEAD_FILE


def line_hash(line: bytes) -> str:
    """The chain hash of one log line."""
    return link_hash(line)


def _lines(path: Path) -> list[bytes]:
    return [ln for ln in path.read_bytes().split(b"\n") if ln.strip()] if path.is_file() else []


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


def kept_head(data_dir: Path) -> Head | None:
    """The head written after the last append, or None when there is none (or it cannot be read)."""
    try:
        d = json.loads(head_path(data_dir).read_text(encoding="utf-8"))
        return Head(int(d["length"]), str(d["hash"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def current_head(data_dir: Path) -> Head:
    """The log's head as it is now: from the head file when it matches the last line, else by counting."""
    last = _last_line(audit_path(data_dir))
    if last is None:
        return EMPTY
    kept = kept_head(data_dir)
    if kept is not None and kept.hash == line_hash(last):
        return kept
    return Head(len(_lines(audit_path(data_dir))), line_hash(last))


def append_event(data_dir: Path, event: dict[str, object]) -> dict[str, object]:
    """Append one event (call with the lock held); adds the time and the hash of the previous line."""
    path = audit_path(data_dir)
    before = current_head(data_dir)
    record = {"ts": now_utc(), **event, "prev": before.hash}
    line = (json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)
    after = Head(before.length + 1, line_hash(line))
    write_atomic(head_path(data_dir), (json.dumps(after.as_dict()) + "\n").encode("utf-8"))
    return record


def read_events(data_dir: Path) -> list[dict[str, object]]:
    """Every event in the log, oldest first."""
    return [json.loads(ln) for ln in _lines(audit_path(data_dir))]


def _claimed_prev(line: bytes) -> str | None:
    try:
        prev = json.loads(line).get("prev")
    except (ValueError, AttributeError):
        return None
    return prev if isinstance(prev, str) else None


def verify_chain(data_dir: Path) -> list[int]:
    """Line numbers (1-based) whose 'prev' does not match the line before: edits or deletions."""
    lines = _lines(audit_path(data_dir))
    broken, _ = broken_links((ln, _claimed_prev(ln)) for ln in lines)
    return broken


def verify(data_dir: Path, anchors: list[tuple[str, Head]] | None = None) -> list[str]:
    """Every problem of the log: broken links, lines cut off the end, heads kept elsewhere it no longer reaches.

    anchors: (what kept it, head) pairs, e.g. from version records; the log must still pass through each.
    """
    lines = _lines(audit_path(data_dir))
    broken, actual = broken_links((ln, _claimed_prev(ln)) for ln in lines)
    where = AUDIT_FILE
    problems = [
        f"{where}, line {n}: its prev hash does not match line {n - 1} "
        f"(line {n - 1} was edited, or lines before {n} were removed)"
        if n > 1
        else f"{where}, line 1: does not start the chain (lines before it were removed)"
        for n in broken
    ]
    hashes = [line_hash(ln) for ln in lines]
    kept = kept_head(data_dir)
    if kept is None and head_path(data_dir).exists():
        problems.append(f"{HEAD_FILE}: cannot be read")
    for label, head in [(HEAD_FILE, kept)] + list(anchors or []):
        if head is not None:
            problems += [f"{p} (per {label})" for p in head_problems(actual, hashes, head, where, "lines")]
    return problems

"""Journalled writes of dataset files: a crash leaves the old data or the new, never an unrecorded change.

A write goes through these steps, in this order (each name is also a crash point, see CRASH_ENV):

    baseline  the file in use is kept as a version first, unless it already is the newest one
    blob      the new bytes are durable in .versions/blobs/
    intent    the intent record (.versions/journal/<op>.json) is durable: what will change, the version record
              and the audit event to write
    staged    the new bytes are durable in a temporary file beside the data file
    swapped   the temporary file has replaced the data file (one atomic rename): the commit point
    recorded  the version record is written
    audited   the audit line is written
    done      the intent record is removed

recover() finishes or undoes what a crashed writer left (call it with the exclusive lock held): when the data file
holds the new bytes, the write is rolled forward (version record and audit line, with the original user, marked
recovered); when it still holds the old bytes, it is rolled back (an audit line says it was interrupted); when it
holds neither, the old bytes are put back from the kept version.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path

from . import audit, store
from .store import Version

JOURNAL_DIR = "journal"
STEPS = ("baseline", "blob", "intent", "staged", "swapped", "recorded", "audited", "done")
# Test hook: CHUANYU_CRASH_AT=<step> makes the writing process exit (os._exit, no cleanup) right after that step.
CRASH_ENV = "CHUANYU_CRASH_AT"
CRASH_EXIT = 70


def reached(step: str) -> None:
    """A step is complete: stop here if the crash hook names it."""
    if os.environ.get(CRASH_ENV) == step:
        os._exit(CRASH_EXIT)


def journal_dir(data_dir: Path) -> Path:
    """Where intent records are kept while their write is under way."""
    return store.versions_dir(data_dir) / JOURNAL_DIR


def pending(data_dir: Path) -> list[Path]:
    """Intent records of writes that did not finish (or are running now, if another process holds the lock)."""
    folder = journal_dir(data_dir)
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


@dataclass(frozen=True)
class Change:
    """A new content for one dataset file, and who makes it how."""

    dataset: str
    file: str
    content: bytes
    rows_before: int
    rows_after: int
    user: str
    action: str
    source: str | None = None
    mode: str | None = None


def _keep_baseline(data_dir: Path, change: Change) -> str | None:
    """Keep the file in use as a version unless it already is the newest one; its SHA-256 (None: no file)."""
    current = data_dir / change.file
    if not current.is_file():
        return None
    content = current.read_bytes()
    sha = store.sha256_bytes(content)
    kept = store.read_versions(data_dir, change.dataset)
    if not kept or kept[0].sha256 != sha:
        store.add_version(
            data_dir,
            dataset=change.dataset,
            file=change.file,
            content=content,
            rows=change.rows_before,
            user="(found in data dir)",
            action="baseline",
        )
    return sha


def commit(data_dir: Path, change: Change, event: Callable[[Version], dict[str, object]]) -> Version:
    """Write change through every step (call with the exclusive lock held); event(version) gives the audit event."""
    old_sha = _keep_baseline(data_dir, change)
    reached("baseline")
    new_sha = store.keep_blob(data_dir, change.content)
    reached("blob")
    head = audit.current_head(data_dir)
    number = store.next_number(data_dir)
    op = f"{store.now_utc().replace(':', '')}-{secrets.token_hex(4)}"
    v = Version(
        id=f"v{number}",
        number=number,
        dataset=change.dataset,
        file=change.file,
        sha256=new_sha,
        rows=change.rows_after,
        size=len(change.content),
        created=store.now_utc(),
        user=change.user,
        action=change.action,
        source=change.source,
        mode=change.mode,
        op=op,
        audit_length=head.length,
        audit_head=head.hash,
    )
    logged = {**event(v), "op": op}
    intent = {
        "op": op,
        "dataset": change.dataset,
        "file": change.file,
        "old_sha256": old_sha,
        "new_sha256": new_sha,
        "version": v.record(),
        "audit": logged,
        "audit_length": head.length,
    }
    path = journal_dir(data_dir) / f"{op}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    store.write_atomic(path, (json.dumps(intent, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    reached("intent")
    try:
        store.write_atomic(data_dir / change.file, change.content, staged=lambda: reached("staged"))
        reached("swapped")
        store.write_record(data_dir, v)
        reached("recorded")
        audit.append_event(data_dir, logged)
        reached("audited")
    except BaseException:
        # An error (a full disk, an interrupt) rather than a crash: settle the write now, as recovery would later.
        with suppress(Exception):
            recover(data_dir)
        raise
    _finish(path)
    reached("done")
    return v


def _finish(path: Path) -> None:
    """Remove an intent record durably: the write is complete."""
    path.unlink(missing_ok=True)
    store.fsync_dir(path.parent)


# -- recovery -------------------------------------------------------------------------------
def _logged_since(data_dir: Path, op: str, since: int) -> bool:
    """Whether the audit log has a line for op after its first `since` lines."""
    return any(e.get("op") == op for e in audit.read_events(data_dir)[since:])


def _has_record(data_dir: Path, v: Version) -> bool:
    path = store.record_path(data_dir, v.number)
    try:
        return bool(json.loads(path.read_text(encoding="utf-8")).get("op") == v.op)
    except (OSError, ValueError, AttributeError):
        return False


def _roll_forward(data_dir: Path, intent: dict, v: Version) -> dict[str, object] | None:
    """The data file holds the new bytes: write what is missing (record, audit line), marked recovered."""
    if not _has_record(data_dir, v):
        store.write_record(data_dir, replace(v, recovered=True))
    if _logged_since(data_dir, str(intent["op"]), int(intent["audit_length"])):
        return None  # only the intent's removal was missing
    event = {
        **intent["audit"],
        "recovered": True,
        "recovery": "rolled forward: the data file had been replaced when the write was interrupted; "
        "its version record and this line were written on recovery",
    }
    return audit.append_event(data_dir, event)


def _roll_back(data_dir: Path, intent: dict, v: Version, data_sha: str | None) -> dict[str, object]:
    """The data file does not hold the new bytes: make sure it holds the old ones, and log the interruption."""
    old_sha = intent.get("old_sha256")
    target = data_dir / str(intent["file"])
    if data_sha == old_sha:
        what = "rolled back: interrupted before the data file was replaced; the data is unchanged"
    elif old_sha and (old := store.blob_bytes(data_dir, str(old_sha))) is not None:
        store.write_atomic(target, old)
        what = "rolled back: the data file held neither the old nor the new bytes; the old bytes were put back"
    else:
        what = (
            "rolled back: the data file held neither the old nor the new bytes and the old ones are not kept; "
            "the file was left as found"
        )
    if _has_record(data_dir, v):
        store.record_path(data_dir, v.number).unlink(missing_ok=True)
    event = {
        **intent["audit"],
        "result": "interrupted",
        "version": None,
        "recovered": True,
        "recovery": what,
        "message": f"interrupted; {what}",
    }
    return audit.append_event(data_dir, event)


def recover(data_dir: Path) -> list[dict[str, object]]:
    """Roll every unfinished write forward or back (call with the exclusive lock held); the audit lines written."""
    done: list[dict[str, object]] = []
    store.clean_temps(
        data_dir,
        store.versions_dir(data_dir) / "blobs",
        store.versions_dir(data_dir) / "records",
        journal_dir(data_dir),
    )
    for path in pending(data_dir):
        try:
            intent = json.loads(path.read_text(encoding="utf-8"))
            v = Version(**{k: val for k, val in intent["version"].items() if k in store.FIELDS})
        except (ValueError, KeyError, TypeError):
            continue  # cannot be read: an intent is written atomically, so this is not ours; leave it for a person
        data_sha = store.sha256_file(data_dir / str(intent["file"]))
        if data_sha == intent["new_sha256"]:
            line = _roll_forward(data_dir, intent, v)
        else:
            line = _roll_back(data_dir, intent, v, data_sha)
        if line is not None:
            done.append(line)
        _finish(path)
    return done

"""Locked, atomic, versioned writes of dataset files; versions live in the data dir's hidden .versions/ folder."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

LOCK_FILE = ".ingest.lock"
VERSIONS_DIR = ".versions"
TMP_PREFIX = ".ingest-"
KEEP_VERSIONS = 10  # per dataset
LOCK_TIMEOUT = 60.0


class Busy(RuntimeError):
    """Another ingest or rollback holds the lock."""


class UnknownVersion(KeyError):
    """No kept version has this id."""


class DamagedVersion(RuntimeError):
    """A kept version's bytes no longer match their SHA-256."""


def now_utc() -> str:
    """The current time in UTC, ISO 8601 to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of data."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str | None:
    """Hex SHA-256 of a file, or None when it does not exist."""
    return sha256_bytes(path.read_bytes()) if path.is_file() else None


# -- locking and atomic writes --------------------------------------------------------------
@contextmanager
def locked(data_dir: Path, *, shared: bool = False, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the data dir's lock (shared for readers, exclusive for writers); Busy after timeout seconds."""
    # Read-only is enough for flock, so the app and the CLI can share a lock file one of them created.
    fd = os.open(data_dir / LOCK_FILE, os.O_RDONLY | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise Busy("another ingest or rollback is running; try again in a moment") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def fsync_dir(path: Path) -> None:
    """Make a rename inside path durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _swap(tmp: Path, target: Path) -> None:
    """The atomic step: after it, readers see the whole new file; before it, the whole old one."""
    os.replace(tmp, target)
    fsync_dir(target.parent)


def write_atomic(target: Path, data: bytes, staged: Callable[[], None] | None = None) -> None:
    """Write data to target through a synced temporary file in the same folder, then swap it in.

    staged: called once the temporary file is durable, just before the swap (the journal's crash hook).
    """
    mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
    fd, name = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=".tmp", dir=target.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)  # mkstemp makes 0600; keep the file readable as before
        if staged is not None:
            staged()
        _swap(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def clean_temps(*folders: Path) -> None:
    """Remove temporary files a crashed writer left behind (call with the exclusive lock held)."""
    for folder in folders:
        if folder.is_dir():
            for p in folder.glob(f"{TMP_PREFIX}*.tmp"):
                p.unlink(missing_ok=True)


# -- versions -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Version:
    """One kept state of one dataset file."""

    id: str
    number: int
    dataset: str
    file: str
    sha256: str
    rows: int
    size: int
    created: str
    user: str
    action: str
    source: str | None = None
    mode: str | None = None
    current: bool = False
    op: str | None = None  # the journalled write that made it (metrics.ingest.journal)
    recovered: bool = False  # written by recovery after the write was interrupted
    audit_length: int | None = None  # the audit log's length and last hash when the write began, so that
    audit_head: str | None = None  # lines cut off the log's end are detectable (audit.verify)

    def as_dict(self) -> dict[str, object]:
        """The version as a plain record."""
        return asdict(self)

    def record(self) -> dict[str, object]:
        """What its record file holds (current is worked out when reading)."""
        return {k: v for k, v in self.as_dict().items() if k != "current"}


FIELDS = frozenset(f.name for f in fields(Version))


def versions_dir(data_dir: Path) -> Path:
    """Where versions are kept."""
    return data_dir / VERSIONS_DIR


def _records(data_dir: Path) -> Path:
    return versions_dir(data_dir) / "records"


def _blobs(data_dir: Path) -> Path:
    return versions_dir(data_dir) / "blobs"


def _blob_path(data_dir: Path, sha: str) -> Path:
    return _blobs(data_dir) / f"{sha}.csv"


def read_versions(data_dir: Path, dataset: str | None = None) -> list[Version]:
    """Kept versions, newest first, with the one matching each dataset's current file marked current."""
    folder = _records(data_dir)
    found = []
    for p in folder.glob("*.json") if folder.is_dir() else []:
        try:
            d = json.loads(p.read_text(encoding="utf-8"))
            found.append(Version(**{k: v for k, v in d.items() if k in FIELDS and k != "current"}))
        except (ValueError, TypeError, AttributeError):
            continue  # a half-written record cannot exist (atomic), but never let one break the list
    found.sort(key=lambda v: v.number, reverse=True)
    out, marked = [], set()
    current = {v.dataset: sha256_file(data_dir / v.file) for v in found}
    for v in found:
        is_current = v.dataset not in marked and v.sha256 == current.get(v.dataset)
        if is_current:
            marked.add(v.dataset)
        if dataset is None or v.dataset == dataset:
            out.append(Version(**{**asdict(v), "current": is_current}))
    return out


def parse_version_id(text: str) -> int:
    """12, v12 or V0012 -> 12; UnknownVersion otherwise."""
    m = re.fullmatch(r"[vV]?0*(\d{1,9})", text.strip())
    if not m:
        raise UnknownVersion(text)
    return int(m.group(1))


def find_version(data_dir: Path, ident: str) -> Version:
    """The kept version with this id; UnknownVersion if there is none."""
    number = parse_version_id(ident)
    for v in read_versions(data_dir):
        if v.number == number:
            return v
    raise UnknownVersion(ident)


def next_number(data_dir: Path) -> int:
    """The number the next version gets."""
    existing = read_versions(data_dir)
    return (existing[0].number if existing else 0) + 1


def keep_blob(data_dir: Path, content: bytes) -> str:
    """Keep content's bytes durably in the blob store (once per SHA-256); returns the SHA-256."""
    _blobs(data_dir).mkdir(parents=True, exist_ok=True)
    sha = sha256_bytes(content)
    blob = _blob_path(data_dir, sha)
    if not blob.is_file() or sha256_file(blob) != sha:
        write_atomic(blob, content)
    return sha


def record_path(data_dir: Path, number: int) -> Path:
    """Where version number's record is kept."""
    return _records(data_dir) / f"{number:06d}.json"


def write_record(data_dir: Path, v: Version) -> None:
    """Write a version's record atomically (its bytes must already be kept)."""
    _records(data_dir).mkdir(parents=True, exist_ok=True)
    write_atomic(
        record_path(data_dir, v.number), (json.dumps(v.record(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    )


def add_version(
    data_dir: Path,
    *,
    dataset: str,
    file: str,
    content: bytes,
    rows: int,
    user: str,
    action: str,
    source: str | None = None,
    mode: str | None = None,
) -> Version:
    """Keep content as the next version of dataset (the bytes first, then the record)."""
    sha = keep_blob(data_dir, content)
    number = next_number(data_dir)
    v = Version(
        id=f"v{number}",
        number=number,
        dataset=dataset,
        file=file,
        sha256=sha,
        rows=rows,
        size=len(content),
        created=now_utc(),
        user=user,
        action=action,
        source=source,
        mode=mode,
    )
    write_record(data_dir, v)
    return v


def blob_bytes(data_dir: Path, sha: str) -> bytes | None:
    """The kept bytes with this SHA-256, or None when they are missing or damaged."""
    blob = _blob_path(data_dir, sha)
    if not blob.is_file():
        return None
    data = blob.read_bytes()
    return data if sha256_bytes(data) == sha else None


def version_bytes(data_dir: Path, v: Version) -> bytes:
    """A kept version's bytes, checked against its SHA-256."""
    if not _blob_path(data_dir, v.sha256).is_file():
        raise DamagedVersion(f"version {v.id}: its file is missing from {VERSIONS_DIR}/")
    data = blob_bytes(data_dir, v.sha256)
    if data is None:
        raise DamagedVersion(f"version {v.id}: its file is damaged (SHA-256 does not match)")
    return data


def prune(data_dir: Path, keep: int = KEEP_VERSIONS) -> None:
    """Keep the newest versions of each dataset (and any current one); drop unreferenced bytes."""
    seen: dict[str, int] = {}
    kept: set[str] = set()
    for v in read_versions(data_dir):
        seen[v.dataset] = seen.get(v.dataset, 0) + 1
        if seen[v.dataset] <= keep or v.current:
            kept.add(v.sha256)
        else:
            record_path(data_dir, v.number).unlink(missing_ok=True)
    for blob in _blobs(data_dir).glob("*.csv") if _blobs(data_dir).is_dir() else []:
        if blob.stem not in kept:
            blob.unlink(missing_ok=True)

"""Build the DuckDB database from the curated CSVs once, and open it read-only and locked down.

The build steps live in metrics.build (one pipeline for DuckDB and Spark); this module names, caches and opens
the serving file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from .build import pipeline
from .build.duck import DuckBackend
from .build.incremental import append_build
from .build.pipeline import (
    DISTINCT_GRAINS,
    LOAD_SHARE,
    Progress,
    dataset_order,
    distinct_table,
)
from .config import PROJECT_ROOT, SQL_DIR, Config
from .sqlfiles import render

# Bump when the build logic changes, so old cached databases are not reused.
BUILD_VERSION = "3"
KEEP_BUILDS = 3
HASH_MEMO = "file-hashes.json"
HARDENED = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}


@dataclass(frozen=True)
class Paths:
    """Where the config, the data and the built database live."""

    config: Path
    data_dir: Path
    cache_dir: Path


def resolve_paths(
    cfg: Config, config_path: Path, data_dir: Path | str | None = None, cache_dir: Path | str | None = None
) -> Paths:
    """Data dir: argument, else $CHUANYU_DATA_DIR, else the config's data_dir next to the config."""
    data = data_dir or os.environ.get("CHUANYU_DATA_DIR") or (config_path.parent / cfg.project.data_dir)
    cache = cache_dir or os.environ.get("CHUANYU_CACHE_DIR") or (PROJECT_ROOT / ".cache")
    return Paths(config_path, Path(data).resolve(), Path(cache).resolve())


def _file_digest(path: Path, memo: dict[str, list]) -> str:
    """sha256 of a file, reused while its size, mtime and inode are unchanged (as git's index does)."""
    st = path.stat()
    stamp = [st.st_size, st.st_mtime_ns, st.st_ino]
    hit = memo.get(str(path))
    if hit and hit[:3] == stamp:
        return hit[3]
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    memo[str(path)] = [*stamp, h.hexdigest()]
    return h.hexdigest()


def _read_memo(cache_dir: Path) -> dict[str, list]:
    try:
        return json.loads((cache_dir / HASH_MEMO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_memo(cache_dir: Path, memo: dict[str, list]) -> None:
    # Best effort: a read-only or racing cache dir only costs a re-hash next time.
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".hashes-", dir=cache_dir)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(memo, fh)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the database files beside it are not
        os.replace(tmp, cache_dir / HASH_MEMO)
    except OSError:
        pass


def code_digest(paths: Paths) -> str:
    """A hash of what turns data into a database: build version, config and every SQL file."""
    h = hashlib.sha256(BUILD_VERSION.encode())
    h.update(paths.config.read_bytes())
    for p in sorted(SQL_DIR.rglob("*.sql")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def input_digests(cfg: Config, paths: Paths) -> dict[str, list]:
    """dataset -> [size, sha256] of its file (missing files are left out); hashes are memoised."""
    memo = _read_memo(paths.cache_dir)
    before = dict(memo)
    out: dict[str, list] = {}
    for name in sorted(cfg.datasets):
        f = paths.data_dir / cfg.datasets[name].file
        if f.is_file():
            out[name] = [f.stat().st_size, _file_digest(f, memo)]
    if memo != before:
        _write_memo(paths.cache_dir, memo)
    return out


def fingerprint(cfg: Config, paths: Paths) -> str:
    """A hash of everything the database is built from: code version, config, SQL and data files."""
    h = hashlib.sha256(code_digest(paths).encode())
    for name, (_, digest) in sorted(input_digests(cfg, paths).items()):
        h.update(name.encode())
        h.update(digest.encode())
    return h.hexdigest()[:16]


def build_database(cfg: Config, paths: Paths, target: Path, progress: Progress | None = None) -> dict[str, object]:
    """Check and load every dataset in SQL, then build target atomically; returns the build metadata."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".build-", suffix=".duckdb", dir=target.parent)
    os.close(fd)
    os.unlink(tmp_name)
    tmp = Path(tmp_name)
    try:
        be = DuckBackend(tmp)
        try:
            loaded = pipeline.load_all(be, cfg, paths.data_dir, progress, _sizes(cfg, paths.data_dir))
            meta = pipeline.metadata(cfg, loaded, be.name)
            meta |= {"code": code_digest(paths), "inputs": input_digests(cfg, paths)}
            pipeline.build_derived(be, cfg, date.fromisoformat(str(meta["as_of"])), progress)
            be.execute(render("create_meta"), {"meta": pipeline.meta_json(meta)})
        finally:
            be.close()
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
    return meta


def _sizes(cfg: Config, data_dir: Path) -> dict[str, int]:
    """Each dataset's file size, to share the progress bar by bytes."""
    out = {}
    for name, ds in cfg.datasets.items():
        f = data_dir / ds.file
        out[name] = f.stat().st_size if f.is_file() else 0
    return out


def database_path(cfg: Config, paths: Paths) -> Path:
    """Where the database for the current inputs lives (it may not be built yet)."""
    return paths.cache_dir / f"warehouse-{fingerprint(cfg, paths)}.duckdb"


def ensure_database(cfg: Config, paths: Paths, progress: Progress | None = None) -> Path:
    """The built database for the current inputs, building it only when the inputs changed."""
    target = database_path(cfg, paths)
    if not target.is_file():
        previous = latest_build(paths.cache_dir)
        # A month appended to a dataset updates a copy of the previous build; anything else builds anew.
        if (
            previous is None
            or append_build(
                cfg, paths.data_dir, previous, target, code_digest(paths), input_digests(cfg, paths), progress
            )
            is None
        ):
            build_database(cfg, paths, target, progress)
        if progress:
            progress(1.0, "ready")
        _prune(paths.cache_dir, keep=target)
    return target


def latest_build(cache_dir: Path) -> Path | None:
    """The most recently written database in the cache, if any."""
    builds = sorted(cache_dir.glob("warehouse-*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)
    return builds[0] if builds else None


def _prune(cache_dir: Path, keep: Path) -> None:
    builds = sorted(cache_dir.glob("warehouse-*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [b for b in builds if b != keep][KEEP_BUILDS - 1 :]:
        old.unlink(missing_ok=True)


def open_readonly(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection with file access, extension loading and configuration changes disabled."""
    return duckdb.connect(str(path), read_only=True, config=dict(HARDENED))


__all__ = [
    "DISTINCT_GRAINS",
    "LOAD_SHARE",
    "Paths",
    "Progress",
    "build_database",
    "code_digest",
    "database_path",
    "dataset_order",
    "distinct_table",
    "ensure_database",
    "fingerprint",
    "input_digests",
    "latest_build",
    "open_readonly",
    "resolve_paths",
]

"""The built warehouse, opened read-only: which config and data, one cursor per thread, cached small queries."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from .cache import LruCache
from .config import DEFAULT_CONFIG, Config, load_config
from .warehouse import Paths, Progress, database_path, ensure_database, open_readonly, resolve_paths

# Results are small (months x places) and a database never changes (its file name is the input hash), so
# caching them per Database is always correct. Bounded so a long-running server stays small.
CACHE_ENTRIES = 1024
CACHE_MAX_ROWS = 5_000


def handout(df: pd.DataFrame) -> pd.DataFrame:
    """A cached frame for one caller: changes the caller makes (a new column, a changed cell) stay its own."""
    # A shallow copy: pandas 3's Copy-on-Write copies a column only when someone writes to it. A deep copy
    # copies every column, and each Arrow string column releases and re-takes the GIL, which under a burst of
    # sessions cost milliseconds per column (py-spy on the load test).
    return df.copy(deep=False)


def config_file(config_path: Path | str | None = None) -> Path:
    """The config to use: the argument, else $CHUANYU_CONFIG, else the project's config.yaml."""
    return Path(config_path or os.environ.get("CHUANYU_CONFIG") or DEFAULT_CONFIG)


def needs_build(
    config_path: Path | str | None = None, data_dir: Path | str | None = None, cache_dir: Path | str | None = None
) -> bool:
    """True when opening these inputs would first build the database: a UI shows progress then."""
    path = config_file(config_path)
    cfg = load_config(path)
    return not database_path(cfg, resolve_paths(cfg, path, data_dir, cache_dir)).is_file()


Stamp = tuple[tuple[str, int, int, int], ...]


def inputs_stamp(config: Config, paths: Paths) -> Stamp:
    """Size, modification time and inode of the config and every data file: a few stat calls, no reading.

    Every writer replaces a file (a new inode) or changes its size or time, so a different stamp means a new
    data version, whichever process wrote it (the CLI, an admin page, another server).
    """
    files = [paths.config, *(paths.data_dir / ds.file for ds in config.datasets.values())]
    out = []
    for f in files:
        try:
            st = f.stat()
        except OSError:
            out.append((str(f), -1, -1, -1))
            continue
        out.append((str(f), st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(out)


@dataclass(frozen=True)
class BuildMeta:
    """What the build recorded: the data's as-of date, each dataset's, when it was built, the months covered."""

    as_of: date
    datasets_as_of: dict[str, str | None]
    built_at: str
    first_month: date
    last_month: date


class Database:
    """A read-only, hardened connection to the database built from one config and data directory."""

    def __init__(
        self,
        config_path: Path | str | None = None,
        data_dir: Path | str | None = None,
        cache_dir: Path | str | None = None,
        progress: Progress | None = None,
    ) -> None:
        """Open the database for these inputs, building it first if needed (progress hears how far it got)."""
        path = config_file(config_path)
        self.config: Config = load_config(path)
        self.paths: Paths = resolve_paths(self.config, path, data_dir, cache_dir)
        # Taken before the build reads the files: a write during the build shows as a change afterwards.
        self.stamp = inputs_stamp(self.config, self.paths)
        self.path: Path = ensure_database(self.config, self.paths, progress)
        self._con = open_readonly(self.path)
        self._local = threading.local()
        self.cache = LruCache(CACHE_ENTRIES)
        self.meta = self._read_meta()

    def _read_meta(self) -> BuildMeta:
        meta = json.loads(self.rows("select meta from _meta")[0][0])
        first, last = self.rows("select min(month), max(month) from calendar")[0]
        return BuildMeta(
            date.fromisoformat(meta["as_of"]),
            meta["datasets_as_of"],
            meta["built_at"],
            pd.Timestamp(first).date(),
            pd.Timestamp(last).date(),
        )

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor: one DuckDB connection is not thread-safe."""
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._con.cursor()
            self._local.cursor = cur
        return cur

    def frame(self, sql: str, params: Mapping[str, object] | None = None) -> pd.DataFrame:
        """A query's result as a frame, cached when small; callers get their own copy."""
        key: Hashable = ("df", sql, tuple(sorted((params or {}).items())))
        hit = self.cache.peek(key)
        if isinstance(hit, pd.DataFrame):
            return handout(hit)
        df = self.cursor().execute(sql, dict(params or {})).df()
        if len(df) <= CACHE_MAX_ROWS:
            self.cache.put(key, handout(df))
        return df

    def rows(self, sql: str, params: Mapping[str, object] | None = None) -> list[tuple]:
        """A small aggregate query's rows as tuples, cached."""
        key = ("rows", sql, tuple(sorted((params or {}).items())))
        # DuckDB binds named parameters only from a dict.
        return self.cache.get(key, lambda: self.cursor().execute(sql, dict(params or {})).fetchall())

    def is_current(self) -> bool:
        """False once the config or a data file changed after this database was opened (cheap: stat calls)."""
        return inputs_stamp(self.config, self.paths) == self.stamp

    def close(self) -> None:
        """Close the connection."""
        self._con.close()

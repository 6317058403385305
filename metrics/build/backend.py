"""The engines a build can run on: one interface, so the build steps and their SQL are written once."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import pandas as pd

# The relation a dataset's file is registered as while it is checked and typed, and the same with row numbers.
SOURCE = "_source"
NUMBERED = "_numbered"


class ReadError(ValueError):
    """A data file cannot be read as UTF-8 CSV (or Parquet)."""


class Backend(Protocol):
    """What the build needs from an engine. SQL comes in DuckDB's dialect; other engines translate it."""

    name: str
    read_errors: tuple[type[Exception], ...]  # what the engine raises for a file it cannot parse

    def execute(self, sql: str, params: dict[str, object] | None = None) -> None:
        """Run a statement (create table/view ... as select, drop, ...)."""

    def rows(self, sql: str, params: dict[str, object] | None = None) -> list[tuple]:
        """Run a query and return its rows."""

    def columns(self, sql: str) -> list[str]:
        """The column names a query yields, without running it over the data."""

    def source(self, path: str) -> list[str]:
        """Register the file at path as SOURCE, columns src_0..src_N as text; the header as the file has it."""

    def numbered(self) -> str:
        """SOURCE with _row, each row's line in the file (header = 1); returns the relation's name."""

    def blank_free(self) -> bool:
        """True when no cell of SOURCE can hold a blank (the checks then need not strip its cells)."""

    def load_rows(self, table: str, columns: Sequence[tuple[str, str]], rows: Sequence[tuple]) -> None:
        """Create table from literal rows (columns: name, SQL type)."""

    def drop_flag(self, table: str) -> None:
        """Drop the _bad column of a freshly typed table."""

    def drop(self, table: str) -> None:
        """Drop a table (or temporary view) if it exists."""

    def close(self) -> None:
        """Release the engine."""


def local_path(path: str) -> Path | None:
    """path as a local file, or None for a URI (hdfs://, s3a://, ...)."""
    if "://" in path and not path.startswith("file://"):
        return None
    return Path(path.removeprefix("file://"))


def read_header(path: Path) -> list[str]:
    """A local CSV's header exactly as pandas names it (the pandas checks and the SQL checks then agree)."""
    try:
        return [str(c) for c in pd.read_csv(path, nrows=0, dtype=str, encoding="utf-8-sig").columns]
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise ReadError(f"cannot read as UTF-8 CSV: {e}") from None


# Bytes that a cell with a blank in it (BLANK in contracts.py), or a quoted cell, must contain: with none of
# them in the file, every cell is already stripped. U+00A0 and U+3000 are looked for only in non-ASCII files.
BLANK_BYTES = (b" ", b"\t", b"\r", b"\x0b", b"\x0c", b'"')
BLANK_SEQUENCES = ("\u00a0".encode(), "\u3000".encode())
SCAN_CHUNK = 1 << 22


def csv_blank_free(path: Path) -> bool:
    """True when no cell of the CSV at path holds a blank or a quote: a byte scan at memchr speed (a few
    tenths of a second for 400 MB), against a pattern match on every cell of every text column."""
    tail = b""
    with path.open("rb") as fh:
        fh.readline()  # the header: its names may have blanks, and pandas reads it
        while chunk := fh.read(SCAN_CHUNK):
            if any(b in chunk for b in BLANK_BYTES):
                return False
            if not chunk.isascii():
                seen = tail + chunk  # a multi-byte blank may straddle two chunks
                if any(s in seen for s in BLANK_SEQUENCES):
                    return False
            tail = chunk[-2:]
    return True


def is_parquet(path: str) -> bool:
    """True for a .parquet file or a directory of them."""
    return path.rstrip("/").endswith(".parquet")

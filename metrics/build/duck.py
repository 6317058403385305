"""The DuckDB build backend: today's engine, the default, writing the serving database directly."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path

import duckdb

from ..contracts import FIRST_DATA_LINE
from .backend import NUMBERED, SOURCE, ReadError, csv_blank_free, is_parquet, local_path, read_header
from .checks import bound_names

# Enough for the hash tables of a 10-million-row build; beyond it DuckDB spills to disk instead of growing.
MEMORY_LIMIT = "1500MB"


class DuckBackend:
    """Builds into one DuckDB file."""

    name = "duckdb"
    read_errors: tuple[type[Exception], ...] = (duckdb.InvalidInputException, duckdb.ConversionException)

    def __init__(self, path: Path | str, memory_limit: str = MEMORY_LIMIT, threads: int | None = None) -> None:
        """Open (create) the database file at path."""
        self.con = duckdb.connect(str(path))
        self.con.execute(f"set memory_limit = '{memory_limit}'")
        # Keeping rows in insertion order costs memory in every big insert and aggregate (at 1e8 rows the
        # difference between spilling and running out); only numbered() needs file order, and asks for it.
        self.con.execute("set preserve_insertion_order = false")
        if threads:
            self.con.execute(f"set threads = {int(threads)}")
        self._path: str | None = None
        self._blank_free = False

    def execute(self, sql: str, params: dict[str, object] | None = None) -> None:
        """Run a statement."""
        self.con.execute(sql, bound_names(sql, params or {}))

    def rows(self, sql: str, params: dict[str, object] | None = None) -> list[tuple]:
        """Run a query and return its rows."""
        return self.con.execute(sql, bound_names(sql, params or {})).fetchall()

    def columns(self, sql: str) -> list[str]:
        """The column names a query yields."""
        cur = self.con.execute(sql)
        return [d[0] for d in cur.description or []]

    def source(self, path: str) -> list[str]:
        """Register the file as SOURCE (text columns src_0..src_N) and return its header."""
        local = local_path(path)
        if local is None:
            raise ReadError("the DuckDB build reads local files only; build on Spark for URIs")
        if not local.exists():
            raise FileNotFoundError(path)
        self._path = str(local)
        self._blank_free = False
        if is_parquet(path):
            rel = self.con.read_parquet(str(local / "**" / "*.parquet") if local.is_dir() else str(local))
            header = list(rel.columns)
            rel = rel.select(", ".join(f"cast({ident_any(c)} as varchar) as src_{j}" for j, c in enumerate(header)))
        else:
            header = read_header(local)
            rel = self.con.read_csv(
                str(local),
                header=True,
                all_varchar=True,
                delimiter=",",
                quotechar='"',
                escapechar='"',
                auto_detect=False,
                columns={f"src_{j}": "VARCHAR" for j in range(len(header))},
                encoding="utf-8",
            )
            self._blank_free = csv_blank_free(local)
        self.con.execute(f"drop view if exists {SOURCE}")
        rel.create_view(SOURCE, replace=True)
        return header

    def numbered(self) -> str:
        """SOURCE copied in file order; rowid is then the data row's index."""
        self.con.execute("set preserve_insertion_order = true")
        try:
            self.con.execute(f"create or replace temp table {NUMBERED}_t as select * from {SOURCE}")
        except duckdb.Error as e:
            raise ReadError(f"cannot read as UTF-8 CSV: {e}") from None
        finally:
            self.con.execute("set preserve_insertion_order = false")
        self.con.execute(
            f"create or replace temp view {NUMBERED} as select rowid + {FIRST_DATA_LINE} as _row, * from {NUMBERED}_t"
        )
        return NUMBERED

    def blank_free(self) -> bool:
        """True when no cell of SOURCE can hold a blank: a CSV without any blank or quote byte."""
        return self._blank_free

    def load_rows(self, table: str, columns: Sequence[tuple[str, str]], rows: Sequence[tuple]) -> None:
        """Create table and insert the rows."""
        self.con.execute(f"create or replace table {table} ({', '.join(f'{n} {t}' for n, t in columns)})")
        if rows:
            marks = ", ".join("?" for _ in columns)
            self.con.executemany(f"insert into {table} values ({marks})", list(rows))

    def drop_flag(self, table: str) -> None:
        """Drop the _bad column."""
        self.con.execute(f"alter table {table} drop column _bad")

    def drop(self, table: str) -> None:
        """Drop a table or view if it exists."""
        for kind in ("table", "view"):
            with contextlib.suppress(duckdb.CatalogException):  # a table where a view was asked for, or back
                self.con.execute(f"drop {kind} if exists {table}")

    def close(self) -> None:
        """Close the file."""
        self.con.close()


def ident_any(name: str) -> str:
    """A file's own column name quoted for DuckDB (it may be Chinese or have spaces)."""
    return '"' + name.replace('"', '""') + '"'

"""Compare two serving databases table by table: every row, with its multiplicity, in both."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from ..config import Config
from ..sqlfiles import ident, render
from . import pipeline


@dataclass(frozen=True)
class TableDiff:
    """How one table differs: rows only in the first database, only in the second, and the row counts."""

    table: str
    only_first: int
    only_second: int
    rows_first: int
    rows_second: int

    @property
    def identical(self) -> bool:
        """Same rows, same number of times each."""
        return self.only_first == 0 and self.only_second == 0 and self.rows_first == self.rows_second


def compare(cfg: Config, first: Path, second: Path) -> list[TableDiff]:
    """Every rollup table of first against second."""
    con = duckdb.connect()
    try:
        con.execute("attach ? as a (read_only)", [str(first)])
        con.execute("attach ? as b (read_only)", [str(second)])
        out = []
        for table in pipeline.rollup_tables(cfg):
            a, b = f"a.{ident(table)}", f"b.{ident(table)}"
            row = con.execute(render("compare_tables", a=a, b=b)).fetchone()
            assert row is not None  # an aggregate of scalar subqueries always has its one row
            only_a, only_b, n_a, n_b = row
            out.append(TableDiff(table, int(only_a), int(only_b), int(n_a), int(n_b)))
        return out
    finally:
        con.close()


def summary(diffs: list[TableDiff]) -> str:
    """'N/N tables identical', then one line per table that differs."""
    same = sum(d.identical for d in diffs)
    lines = [f"{same}/{len(diffs)} tables identical"]
    lines += [
        f"  {d.table}: {d.only_first} rows only in the first build, {d.only_second} only in the second "
        f"({d.rows_first} vs {d.rows_second} rows)"
        for d in diffs
        if not d.identical
    ]
    return "\n".join(lines)

"""Load rollups written as Parquet (by the Spark build) into a serving DuckDB file, with DuckDB's own types.

The schema comes from the same pipeline run on empty tables: every rollup then has exactly the column types
a DuckDB build gives it, so the engine, the dashboard and the exports cannot tell the two builds apart.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

from ..config import Config
from ..sqlfiles import ident, render
from . import pipeline
from .duck import DuckBackend

PARQUET = "_parquet"


def parquet_files(folder: Path) -> list[str]:
    """The Parquet files of one exported table (Spark writes part files, partitioned or not)."""
    return sorted(str(p) for p in folder.rglob("*.parquet"))


def load_table(be: DuckBackend, table: str, folder: Path) -> int:
    """Replace table's rows with the Parquet files in folder; returns the rows loaded."""
    be.execute(render("delete_all", table=ident(table)))
    files = parquet_files(folder)
    if not files:
        return 0  # Spark writes no file for an empty table
    rel = be.con.read_parquet(files, hive_partitioning=True)
    rel.create_view(PARQUET, replace=True)
    be.execute(render("insert_by_name", table=ident(table), source=PARQUET))
    be.con.execute(f"drop view {PARQUET}")
    return int(be.rows(render("count_rows", table=ident(table)))[0][0])


def load_serving(
    cfg: Config, exported: Path, target: Path, meta: dict[str, object], served: list[str]
) -> dict[str, int]:
    """Write target (atomically): the rollups and the served datasets from exported/, and _meta."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".serve-", suffix=".duckdb", dir=target.parent)
    os.close(fd)
    os.unlink(tmp_name)
    tmp = Path(tmp_name)
    counts: dict[str, int] = {}
    try:
        be = DuckBackend(tmp)
        try:
            pipeline.create_empty(be, cfg)
            pipeline.build_derived(be, cfg, date.fromisoformat(str(meta["as_of"])))
            for table in pipeline.rollup_tables(cfg):
                counts[table] = load_table(be, table, exported / "rollups" / table)
            for name in cfg.datasets:
                if name in served:
                    counts[name] = load_table(be, name, exported / "datasets" / name)
                else:
                    be.drop(ident(name))  # raw events: not served, as in a DuckDB build
            be.execute(render("create_meta"), {"meta": pipeline.meta_json(meta)})
        finally:
            be.close()
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
    return counts

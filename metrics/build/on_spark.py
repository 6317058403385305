"""A build on Spark: check and roll up the datasets where they are, write the rollups as Parquet partitioned by
month, and load them into the serving DuckDB file the dashboard opens."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..config import Config
from . import pipeline
from .serving import load_serving
from .spark import SparkBackend

# A dataset without a local file size (a URI) is served when it has at most this many rows.
SERVED_MAX_ROWS = 1_000_000


@dataclass
class SparkBuild:
    """What a Spark build did: its metadata, where its Parquet went and how long each step took."""

    meta: dict[str, object]
    exported: Path
    served: list[str]
    seconds: dict[str, float] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)


def _local_sizes(cfg: Config, data_dir: str) -> dict[str, int]:
    if "://" in data_dir and not data_dir.startswith("file://"):
        return {}
    base = Path(data_dir.removeprefix("file://"))
    return {n: (base / ds.file).stat().st_size for n, ds in cfg.datasets.items() if (base / ds.file).is_file()}


def served_datasets(cfg: Config, sizes: dict[str, int], loaded: dict[str, pipeline.Loaded]) -> list[str]:
    """The datasets the serving database keeps: the same rule as a DuckDB build (small files), rows for URIs."""
    return [
        n
        for n in cfg.datasets
        if (sizes[n] <= pipeline.SERVED_MAX_BYTES if n in sizes else loaded[n].rows <= SERVED_MAX_ROWS)
    ]


def partition_column(cfg: Config, table: str) -> str | None:
    """Rollups are partitioned by month (one folder per month, so a new month adds folders); the calendar not."""
    return None if table == "calendar" else "month"


def build_on_spark(
    cfg: Config, data_dir: str, spark: Any, exported: Path, target: Path, progress: pipeline.Progress | None = None
) -> SparkBuild:
    """Build every rollup on Spark, export it as Parquet under exported/, load it into target."""
    be = SparkBackend(spark)
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    sizes = _local_sizes(cfg, data_dir)
    try:
        loaded = pipeline.load_all(be, cfg, data_dir, progress, sizes or None)
        seconds["check_and_load"] = time.perf_counter() - t
        meta = pipeline.metadata(cfg, loaded, be.name)
        t = time.perf_counter()
        pipeline.build_derived(be, cfg, date.fromisoformat(str(meta["as_of"])), progress)
        served = served_datasets(cfg, sizes, loaded)
        shutil.rmtree(exported, ignore_errors=True)
        for table in pipeline.rollup_tables(cfg):
            be.export(table, str(exported / "rollups" / table), partition_column(cfg, table))
        for name in served:
            be.export(name, str(exported / "datasets" / name), None)
        seconds["rollups_and_parquet"] = time.perf_counter() - t
    finally:
        be.close()
    t = time.perf_counter()
    rows = load_serving(cfg, exported, target, meta, served)
    seconds["load_serving_duckdb"] = time.perf_counter() - t
    return SparkBuild(meta, exported, served, seconds, rows)

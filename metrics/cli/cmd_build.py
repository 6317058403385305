"""`python -m metrics build`: build the serving database on DuckDB (default) or Spark, and check it."""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from ..config import Config, load_config
from ..database import config_file
from ..warehouse import Paths, build_database, database_path, resolve_paths
from .common import CliError


def is_uri(text: str | None) -> bool:
    """True for hdfs://, s3a://, ... (not for local paths or file://)."""
    return bool(text) and "://" in str(text) and not str(text).startswith("file://")


def cmd_build(args: argparse.Namespace) -> int:
    """Build (always, not from the cache), report the time, and with --verify compare with DuckDB's build."""
    path = config_file(args.config)
    cfg = load_config(path)
    uri = is_uri(args.data_dir)
    if uri and args.engine == "duckdb":
        raise CliError("the DuckDB build reads local files; use --engine spark for a URI")
    paths = resolve_paths(cfg, path, None if uri else args.data_dir, args.cache_dir)
    data_dir = str(args.data_dir) if uri else str(paths.data_dir)
    target = Path(args.output) if args.output else database_path(cfg, paths)
    t = time.perf_counter()
    if args.engine == "duckdb":
        meta = build_database(cfg, paths, target)
        print(f"built on duckdb in {time.perf_counter() - t:.1f} s: {target}")
    else:
        from ..build.on_spark import build_on_spark
        from ..build.spark import session

        spark = session(args.master)
        started = time.perf_counter() - t
        out = Path(args.parquet) if args.parquet else paths.cache_dir / f"parquet-{target.stem}"
        result = build_on_spark(cfg, data_dir, spark, out, target)
        meta = result.meta
        steps = ", ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items())
        print(
            f"built on spark ({args.master}) in {time.perf_counter() - t:.1f} s "
            f"(session start {started:.1f} s; {steps})"
        )
        print(f"parquet rollups: {out / 'rollups'} (partitioned by month)")
        print(f"serving database: {target}")
    rows = meta.get("rows")
    rows = rows if isinstance(rows, dict) else {}
    print(f"data as of {meta['as_of']}; {sum(rows.values()):,} rows in {len(rows)} datasets")
    if not args.verify:
        return 0
    return verify(cfg, paths, target)


def verify(cfg: Config, paths: Paths, target: Path) -> int:
    """Build the same data on DuckDB into a scratch file and compare every rollup table with target."""
    from ..build.verify import compare, summary

    with tempfile.TemporaryDirectory(dir=paths.cache_dir) as scratch:
        reference = Path(scratch) / "duckdb.duckdb"
        build_database(cfg, paths, reference)
        diffs = compare(cfg, target, reference)
    print(summary(diffs))
    return 0 if all(d.identical for d in diffs) else 1


def register(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    """Add build."""
    p = sub.add_parser(
        "build",
        parents=parents,
        help="build the serving database (DuckDB or Spark)",
        description="Check every dataset against its contract and build the rollups the dashboard "
        "serves from. On Spark the rollups are also written as Parquet partitioned by "
        "month and loaded into the same serving DuckDB file.",
    )
    p.add_argument(
        "--engine",
        choices=["duckdb", "spark"],
        default=os.environ.get("CHUANYU_BUILD_ENGINE", "duckdb"),
        help="where the build runs (default duckdb)",
    )
    p.add_argument(
        "--master",
        default=os.environ.get("CHUANYU_SPARK_MASTER", "local[2]"),
        help="Spark master: local[N], local-cluster[N,C,MB] or spark://host:port (default local[2])",
    )
    p.add_argument("--cache-dir", default=None, help="where serving databases live (default $CHUANYU_CACHE_DIR)")
    p.add_argument("--parquet", default=None, help="where the Spark build writes its Parquet rollups")
    p.add_argument(
        "-o",
        "--output",
        default=None,
        help="write the serving database here instead of the cache (the engine opens the cache's)",
    )
    p.add_argument(
        "--verify",
        action="store_true",
        help="also build on DuckDB and compare every rollup table; exit 1 if any differs",
    )
    p.set_defaults(func=cmd_build)

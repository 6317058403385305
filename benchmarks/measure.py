"""Measurement workers, each run in its own process so cold starts and peak memory are its own.

    python -m benchmarks.measure engine DATA_DIR CACHE_DIR [--runs N]   # (a) (b) (d) and numbers
    python -m benchmarks.measure pandas DATA_DIR [--runs N]             # (c) and numbers

Each prints one JSON object on its last line of stdout.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from functools import partial
from pathlib import Path
from unittest.mock import patch

import duckdb

from metrics import Engine

from . import baseline_pandas
from .scenarios import FILTER_SETS, card_numbers, overview, task_bundle, task_numbers


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Callable[[], object]) -> float:
    """Wall time of one call."""
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def median_time(fn: Callable[[], object], runs: int) -> float:
    """Median wall time of fn over runs."""
    return statistics.median(timed(fn) for _ in range(runs))


def interleaved(fns: dict[str, Callable[[], object]], runs: int, before: dict[str, Callable[[], object]]) -> dict:
    """Median time of each fn, taking turns run by run so that load from other work hits them all alike."""
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(runs):
        for k, fn in fns.items():
            before.get(k, lambda: None)()
            times[k].append(timed(fn))
    return {k: statistics.median(v) for k, v in times.items()}


class Recorder:
    """A cursor stand-in that records every statement the engine sends, to replay it without the engine."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, log: list) -> None:
        self._cursor, self._log = cursor, log

    def execute(self, sql: str, params: object = None) -> duckdb.DuckDBPyConnection:
        self._log.append((sql, params or {}))
        return self._cursor.execute(sql, params or {})


def captured_queries(engine: Engine, run: Callable[[], object]) -> list[tuple[str, dict]]:
    """The statements one uncached run sends to DuckDB."""
    log: list = []
    real = engine.db.cursor
    with patch.object(engine.db, "cursor", lambda: Recorder(real(), log)):
        engine.clear_cache()
        run()
    return log


def replay(con: duckdb.DuckDBPyConnection, queries: list[tuple[str, dict]]) -> None:
    """The same statements on a bare connection, rows fetched as tuples: the engine's floor."""
    for sql, params in queries:
        con.execute(sql, params).fetchall()


def engine_worker(data_dir: Path, cache_dir: Path, runs: int) -> dict:
    """Cold load, then the Overview per filter set: uncached, cached, and replayed raw."""
    config = data_dir / "config.yaml"
    t = time.perf_counter()
    engine = Engine(config_path=config, cache_dir=cache_dir)
    load_s = time.perf_counter() - t
    rss_after_load = peak_rss_mb()
    t = time.perf_counter()
    engine.close()
    engine = Engine(config_path=config, cache_dir=cache_dir)
    reopen_s = time.perf_counter() - t
    t = time.perf_counter()
    tasks = task_bundle(engine)
    tasks_once_s = time.perf_counter() - t
    raw = engine.db._con.cursor()  # same database, none of the engine around it
    out: dict = {
        "load_s": load_s,
        "reopen_s": reopen_s,
        "tasks_once_s": tasks_once_s,
        "rss_after_load_mb": rss_after_load,
        "overview_s": {},
        "cached_s": {},
        "raw_duckdb_s": {},
        "queries": {},
        "numbers": {},
        "tasks": asdict(task_numbers(tasks)),
    }
    for name, filters in FILTER_SETS.items():
        run = partial(overview, engine, filters)
        queries = captured_queries(engine, run)
        replay(raw, queries)
        out["queries"][name] = len(queries)
        got = interleaved(
            {"overview_s": run, "cached_s": run, "raw_duckdb_s": partial(replay, raw, queries)},
            runs,
            before={"overview_s": engine.clear_cache},
        )
        for key, value in got.items():
            out[key][name] = value
        out["numbers"][name] = card_numbers(overview(engine, filters)[0])
    out["as_of"] = engine.as_of.isoformat()
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def pandas_worker(data_dir: Path, runs: int, as_of: str) -> dict:
    """Load the CSVs into pandas, then the Overview per filter set the pandas way."""
    from datetime import date

    t = time.perf_counter()
    frames = baseline_pandas.load(data_dir)
    load_s = time.perf_counter() - t
    day = date.fromisoformat(as_of)
    out: dict = {
        "pandas_load_s": load_s,
        "pandas_s": {},
        "numbers": {},
        "tasks": asdict(baseline_pandas.task_summary(frames, day)),
    }
    for name, filters in FILTER_SETS.items():
        out["pandas_s"][name] = median_time(partial(baseline_pandas.overview, frames, filters, day), runs)
        out["numbers"][name] = baseline_pandas.headline(frames, filters)
    out["pandas_peak_rss_mb"] = peak_rss_mb()
    return out


def main(argv: list[str] | None = None) -> int:
    """Run one worker and print its JSON."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="worker", required=True)
    e = sub.add_parser("engine")
    e.add_argument("data_dir", type=Path)
    e.add_argument("cache_dir", type=Path)
    e.add_argument("--runs", type=int, default=7)
    p = sub.add_parser("pandas")
    p.add_argument("data_dir", type=Path)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--as-of", required=True, help="the engine's as-of date, for the task summary")
    args = ap.parse_args(argv)
    if args.worker == "engine":
        result = engine_worker(args.data_dir, args.cache_dir, args.runs)
    else:
        result = pandas_worker(args.data_dir, args.runs, args.as_of)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

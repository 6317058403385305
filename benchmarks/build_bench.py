"""The build itself, measured: a cold DuckDB build, a one-month append, and (with --spark) the Spark build.

    python -m benchmarks.build_bench --sizes 1e6,1e7            # DuckDB cold build and append
    python -m benchmarks.build_bench --sizes 1e7 --spark        # and the Spark build, compared table by table
    python -m benchmarks.build_bench --sizes 1e7 --data-root /scratch/bench   # data and caches elsewhere

Each measurement runs in its own process (peak RSS is its own; the Spark JVM is a child, reported apart).
Writes benchmarks/build-results.md and .json unless --no-write. Load averages are printed with every figure:
other work on a 2-core machine moves them a lot.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .generate import DATA_ROOT, EVENT_DATASETS, generate, label, parse_rows
from .report import machine
from .run import worker

if TYPE_CHECKING:
    from metrics.config import Config
    from metrics.warehouse import Paths

HERE = Path(__file__).resolve().parent
NEW_MONTH = "2023-09"


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory in MB (of this process, or of its finished children)."""
    return resource.getrusage(who).ru_maxrss / 1024


def children_peak_mb() -> float:
    """The largest peak resident memory (VmHWM) among this process's running children: the Spark JVM."""
    best = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            if ppid != os.getpid():
                continue
            for line in (stat.parent / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    best = max(best, int(line.split()[1]) / 1024)
        except (OSError, ValueError, IndexError):
            continue
    return best


def cpu_s() -> float:
    """CPU seconds (user + system) this process has used so far, all its threads together."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def load() -> float:
    """The 1-minute load average."""
    return round(os.getloadavg()[0], 2)


def _paths(data: Path, cache: Path) -> tuple[Config, Paths]:
    from metrics.config import load_config
    from metrics.warehouse import resolve_paths

    cfg = load_config(data / "config.yaml")
    return cfg, resolve_paths(cfg, data / "config.yaml", cache_dir=cache)


def duckdb_worker(data: Path, cache: Path) -> dict:
    """A cold build on DuckDB (what Engine() does with an empty cache)."""
    from metrics.warehouse import database_path, ensure_database

    cfg, paths = _paths(data, cache)
    before = load()
    t = time.perf_counter()
    cpu0 = cpu_s()
    ensure_database(cfg, paths)
    # CPU seconds move much less than wall time when other work shares the cores: cpu_s / 2 is the wall time
    # a quiet 2-core machine would need if both cores were kept busy. process_cpu_s adds the imports.
    out = {
        "build_s": time.perf_counter() - t,
        "cpu_s": cpu_s() - cpu0,
        "process_cpu_s": cpu_s(),
        "peak_rss_mb": peak_mb(),
        "load": [before, load()],
    }
    out["database_mb"] = database_path(cfg, paths).stat().st_size / 2**20
    out["database"] = str(database_path(cfg, paths))
    return out


def new_month_rows(path: Path, share: float, id_column: str) -> bytes:
    """About share of the file's rows again, as next month's events with fresh ids (CSV text, no header)."""
    n = sum(1 for _ in path.open("rb")) - 1
    rows = pd.read_csv(path, dtype=str, keep_default_na=False, nrows=max(1, int(n * share)))
    rows["month"] = NEW_MONTH
    rows[id_column] = "N" + rows[id_column].str[1:]
    return rows.to_csv(index=False, header=False, lineterminator="\n").encode()


def append_worker(data: Path, cache: Path, work: Path) -> dict:
    """Append one month to a copy of the data (the cold build of the same bytes is in cache), open it again."""
    from metrics import Engine

    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(data, work)
    added = {}
    for name, (id_column, _) in EVENT_DATASETS.items():
        f = work / f"{name}.csv"
        extra = new_month_rows(f, 1 / 32, id_column)
        added[name] = extra.count(b"\n")
        with f.open("ab") as fh:
            fh.write(extra)
    before = load()
    t = time.perf_counter()
    cpu0 = cpu_s()
    engine = Engine(work / "config.yaml", cache_dir=cache)
    seconds, cpu = time.perf_counter() - t, cpu_s() - cpu0
    meta = json.loads(engine.db.rows("select meta from _meta")[0][0])
    return {
        "append_s": seconds,
        "cpu_s": cpu,
        "appended_rows": added,
        "incremental": meta.get("appended"),
        "peak_rss_mb": peak_mb(),
        "load": [before, load()],
        "database": str(engine.database),
    }


def full_worker(work: Path, cache: Path) -> dict:
    """A full build of the appended copy, for the time an append saves and to compare the two."""
    from metrics.warehouse import build_database, database_path

    cfg, paths = _paths(work, cache)
    target = database_path(cfg, paths)
    before = load()
    t = time.perf_counter()
    cpu0 = cpu_s()
    build_database(cfg, paths, target)
    return {
        "build_s": time.perf_counter() - t,
        "cpu_s": cpu_s() - cpu0,
        "load": [before, load()],
        "database": str(target),
    }


def spark_worker(data: Path, cache: Path, master: str) -> dict:
    """The Spark build: session start, the build's steps, and the JVM's peak memory."""
    from metrics.build.on_spark import build_on_spark
    from metrics.build.spark import session
    from metrics.warehouse import database_path

    cfg, paths = _paths(data, cache)
    before = load()
    t = time.perf_counter()
    spark = session(master)
    start_s = time.perf_counter() - t
    target = database_path(cfg, paths).with_name("spark.duckdb")
    t = time.perf_counter()
    result = build_on_spark(cfg, str(paths.data_dir), spark, cache / "parquet", target)
    build_s = time.perf_counter() - t
    jvm = children_peak_mb()
    spark.stop()
    return {
        "session_start_s": start_s,
        "build_s": build_s,
        "steps": result.seconds,
        "load": [before, load()],
        "python_rss_mb": peak_mb(),
        "jvm_rss_mb": jvm,
        "database": str(target),
    }


def compare_worker(config: Path, first: Path, second: Path) -> dict:
    """Every rollup table of two builds compared."""
    from metrics.build.verify import compare, summary
    from metrics.config import load_config

    diffs = compare(load_config(config), first, second)
    return {"identical": sum(d.identical for d in diffs), "tables": len(diffs), "summary": summary(diffs)}


def measure(rows: int, spark: bool, master: str, append: bool, root: Path = DATA_ROOT) -> dict:
    """Every build measurement at one size, with the data and caches under root."""
    data = generate(rows, root / label(rows))
    cache = root / f"build-cache-{label(rows)}"
    shutil.rmtree(cache, ignore_errors=True)
    out: dict = {"rows": rows}
    print(f"[{label(rows)}] duckdb cold build ...", flush=True)
    out["duckdb"] = worker(["benchmarks.build_bench", "duckdb", str(data), str(cache)])
    if append:
        work = root / f"append-{label(rows)}"
        print(f"[{label(rows)}] append a month ...", flush=True)
        out["append"] = worker(["benchmarks.build_bench", "append", str(data), str(cache), str(work)])
        print(f"[{label(rows)}] full build of the appended data ...", flush=True)
        full = worker(["benchmarks.build_bench", "full", str(work), str(cache / "full")])
        out["append_full"] = full
        out["append_compare"] = worker(
            [
                "benchmarks.build_bench",
                "compare",
                str(work / "config.yaml"),
                out["append"]["database"],
                full["database"],
            ]
        )
        shutil.rmtree(work, ignore_errors=True)
    if spark:
        print(f"[{label(rows)}] spark build ({master}) ...", flush=True)
        out["spark"] = worker(["benchmarks.build_bench", "spark", str(data), str(cache / "spark"), master])
        duck_db = out["duckdb"]["database"]
        out["spark_compare"] = worker(
            ["benchmarks.build_bench", "compare", str(data / "config.yaml"), out["spark"]["database"], str(duck_db)]
        )
    shutil.rmtree(cache, ignore_errors=True)
    return out


def markdown(results: list[dict], command: str) -> str:
    """The results as a Markdown page."""
    lines = (
        [
            "# Build benchmark",
            "",
            (
                f"Written by `{command}` (benchmarks/build_bench.py); load average = the "
                "1-minute load before/after each step (2 cores: above 2 means other work was competing)."
            ),
            "",
            "## Machine",
            "",
        ]
        + [f"- {k}: {v}" for k, v in machine().items()]
        + [
            "",
            "## DuckDB build",
            "",
            (
                "| rows | cold build s | CPU s | peak RSS MB | database MB | load | append a month s | CPU s | "
                "rows appended | updated | full build of the same s | CPU s | append = full build | load (append) |"
            ),
            "|---:|---:|---:|---:|---:|---|---:|---:|---:|---|---:|---:|---|---|",
        ]
    )
    for r in results:
        d, a, f, c = r["duckdb"], r.get("append"), r.get("append_full"), r.get("append_compare")
        lines.append(
            f"| {r['rows']:,} | {d['build_s']:.1f} | {d.get('cpu_s', 0):.1f} | {d['peak_rss_mb']:,.0f} | "
            f"{d['database_mb']:.0f} | "
            f"{d['load'][0]}/{d['load'][1]} | "
            + (
                f"{a['append_s']:.1f} | {a.get('cpu_s', 0):.1f} | {sum(a['appended_rows'].values()):,} | "
                f"{', '.join(a['incremental'] or ['no: built anew'])} | {f['build_s']:.1f} | {f.get('cpu_s', 0):.1f} | "
                f"{c['identical']}/{c['tables']} tables | {a['load'][0]}/{a['load'][1]} |"
                if a is not None and f is not None and c is not None  # measured together
                else "— | — | — | — | — | — | — | — |"
            )
        )
    sparks = [r for r in results if "spark" in r]
    if sparks:
        lines += [
            "",
            "## Spark build",
            "",
            (
                "| rows | session start s | build s | check and load s | rollups and "
                "Parquet s | load into DuckDB s | JVM peak RSS MB | python RSS MB | = DuckDB's | load |"
            ),
            "|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
        ]
        for r in sparks:
            s, c = r["spark"], r["spark_compare"]
            st = s["steps"]
            lines.append(
                f"| {r['rows']:,} | {s['session_start_s']:.1f} | {s['build_s']:.1f} | "
                f"{st['check_and_load']:.1f} | {st['rollups_and_parquet']:.1f} | "
                f"{st['load_serving_duckdb']:.1f} | {s['jvm_rss_mb']:,.0f} | {s['python_rss_mb']:,.0f} | "
                f"{c['identical']}/{c['tables']} tables | {s['load'][0]}/{s['load'][1]} |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Either run one worker (its JSON on the last line) or the whole benchmark."""
    args = list(sys.argv[1:] if argv is None else argv)
    workers: dict[str, Callable[..., dict]] = {
        "duckdb": duckdb_worker,
        "append": append_worker,
        "full": full_worker,
        "spark": spark_worker,
        "compare": compare_worker,
    }
    if args and args[0] in workers:
        kind, rest = args[0], args[1:]
        typed = [Path(x) if "/" in x else x for x in rest]
        print(json.dumps(workers[kind](*typed)))
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1e6,1e7")
    ap.add_argument("--spark", action="store_true", help="also build on Spark and compare with DuckDB's build")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--no-append", action="store_true", help="skip the one-month append")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--data-root", type=Path, default=DATA_ROOT, help="where the data and caches go")
    ap.add_argument("--out", default="build-results", help="file stem for the .md/.json written in benchmarks/")
    ns = ap.parse_args(args)
    sizes = ns.sizes.split(",")
    results = [measure(parse_rows(s), ns.spark, ns.master, not ns.no_append, ns.data_root) for s in sizes]
    text = markdown(results, "python -m benchmarks.build_bench " + " ".join(args))
    print(text)
    if not ns.no_write:
        (HERE / f"{ns.out}.md").write_text(text, encoding="utf-8")
        (HERE / f"{ns.out}.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

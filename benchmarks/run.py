"""Run the whole benchmark: for each size, generate the data, then measure (a)-(f) in fresh processes.

    python -m benchmarks.run                       # 1e5, 1e6, 1e7 (make bench)
    python -m benchmarks.run --sizes 1e5 --quick   # the smoke run, well under a minute

Prints the table and writes benchmarks/results.md and benchmarks/results.json (unless --no-write).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from . import report
from .check import mismatches
from .generate import DATA_ROOT, generate, label, parse_rows

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
PY = sys.executable


def worker(args: list[str], env: dict[str, str] | None = None, timeout: float = 3600) -> dict:
    """Run python -m benchmarks.<args> in a fresh process and parse the JSON on its last line."""
    proc = subprocess.run(
        [PY, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})}
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def load_average() -> str:
    """The 1-minute load average, to show how busy the machine was."""
    return f"{os.getloadavg()[0]:.2f}"


def measure_size(rows: int, runs: int, pandas_runs: int, app: bool, pandas_max: int = 10**7) -> dict:
    """Everything for one size; raises if the pandas baseline disagrees with the engine."""
    data = generate(rows)
    cache = DATA_ROOT / f"cache-{label(rows)}"
    shutil.rmtree(cache, ignore_errors=True)  # (a) is a cold load: no database built yet
    print(f"[{label(rows)}] engine ...", flush=True)
    eng = worker(["benchmarks.measure", "engine", str(data), str(cache), "--runs", str(runs)])
    pds = None
    if rows <= pandas_max:  # pandas holds every row in memory: about 2 GB at 1e7, beyond the machine at 1e8
        print(f"[{label(rows)}] pandas ...", flush=True)
        pds = worker(["benchmarks.measure", "pandas", str(data), "--runs", str(pandas_runs), "--as-of", eng["as_of"]])
        problems = mismatches(eng, pds)
        if problems:
            raise SystemExit(f"pandas and the engine disagree at {rows:,} rows:\n" + "\n".join(problems[:20]))
    app_result = None
    if app and (ROOT / "app.py").is_file():
        print(f"[{label(rows)}] AppTest ...", flush=True)
        env = {"CHUANYU_CONFIG": str(data / "config.yaml"), "CHUANYU_CACHE_DIR": str(cache)}
        app_result = worker(["benchmarks.apptest_bench"], env=env)
    return report.summarise(rows, eng, pds, app_result)


def main(argv: list[str] | None = None) -> int:
    """Measure every size, print the table, write the results files."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1e5,1e6,1e7", help="comma-separated row counts (1e8 if the machine allows)")
    ap.add_argument("--runs", type=int, default=25, help="timed runs per filter set for the engine")
    ap.add_argument("--pandas-runs", type=int, default=5, help="timed runs per filter set for pandas")
    ap.add_argument("--quick", action="store_true", help="fewer runs: a smoke test of the whole pipeline")
    ap.add_argument("--pandas-max", default="1e7", help="largest size the pandas baseline runs at (default 1e7)")
    ap.add_argument("--no-app", action="store_true", help="skip the AppTest measurement (e)")
    ap.add_argument("--no-write", action="store_true", help="print only; leave results.md/json alone")
    ap.add_argument("--name", default="results", help="file names to write: NAME.md and NAME.json (default results)")
    args = ap.parse_args(argv)
    if args.quick:
        args.runs, args.pandas_runs = 3, 1
    sizes = [parse_rows(s) for s in args.sizes.split(",")]
    start_load = load_average()
    results = [
        measure_size(n, args.runs, args.pandas_runs, not args.no_app, parse_rows(args.pandas_max)) for n in sizes
    ]
    command = "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:])
    text = report.markdown(results, report.machine(), command.strip(), (start_load, load_average()))
    print(report.table(results), "\n", report.targets(results), sep="\n")
    if not args.no_write:
        (HERE / f"{args.name}.md").write_text(text, encoding="utf-8")
        (HERE / f"{args.name}.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {HERE / args.name}.md and .json")
    return 0


if __name__ == "__main__":
    sys.exit(main())

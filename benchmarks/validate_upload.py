"""What validating a 15 MB upload costs, and where: in the calling process (as the admin page did) or in a worker.

    .venv/bin/python -m benchmarks.validate_upload [--rows 330000] [--runs 2]

Makes an upsert file for job_postings like the one of issue 11 (330,000 new rows, about 15.5 MB, seeded), validates
it against a copy of the shipped data (a dry run: nothing is written) and prints a table: wall time, CPU time and
peak RSS of the process that validates, and how much the calling process grows when a worker does the work.
Each measurement runs in a fresh interpreter, so imports and caches of one do not help the next.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "data" / "upload"

IN_PROCESS = """
    import json, resource, sys, time
    from pathlib import Path
    from metrics.ingest import ingest_upload
    data = Path(sys.argv[1]).read_bytes()
    base = resource.getrusage(resource.RUSAGE_SELF)
    t = time.perf_counter()
    r = ingest_upload(data, "upload.csv", "job_postings", "bench", mode="upsert", dry_run=True, data_dir=sys.argv[2])
    wall = time.perf_counter() - t
    use = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"ok": r.ok, "wall": wall, "cpu": use.ru_utime + use.ru_stime - base.ru_utime - base.ru_stime,
                      "peak_mb": use.ru_maxrss / 1024}))
"""

IN_WORKER = """
    import json, resource, sys, time
    from pathlib import Path
    from metrics.ingest.worker import ingest_in_worker
    data = Path(sys.argv[1]).read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    r = ingest_in_worker(data, "upload.csv", "job_postings", "bench", mode="upsert", dry_run=True,
                         data_dir=sys.argv[2])
    wall = time.perf_counter() - t
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"ok": r.ok, "wall": wall, "cpu": child.ru_utime + child.ru_stime,
                      "peak_mb": child.ru_maxrss / 1024,
                      "caller_growth_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before}))
"""


def make_upload(rows: int, path: Path) -> Path:
    """A seeded upsert file of new enterprises, in the shipped job_postings' cities, industries and months."""
    if path.is_file():
        return path
    with (ROOT / "data" / "job_postings.csv").open(encoding="utf-8") as fh:
        shipped = list(csv.reader(fh))[1:]
    rng = random.Random(7)
    places = sorted({(r[2], r[3]) for r in shipped})
    industries = sorted({r[4] for r in shipped})
    months = sorted({r[1] for r in shipped})
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["enterprise_id", "month", "province", "city_id", "industry", "positions"])
        for i in range(rows):
            province, city = rng.choice(places)
            w.writerow(
                [
                    f"X{i // len(months):06d}",
                    months[i % len(months)],
                    province,
                    city,
                    rng.choice(industries),
                    rng.randint(1, 300),
                ]
            )
    return path


def measure(snippet: str, upload: Path, data_dir: Path) -> dict[str, float]:
    """One measurement in a fresh interpreter."""
    r = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(snippet), str(upload), str(data_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if r.returncode != 0:
        raise SystemExit(r.stderr)
    out: dict[str, float] = json.loads(r.stdout.strip().splitlines()[-1])
    if not out.pop("ok"):
        raise SystemExit("the upload did not validate")
    return out


def main() -> None:
    """Measure and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=330_000)
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args()
    upload = make_upload(args.rows, OUT / f"job_postings_{args.rows}.csv")
    print(f"upload: {upload.stat().st_size / 1e6:.1f} MB, {args.rows:,} rows, upsert into job_postings (dry run)\n")
    print("| where | run | wall s | CPU s | peak RSS of the validating process MB | caller grows MB |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        shutil.copytree(ROOT / "data", data_dir)
        for label, snippet in [("in the calling process", IN_PROCESS), ("worker process", IN_WORKER)]:
            for run in range(1, args.runs + 1):
                m = measure(snippet, upload, data_dir)
                growth = m.get("caller_growth_mb")
                grown = f"{growth:.0f}" if growth is not None else f"{m['peak_mb']:.0f} (it is the caller)"
                print(
                    f"| {label} | {run} | {m['wall']:.1f} | {m['cpu']:.1f} | {m['peak_mb']:.0f} | {grown} |", flush=True
                )


if __name__ == "__main__":
    main()

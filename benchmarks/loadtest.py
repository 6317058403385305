"""Many officials at once: bursts of 20 and 50 sessions start a page at the same moment, timed server-side.

    python -m benchmarks.loadtest                                  # bursts of 20 and 50 on its own server
    python -m benchmarks.loadtest --bursts 20,50 --validation      # also 20 viewers during a 15 MB validation
    python -m benchmarks.loadtest --rounds 4 --sessions 20         # the four rounds of issue 8 instead
    python -m benchmarks.loadtest --config benchmarks/data/1e7/config.yaml
    python -m benchmarks.loadtest --browser                        # real Chromium pages instead of websockets

The server is benchmarks/serve.py (the app as `streamlit run` runs it, plus a log of every script run), so
the times are the server's: from the rerun request to the end of the run. The clients speak Streamlit's own
websocket protocol, as the browser does, which keeps 20 clients light on a 2-core machine; --browser drives
real headless Chromium pages instead. In a burst, pages, languages and provinces are mixed and every second
session asks for a period nobody opened before (seeded, new for every burst). Writes benchmarks/loadtest.md
and benchmarks/loadtest.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from ui.wsclient import open_page

from .report import machine

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
PAGES = ["", "tasks", "employment", "social_security", "talent", "public_services", "definitions"]
QUERIES = [
    "lang=zh",
    "lang=en",
    "lang=zh&province=sichuan",
    "lang=en&province=chongqing",
    "lang=zh&from=2023-01&to=2023-08",
]
TARGET_P95_S = 2.0
# Issue 14: a meeting of fifty opens a shared link at once; twenty must feel instant.
Runner = Callable[[str, list[tuple[str, str]], float], Coroutine[Any, Any, list[dict]]]
BURST_TARGETS_S = {20: 1.0, 50: 2.0}
BURSTS_TEXT = """Each burst is new sessions on the same server (warmed at start: GET /api/ready), all asking for
their page at the same moment: pages, languages and provinces mixed, and every second session asks for a
period nobody has opened before (random months, seeded, different in every burst), so half the numbers and
charts are computed while they wait. Bursts are a few seconds apart, the 20 before the 50. The validation
rounds (--validation, issue 11): three bursts of 20 back to back as a control, then three more while an
admin's 15.5 MB upsert file for job_postings is validated (a dry run) in the ingest worker process, exactly as
the data admin page starts it (metrics.ingest.worker), on a copy of the data."""
ROUNDS_TOGETHER = """Round 1 is a freshly started server once its warm-up has finished (GET /api/ready; the
warm-up opens every data page in both languages, for both provinces together and each alone); round 2 is 20 new sessions
on the same server with other pages and filters; round 3 repeats round 1's pages and filters with new
sessions, so every result and figure the app caches is already there; round 4 asks each session for a
period nobody has opened (random months, seeded), so every number and chart is computed while they wait."""
ROUNDS_ONE_BY_ONE = """Sessions one after another (--one-by-one): each page's own cost with nothing competing for the
GIL; 20 simultaneous sessions cost roughly the sum. Rounds 2 and 3 run on a warm server."""
ROUND_NAMES = [
    "1: fresh server, after its warm-up",
    "2: other pages and filters",
    "3: round 1 again (all cached)",
    "4: periods nobody opened (nothing cached)",
]
MONTHS = [f"{y}-{m:02d}" for y in (2021, 2022, 2023) for m in range(1, 13) if (y, m) <= (2023, 8)]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def plan(sessions: int, round_no: int) -> list[tuple[str, str]]:
    """(page, query string) per session: pages and languages mixed; round 2 shifts them, round 3 repeats 1,
    round 4 gives every session its own random period (seeded, so runs are comparable)."""
    if round_no % 4 == 3:
        rng = random.Random(20230829 + round_no)
        out = []
        for i in range(sessions):
            a, b = sorted(rng.sample(range(len(MONTHS)), 2))
            province = rng.choice(["", "&province=sichuan", "&province=chongqing"])
            out.append(
                (PAGES[i % len(PAGES)], f"lang={rng.choice(['zh', 'en'])}&from={MONTHS[a]}&to={MONTHS[b]}{province}")
            )
        return out
    shift = round_no % 2
    return [(PAGES[(i + shift) % len(PAGES)], QUERIES[(i * 3 + shift) % len(QUERIES)]) for i in range(sessions)]


def burst_plan(sessions: int, burst_no: int) -> list[tuple[str, str]]:
    """(page, query string) per session of a burst: pages, languages, provinces mixed; odd sessions a new period."""
    rng = random.Random(14_000 + burst_no)  # seeded: runs are comparable; another seed per burst: new periods
    out = []
    for i in range(sessions):
        page = PAGES[(i + burst_no) % len(PAGES)]
        if i % 2 == 0:
            out.append((page, QUERIES[(i // 2 + burst_no) % len(QUERIES)]))
            continue
        a, b = sorted(rng.sample(range(len(MONTHS)), 2))
        province = ["", "&province=sichuan", "&province=chongqing"][(i // 2) % 3]
        out.append((page, f"lang={['zh', 'en'][(i // 2 + burst_no) % 2]}&from={MONTHS[a]}&to={MONTHS[b]}{province}"))
    return out


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


# -- the server ------------------------------------------------------------------------------------
def start_server(
    port: int, runlog: Path, env: dict[str, str], extra: list[str], limit_s: float = 600.0
) -> tuple[subprocess.Popen, dict]:
    """The instrumented app on 127.0.0.1:port, once GET /api/ready says its warm-up is done; and its report."""
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.serve",
        "--runlog",
        str(runlog),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        *extra,
    ]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.time() + limit_s
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited with code {proc.returncode} (is port {port} taken?)")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/ready", timeout=2) as r:
                report = json.loads(r.read())
            # The static files' best compression is made once per Streamlit version (webserver.static) and
            # takes a core for a minute: measured visitors should not share the machine with that one-off.
            if not report.get("static") or report["static"].get("finished"):
                return proc, report
        except OSError:  # not listening yet, or 503 while it warms up
            pass
        time.sleep(0.5)
    proc.terminate()
    raise RuntimeError(f"the app was not ready within {limit_s:.0f} s")


def free_port() -> int:
    """A port nobody listens on, so the health check can only reach our own server."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes have used so far (/proc/<pid>/stat; 0 where unreadable)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime (fields 14 and 15 of stat)
    return total


def peak_rss_mb(pid: int) -> float | None:
    """A process's peak resident memory (VmHWM), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


# -- websocket sessions (ui.wsclient.open_page) ------------------------------------------------------
async def one_by_one(url: str, sessions: list[tuple[str, str]], timeout: float) -> list[dict]:
    """The same sessions one after another: each page's own cost, with nothing competing for the GIL."""
    return [await open_page(url, p, q, timeout=timeout) for p, q in sessions]


async def ws_round(url: str, sessions: list[tuple[str, str]], timeout: float) -> list[dict]:
    """All sessions connect, then start their pages at the same moment."""
    go = asyncio.Event()
    tasks = [asyncio.create_task(open_page(url, p, q, timeout=timeout, go=go)) for p, q in sessions]
    await asyncio.sleep(1.0)  # every websocket is open before anyone asks for a page
    go.set()
    return await asyncio.gather(*tasks)


# -- browser sessions ------------------------------------------------------------------------------
async def browser_round(url: str, sessions: list[tuple[str, str]], timeout: float) -> list[dict]:
    """Real Chromium pages opened at the same moment; the server log gives the timings."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        pages = [await (await browser.new_context()).new_page() for _ in sessions]

        async def visit(page, target: tuple[str, str]) -> dict:
            p, q = target
            out: dict[str, object] = {"page": p, "query": q, "session": None, "error": None, "status": None}
            t = time.perf_counter()
            try:
                await page.goto(f"{url.rstrip('/')}/{p}?{q}", timeout=timeout * 1000)
                await page.wait_for_selector('[data-testid="stMain"]', timeout=timeout * 1000)
                await page.wait_for_function(
                    "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout * 1000
                )
                if await page.locator('[data-testid="stException"]').count():
                    out["error"] = "exception shown on the page"
                out["status"] = "FINISHED_SUCCESSFULLY"
                out["client_s"] = time.perf_counter() - t
            except Exception as e:
                out["error"] = f"{type(e).__name__}: {e}"
            return out

        results = await asyncio.gather(*(visit(pg, s) for pg, s in zip(pages, sessions, strict=True)))
        await browser.close()
        return list(results)


# -- the report ------------------------------------------------------------------------------------
def read_runs(runlog: Path, since: float) -> list[dict]:
    """Server-side records of script runs requested after since."""
    if not runlog.is_file():
        return []
    runs = [json.loads(line) for line in runlog.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in runs if r["requested"] >= since]


def summarise(name: str, clients: list[dict], runs: list[dict], target_s: float = TARGET_P95_S) -> dict:
    """p50, p95 and max of the server-side run times, plus every error seen on either side."""
    sessions = {c["session"] for c in clients if c.get("session")}
    mine = [r for r in runs if not sessions or r["session"] in sessions]
    finished = [r for r in mine if not r["rerun"]]
    seconds = [r["seconds"] for r in finished]
    errors = [f"{c['page'] or 'overview'}?{c['query']}: {c['error']}" for c in clients if c.get("error")]
    errors += [
        f"{c['page'] or 'overview'}?{c['query']}: {c['status']}"
        for c in clients
        if not c.get("error") and c.get("status") != "FINISHED_SUCCESSFULLY"
    ]
    errors += [f"server run {r['page'] or 'overview'}?{r['query']}: {r['error']}" for r in mine if r.get("error")]
    client_s = [c["client_s"] for c in clients if "client_s" in c]
    p95 = percentile(seconds, 0.95) if seconds else None
    by_page: dict[str, list[float]] = {}
    for r in finished:
        by_page.setdefault(r["page"] or "overview", []).append(round(r["seconds"], 3))
    return {
        "round": name,
        "sessions": len(clients),
        "runs": len(finished),
        "errors": errors,
        "p50_s": statistics.median(seconds) if seconds else None,
        "p95_s": p95,
        "max_s": max(seconds) if seconds else None,
        "client_p95_s": percentile(client_s, 0.95) if client_s else None,
        "by_page": by_page,
        "target_s": target_s,
        "load": uptime_load(),
        "met": not errors and len(finished) >= len(clients) and p95 is not None and p95 <= target_s,
    }


def uptime_load() -> str:
    """The 1-, 5- and 15-minute load averages, as `uptime` prints them: other work slows every session."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _row(r: dict) -> str:
    """One round as a table row."""
    target = f"≤ {r.get('target_s', TARGET_P95_S):g} s"
    if r["p50_s"] is None:
        cells = f"| {r['round']} | {r['sessions']} | 0 | {len(r['errors'])} | — | — | — | — | {target} MISSED"
        return f"{cells} | {_cpu(r)} | {r.get('load', '')} |"
    return (
        f"| {r['round']} | {r['sessions']} | {r['runs']} | {len(r['errors'])} | {r['p50_s']:.2f} | "
        f"{r['p95_s']:.2f} | {r['max_s']:.2f} | {r['client_p95_s']:.2f} | {target} {'met' if r['met'] else 'MISSED'} "
        f"| {_cpu(r)} | {r.get('load', '')} |"
    )


def _cpu(r: dict) -> str:
    return "—" if r.get("server_cpu_s") is None else f"{r['server_cpu_s']:.1f}"


def markdown(
    rounds: list[dict],
    info: dict,
    command: str,
    data: str,
    rss: float | None,
    load: tuple[str, str],
    one_by_one: bool = False,
    warm: dict | None = None,
    bursts: bool = False,
    servers: int = 1,
) -> str:
    """The whole loadtest.md."""
    spec = "\n".join(f"- {k}: {v}" for k, v in info.items())
    rows = "\n".join(_row(r) for r in rounds)
    pages = "\n".join(
        f"- {r['round']}: " + "; ".join(f"{p} {sorted(v)}" for p, v in sorted(r["by_page"].items())) for r in rounds
    )
    errors = "\n".join(f"- {r['round']}: {e}" for r in rounds for e in r["errors"][:20]) or "none"
    return f"""# Load test: sessions opening pages at the same moment

Written by `{command}` (benchmarks/loadtest.py); every number comes from that run.
Data: {data}. Server peak RSS: {f"{rss:,.0f} MB" if rss else "not measured (external server)"}.
Warm-up at server start: {_warm_line(warm)}.

## Machine

{spec}
- load average at start / end: {load[0]} / {load[1]} (other work on the machine slows every session)

## Results

Server-side seconds from each session's rerun request to the end of its script run (benchmarks/serve.py).
{ROUNDS_ONE_BY_ONE if one_by_one else BURSTS_TEXT if bursts else ROUNDS_TOGETHER}
Server processes: {servers}{" (behind nginx, sticky by cookie: webserver/cluster.py)" if servers > 1 else ONE_PROCESS}.
Target: no error and the p95 in the target column. Server CPU s is the CPU time the server processes used
during the round (/proc/<pid>/stat): it depends far less than the seconds on other work on the machine
(though it grows with load too: shared caches and cores). Load
is the machine's 1/5/15-minute load average (`uptime`) when the round ended: on 2 cores, anything above 2
means sessions also waited for other programs.

| round | sessions | runs | errors | p50 s | p95 s | max s | client p95 s | target | server CPU s | load |
|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|
{rows}

Per page (server seconds):

{pages}

Errors:

{errors}
"""


ONE_PROCESS = (
    "; a meeting of fifty is served by two (`make run-cluster`, docs/scaling.md), measured by"
    " `make loadtest SERVERS=2` (the last such run: benchmarks/loadtest-2proc.md)"
)


def _warm_line(warm: dict | None) -> str:
    if not warm:
        return "not measured (external server)"
    if not warm.get("enabled"):
        return "off (CHUANYU_WARMUP=0)"
    return f"{warm['runs']} page runs in {warm['seconds']} s, {len(warm['errors'])} errors, before round 1"


def main(argv: list[str] | None = None) -> int:
    """Start (or use) a server, run the bursts (or rounds), print and write the results."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", help="a running instrumented server (benchmarks.serve) instead of starting one")
    ap.add_argument("--runlog", type=Path, action="append", help="its run log (with --url; repeat per process)")
    ap.add_argument("--config", type=Path, help="$CHUANYU_CONFIG for the server it starts (default: the sample)")
    ap.add_argument("--bursts", default="20,50", help="sessions per burst, comma-separated (default 20,50)")
    ap.add_argument("--rounds", type=int, help="the four rounds of issue 8 instead of bursts (with --sessions)")
    ap.add_argument("--sessions", type=int, default=20, help="sessions per round (with --rounds)")
    ap.add_argument(
        "--validation",
        action="store_true",
        help="then 20-session bursts while an admin's 15 MB upload is validated in a worker (issue 11)",
    )
    ap.add_argument(
        "--validation-nice",
        type=int,
        default=0,
        metavar="N",
        help="then the validation round again with the worker at niceness N (a proposal, not what ships)",
    )
    ap.add_argument("--servers", type=int, default=1, help="server processes behind the sticky balancer")
    ap.add_argument("--port", type=int, help="port for the server it starts (default: a free one)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds a session may take before it fails")
    ap.add_argument("--browser", action="store_true", help="drive real headless Chromium pages")
    ap.add_argument(
        "--one-by-one",
        action="store_true",
        help="the same sessions sequentially: each page's own cost, the budget behind the p95",
    )
    ap.add_argument(
        "--streamlit-option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra option for the server it starts, e.g. server.fileWatcherType=none (repeatable)",
    )
    ap.add_argument(
        "--no-warmup",
        action="store_true",
        help="start the server with CHUANYU_WARMUP=0: round 1 then meets a cold server",
    )
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--out", default="loadtest", help="file stem for the .md/.json written in benchmarks/")
    args = ap.parse_args(argv)
    env = {}
    if args.config:
        # Generated data gets the cache dir the benchmark uses, away from the project's own .cache/.
        config = args.config.resolve()
        cache = config.parent.parent / f"cache-{config.parent.name}"
        env = {"CHUANYU_CONFIG": str(config), "CHUANYU_CACHE_DIR": str(cache)}
    if args.no_warmup:
        env["CHUANYU_WARMUP"] = "0"
    procs: list[subprocess.Popen] = []
    runlogs: list[Path] = list(args.runlog or [])
    warm = None
    args.port = args.port or free_port()
    balancer = None
    if args.url is None:
        # The database is built once when the data changes, not while officials wait: build it first.
        from metrics import Engine

        Engine(config_path=args.config, cache_dir=env.get("CHUANYU_CACHE_DIR")).close()
        extra = [a for o in args.streamlit_option for a in (f"--{o.split('=', 1)[0]}", o.split("=", 1)[1])]
        ports = [args.port] if args.servers == 1 else [args.port + 1 + i for i in range(args.servers)]
        for port in ports:
            runlogs.append(Path(tempfile.mkdtemp(prefix="loadtest-")) / "runs.jsonl")
            proc, warm = start_server(port, runlogs[-1], env, extra)
            procs.append(proc)
            print(json.dumps({"warm_up": warm, "port": port}), flush=True)
        if args.servers > 1:
            from webserver.cluster import start_nginx

            balancer = start_nginx(args.port, ports)
    url = args.url or f"http://127.0.0.1:{args.port}"
    pids = [p.pid for p in procs]
    bursts = [] if args.rounds else [int(n) for n in args.bursts.split(",") if n.strip()]
    rounds: list[dict] = []
    rss: float | None = None
    start_load = f"{os.getloadavg()[0]:.2f}"
    run = browser_round if args.browser else one_by_one if args.one_by_one else ws_round
    try:
        for n in range(args.rounds or 0):
            name = ROUND_NAMES[n] if procs and n < len(ROUND_NAMES) else f"{n + 1}: new sessions, same server"
            if n == 0 and args.no_warmup:
                name = "1: fresh server, no warm-up"
            if args.one_by_one:
                name = f"{n + 1}: one session at a time"
            rounds.append(_measure(name, run, url, plan(args.sessions, n), args.timeout, runlogs, pids=pids))
        for n, size in enumerate(bursts):
            name = f"burst {n + 1}: {size} at once"
            target = BURST_TARGETS_S.get(size, TARGET_P95_S)
            rounds.append(_measure(name, run, url, burst_plan(size, n), args.timeout, runlogs, target, pids))
            time.sleep(3.0)  # the next burst meets a quiet server
        if args.validation:
            # The same three back-to-back bursts without a validation first: the control to compare with.
            rounds.append(_back_to_back(run, url, args.timeout, runlogs, len(bursts), pids))
            time.sleep(3.0)
            rounds.append(_during_validation(run, url, args.timeout, runlogs, len(bursts) + 3, pids))
        if args.validation_nice:
            time.sleep(3.0)
            rounds.append(
                _during_validation(run, url, args.timeout, runlogs, len(bursts) + 6, pids, nice=args.validation_nice)
            )
        rss = max((peak_rss_mb(p.pid) or 0.0 for p in procs), default=None) or None
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=30)
        if balancer is not None:
            balancer.terminate()
            balancer.wait(timeout=30)
    data = str(args.config) if args.config else "the shipped sample (data/)"
    if args.streamlit_option:
        data += "; server options " + ", ".join(args.streamlit_option)
    command = "python -m benchmarks.loadtest " + " ".join(argv if argv is not None else sys.argv[1:])
    text = markdown(
        rounds,
        machine(),
        command.strip(),
        data,
        rss,
        (start_load, f"{os.getloadavg()[0]:.2f}"),
        args.one_by_one,
        warm,
        bursts=bool(bursts),
        servers=args.servers,
    )
    print(text)
    if not args.no_write:
        (HERE / f"{args.out}.md").write_text(text, encoding="utf-8")
        (HERE / f"{args.out}.json").write_text(
            json.dumps(
                {
                    "data": data,
                    "servers": args.servers,
                    "server_peak_rss_mb": rss,
                    "load_average": [start_load, f"{os.getloadavg()[0]:.2f}"],
                    "warm_up": warm,
                    "rounds": rounds,
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
    return 0 if all(r["met"] for r in rounds) else 1


def _measure(
    name: str,
    run: Runner,
    url: str,
    sessions: list[tuple[str, str]],
    timeout: float,
    runlogs: list[Path],
    target_s: float = TARGET_P95_S,
    pids: list[int] | None = None,
) -> dict:
    """One round or burst: run the sessions, read the servers' logs, print and return the summary."""
    since, cpu = time.time(), cpu_seconds(pids or [])
    clients = asyncio.run(run(url, sessions, timeout))
    time.sleep(1.0)  # the last log lines
    runs = [r for log in runlogs for r in read_runs(log, since)]
    out = summarise(name, clients, runs, target_s)
    out["server_cpu_s"] = round(cpu_seconds(pids or []) - cpu, 2) if pids else None
    print(json.dumps({k: v for k, v in out.items() if k != "by_page"}), flush=True)
    return out


def _back_to_back(
    run: Runner, url: str, timeout: float, runlogs: list[Path], first_burst: int, pids: list[int], bursts: int = 3
) -> dict:
    """Bursts of 20 one after the other with nothing else running: the control for _during_validation."""
    since, cpu = time.time(), cpu_seconds(pids)
    clients: list[dict] = []
    for n in range(bursts):
        clients += asyncio.run(run(url, burst_plan(20, first_burst + n), timeout))
    time.sleep(1.0)
    runs = [r for log in runlogs for r in read_runs(log, since)]
    out = summarise(f"20 at once, {bursts}× back to back, no validation (control)", clients, runs, BURST_TARGETS_S[20])
    out["server_cpu_s"] = round(cpu_seconds(pids) - cpu, 2) if pids else None
    print(json.dumps({k: v for k, v in out.items() if k != "by_page"}), flush=True)
    return out


def _during_validation(
    run: Runner,
    url: str,
    timeout: float,
    runlogs: list[Path],
    first_burst: int,
    pids: list[int],
    bursts: int = 3,
    nice: int = 0,
) -> dict:
    """Bursts of 20 viewers while a 15 MB upload is validated the way the admin page does it (a worker process).

    The validation is started here, through metrics.ingest.worker as the admin page calls it, on a copy of the
    data (a dry run), so it competes with the server for the same two cores; the viewers' runs of every burst
    that starts while it is still running are pooled. nice > 0 runs the worker at that niceness (what a one-line
    change in metrics/ingest/worker.py would do), to show what it buys.
    """
    import shutil
    import threading

    from metrics.ingest.worker import ingest_in_worker

    from .validate_upload import OUT, make_upload

    upload = make_upload(330_000, OUT / "job_postings_330000.csv")
    done = threading.Event()
    took: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        shutil.copytree(ROOT / "data", data_dir)

        def validate() -> None:
            if nice:
                # Linux niceness is per thread and a child inherits its forking thread's: the worker runs at nice.
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
            t = time.perf_counter()
            try:
                ingest_in_worker(
                    upload.read_bytes(),
                    "upload.csv",
                    "job_postings",
                    "bench",
                    mode="upsert",
                    dry_run=True,
                    data_dir=data_dir,
                )
            finally:
                took["seconds"] = time.perf_counter() - t
                done.set()

        worker = threading.Thread(target=validate, daemon=True)
        since, cpu = time.time(), cpu_seconds(pids)
        worker.start()
        time.sleep(2.0)  # the worker has started and is reading the file
        clients: list[dict] = []
        for n in range(bursts):
            if done.is_set():
                break
            clients += asyncio.run(run(url, burst_plan(20, first_burst + n), timeout))
        worker.join()
        time.sleep(1.0)
    runs = [r for log in runlogs for r in read_runs(log, since)]
    mb = upload.stat().st_size / 1e6
    how = f"worker at nice {nice}" if nice else "worker"
    name = f"20 at once, {len(clients) // 20}× during a {mb:.1f} MB validation ({took.get('seconds', 0):.0f} s, {how})"
    out = summarise(name, clients, runs, BURST_TARGETS_S[20])
    out["server_cpu_s"] = round(cpu_seconds(pids) - cpu, 2) if pids else None
    print(json.dumps({k: v for k, v in out.items() if k != "by_page"}), flush=True)
    return out


if __name__ == "__main__":
    sys.exit(main())

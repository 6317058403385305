"""The first page on a phone over a mobile network: time to the title, to the first drawn chart, bytes on the wire.

    python -m benchmarks.firstload                # before/after, both networks, 3 runs each; writes firstload.md
    python -m benchmarks.firstload --runs 1 --no-write
    python -m benchmarks.firstload --also https://dashboard.test:8443 "after, behind nginx (HTTPS, HTTP/2)" \
        --chrome-arg=--ignore-certificate-errors --chrome-arg="--host-resolver-rules=MAP dashboard.test 127.0.0.1"

Chromium with Playwright's iPhone 13 profile (390x664, touch, DPR 3), an empty cache per run, and the network
throttled through the DevTools protocol (Network.emulateNetworkConditions): 9 Mbps down / 150 ms round trip (a
good 4G link) and 1.6 Mbps / 300 ms (a weak one). Each server is `streamlit run server.py` as deployed (warmed,
/api/ready), once with static compression off (CHUANYU_COMPRESS_STATIC=0: what Streamlit does by itself) and
once on, after its background compression has finished. --also adds a row for a server already running
elsewhere, e.g. the app behind a reverse proxy (docs/deploy.md).

Times are the page's own clock (performance.now(), from navigation start): the title is the page's <h1>, the
chart the first plotly trace drawn. Bytes are the sum of Network.loadingFinished encodedDataLength (headers and
bodies as received) once every request has finished and none started for 3 s; the websocket's frames are not in
it (nor are they throttled: Chromium's emulation applies to HTTP requests).
Target (issue 14): first chart <= 4 s and <= 2.5 MB at 9 Mbps.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from .loadtest import free_port
from .report import machine

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
CHROME_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# name -> (download Mbps, upload Mbps, round trip ms)
NETWORKS = {"9 Mbps / 150 ms": (9.0, 3.0, 150), "1.6 Mbps / 300 ms": (1.6, 0.75, 300)}
TARGET_CHART_S, TARGET_BYTES = 4.0, 2_500_000
NOTES = "<!-- notes: written by hand, kept when the table above is rewritten -->"
# Records, on the page's own clock, when the title and the first chart appear.
MARKS = """
window.__marks = {};
new MutationObserver(() => {
  if (!window.__marks.title && document.querySelector('h1')) window.__marks.title = performance.now();
  if (!window.__marks.chart && document.querySelector('.js-plotly-plot .main-svg g.trace'))
    window.__marks.chart = performance.now();
}).observe(document, {childList: true, subtree: true});
"""


@contextmanager
def server(compress: bool) -> Iterator[str]:
    """`streamlit run server.py` on a free port, warmed up and (when compressing) with every file compressed."""
    port = free_port()
    env = {**os.environ, "CHUANYU_COMPRESS_STATIC": "1" if compress else "0"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "server.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 900
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited with code {proc.returncode}")
            try:
                with urllib.request.urlopen(f"{url}/api/ready", timeout=5) as r:
                    static = json.loads(r.read())["static"]
                if static is None or static["finished"]:
                    break
            except (urllib.error.HTTPError, OSError):
                pass  # not listening yet, or still warming up
            if time.monotonic() > deadline:
                raise RuntimeError("the server was not ready within 15 minutes")
            time.sleep(1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def settled(page: Any, started: set[str], sizes: dict[str, int], quiet_s: float = 3.0, limit_s: float = 180) -> None:
    """Wait until every request has finished and none has started for quiet_s (the page is complete)."""
    deadline, last, since = time.monotonic() + limit_s, -1, time.monotonic()
    while time.monotonic() < deadline:
        page.wait_for_timeout(250)
        pending = len([r for r in started if r not in sizes])  # the websocket is not a request here
        if len(started) != last or pending:
            last, since = len(started), time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return


def load(browser: Any, device: dict, url: str, network: tuple[float, float, int]) -> dict:
    """One first visit on an empty cache: seconds to title and first chart, bytes received."""
    ctx = browser.new_context(**device, ignore_https_errors=True)
    ctx.add_init_script(MARKS)
    page = ctx.new_page()
    page.set_default_timeout(180_000)
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    down, up, rtt = network
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": rtt, "downloadThroughput": down * 1e6 / 8, "uploadThroughput": up * 1e6 / 8},
    )
    sizes: dict[str, int] = {}
    started: set[str] = set()
    cdp.on("Network.requestWillBeSent", lambda e: started.add(e["requestId"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    cdp.on("Network.loadingFailed", lambda e: sizes.__setitem__(e["requestId"], 0))
    try:
        page.goto(url + "/", wait_until="commit")
        page.wait_for_function("() => window.__marks && window.__marks.chart")
        settled(page, started, sizes)
        marks = page.evaluate("window.__marks")
        return {
            "title_s": marks["title"] / 1000,
            "chart_s": marks["chart"] / 1000,
            "bytes": sum(sizes.values()),
            "requests": len(sizes),
        }
    finally:
        ctx.close()


@contextmanager
def running(url: str) -> Iterator[str]:
    """A server someone else started."""
    yield url


def measure(runs: int, also: list[tuple[str, str]], chrome_args: list[str]) -> list[dict]:
    """Every (server, network) pair, runs times each; one row per pair with medians."""
    from playwright.sync_api import sync_playwright

    rows = []
    targets = [
        ("before: uncompressed (Streamlit alone)", lambda: server(False)),
        ("after: brotli from the app server, preload hints", lambda: server(True)),
    ]
    targets += [(label, partial(running, url)) for url, label in also]
    with sync_playwright() as p:
        device = {k: v for k, v in p.devices["iPhone 13"].items() if k != "default_browser_type"}
        browser = p.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), args=CHROME_ARGS + chrome_args
        )
        try:
            for label, start in targets:
                with start() as url:
                    load(browser, device, url, (1000.0, 1000.0, 0))  # unthrottled first visit: warms the OS cache
                    for net_name, net in NETWORKS.items():
                        results = [load(browser, device, url, net) for _ in range(runs)]
                        row = {
                            "server": label,
                            "network": net_name,
                            "runs": runs,
                            **{k: statistics.median(r[k] for r in results) for k in results[0]},
                            "all": results,
                        }
                        rows.append(row)
                        print(json.dumps({k: v for k, v in row.items() if k != "all"}), flush=True)
        finally:
            browser.close()
    return rows


def markdown(rows: list[dict], info: dict, command: str) -> str:
    """The table written to benchmarks/firstload.md."""
    lines = [
        "# First load on a phone (iPhone 13 profile, throttled network)",
        "",
        (
            f"Command: `{command}`. Machine: {info.get('cpu', '?')}, {info.get('cores', '?')} cores; "
            f"Python {info.get('python', '?')}, Streamlit {info.get('streamlit', '?')}. Medians of each row's runs; "
            "an empty browser cache every run. The page is the Overview (`/`), zh, both provinces. "
            f"Load average (1 min) at start and end: {info.get('load', '?')}."
        ),
        "",
        "| server | network | title s | first chart s | bytes on the wire | requests | target met |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        met = (
            ("yes" if r["chart_s"] <= TARGET_CHART_S and r["bytes"] <= TARGET_BYTES else "no")
            if r["network"].startswith("9 ")
            else "(no target)"
        )
        lines.append(
            f"| {r['server']} | {r['network']} | {r['title_s']:.2f} | {r['chart_s']:.2f} | "
            f"{r['bytes'] / 1e6:.2f} MB | {r['requests']:.0f} | {met} |"
        )
    lines += [
        "",
        (
            f"Target (issue 14), at 9 Mbps / 150 ms: first chart within {TARGET_CHART_S:.0f} s and at most "
            f"{TARGET_BYTES / 1e6:.1f} MB. How it is measured: the docstring of benchmarks/firstload.py."
        ),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure, print, and write benchmarks/firstload.md and .json."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="visits per server and network (median reported)")
    ap.add_argument(
        "--also",
        nargs=2,
        action="append",
        default=[],
        metavar=("URL", "LABEL"),
        help="also measure a server already running at URL (e.g. behind a proxy), as row LABEL",
    )
    ap.add_argument("--chrome-arg", action="append", default=[], help="extra Chromium flag (repeatable)")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    load_before = f"{os.getloadavg()[0]:.1f}"
    rows = measure(args.runs, [tuple(a) for a in args.also], args.chrome_arg)
    command = "python -m benchmarks.firstload " + " ".join(argv if argv is not None else sys.argv[1:])
    info = {**machine(), "load": f"{load_before} -> {os.getloadavg()[0]:.1f}"}
    text = markdown(rows, info, command.strip())
    print(text)
    if not args.no_write:
        md = HERE / "firstload.md"
        old = md.read_text(encoding="utf-8") if md.is_file() else ""
        notes = old[old.index(NOTES) :] if NOTES in old else NOTES + "\n"
        md.write_text(text + "\n" + notes, encoding="utf-8")
        (HERE / "firstload.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    fast = [r for r in rows if r["server"].startswith("after: brotli") and r["network"].startswith("9 ")]
    return 0 if fast and all(r["chart_s"] <= TARGET_CHART_S and r["bytes"] <= TARGET_BYTES for r in fast) else 1


if __name__ == "__main__":
    sys.exit(main())

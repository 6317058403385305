"""Driving the dashboard as users do: `streamlit run server.py` (as `make run`) on a free port, and Debian's
Chromium through Playwright (`playwright install` cannot download browsers here).

Outside CI, where Chromium or Playwright is missing, browser tests skip with the reason. Under CI=true they fail
instead: CI installs everything with the project's own files (make test -> scripts/setup_system.sh).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")  # Debian's package; CHROMIUM_PATH overrides
CHROME_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1440, "height": 2000}
LOAD_MS = 90_000


def chromium_path() -> str | None:
    """The Chromium executable to drive, if there is one."""
    return CHROMIUM if Path(CHROMIUM).is_file() else shutil.which("chromium")


def unavailable() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if chromium_path() is None:
        return f"Debian's chromium is not installed ({CHROMIUM}); run `make system` as root"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed; run `make setup`"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            # /api/ready (server.py) answers 200 once the warm-up has opened every data page: what a
            # deployment's readiness probe waits for. 503 before that arrives here as an HTTPError (OSError).
            with urllib.request.urlopen(f"{url}/api/ready", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"streamlit was not ready at {url} within {timeout:.0f} s")


def require_browser() -> None:
    """Skip when Chromium or the CJK fonts are missing; under CI=true, fail instead."""
    reason = unavailable()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run in CI: {reason}")
        pytest.skip(reason)


@contextmanager
def started_app(log_name: str, env: dict[str, str] | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """`streamlit run server.py` (as `make run`) on a free port until the block ends, not yet waited for;
    its output goes to artifacts/log_name."""
    port = free_port()
    SHOTS.parent.mkdir(parents=True, exist_ok=True)
    # The server's output goes to a file: read it when a browser test fails in CI.
    with open(SHOTS.parent / log_name, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "server.py",
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield f"http://127.0.0.1:{port}", proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def running_app(log_name: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """started_app, once /api/ready says the server has warmed up."""
    with started_app(log_name, env) as (url, proc):
        wait_healthy(url, proc)
        yield url


def wait_ready(page, title: str, charts: bool = True) -> None:
    """Wait until the page shows its title, its charts have drawn and the script has finished."""
    page.locator("h1", has_text=title).first.wait_for()
    if charts:
        page.locator(".js-plotly-plot .main-svg").first.wait_for()
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0",
        timeout=LOAD_MS,
    )
    page.wait_for_timeout(500)  # let plotly finish its transitions before the screenshot


def assert_clean(page) -> None:
    """No Streamlit exception box and no traceback text."""
    assert page.locator('[data-testid="stException"]').count() == 0
    text = page.locator("body").inner_text()
    assert "Traceback" not in text and "Error:" not in text


def shot(page, name: str) -> Path:
    """Save a screenshot of the viewport to artifacts/screenshots/<name>.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path

"""(e) The Overview page through Streamlit's AppTest: a full first render, then filter changes.

Run in its own process with $CHUANYU_CONFIG (and $CHUANYU_CACHE_DIR) pointing at a generated data set whose
database is already built, so the first render measures opening it, not building it:

    CHUANYU_CONFIG=benchmarks/data/1e6/config.yaml python -m benchmarks.apptest_bench

Prints one JSON object on its last line.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from .measure import peak_rss_mb

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"
# Each change is a filter set the page has not seen yet in this process, so its results are not cached.
CHANGES: list[tuple[str, str]] = [
    ("w_province", "sichuan"),
    ("w_city", "chengdu"),
    ("w_province", "chongqing"),
    ("w_city", "yubei"),
]
BACK_TO_DEFAULT = ("w_province", "all")  # seen before: served from the shared caches


def _run(at: AppTest) -> float:
    t = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - t
    if at.exception:
        raise RuntimeError(f"the page raised: {at.exception[0].value}")
    return elapsed


def measure(timeout: float = 900) -> dict:
    """First render, each filter change, and a change back to filters already seen."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=timeout)
    first = _run(at)
    metrics = len(at.metric)
    changes = []
    for key, value in CHANGES:
        at.session_state[key] = value
        changes.append(_run(at))
    at.session_state[BACK_TO_DEFAULT[0]] = BACK_TO_DEFAULT[1]
    cached = _run(at)
    return {
        "apptest_render_s": first,
        "apptest_filter_s": statistics.median(changes),
        "apptest_filter_max_s": max(changes),
        "apptest_cached_s": cached,
        "apptest_metrics": metrics,
        "apptest_peak_rss_mb": peak_rss_mb(),
    }


def main() -> int:
    """Print the measurement as JSON."""
    print(json.dumps(measure()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Turn the measurements into the printed table, benchmarks/results.md and benchmarks/results.json."""

from __future__ import annotations

import math
import os
import platform
from importlib.metadata import version
from itertools import pairwise

from .scenarios import FILTER_SETS

# Targets at 1e7 rows (issue 6).
TARGET_ROWS = 10_000_000
TARGETS = {
    "overview_s": ("(b) Overview, worst filter set", "≤ 0.300 s", lambda r: r["overview_s"] <= 0.300),
    "pandas_ratio": ("(c)/(b) pandas ÷ engine, worst filter set", "≥ 10×", lambda r: r["pandas_ratio"] >= 10),
    "floor_ratio": ("(b)/(d) engine ÷ raw DuckDB, worst filter set", "≤ 1.5×", lambda r: r["floor_ratio"] <= 1.5),
    "apptest_filter_s": (
        "(e) AppTest filter change (median)",
        "≤ 1.5 s",
        lambda r: r.get("apptest_filter_s") is not None and r["apptest_filter_s"] <= 1.5,
    ),
    "peak_rss_mb": ("(f) peak RSS, engine and app processes", "≤ 3072 MB", lambda r: r["peak_rss_mb"] <= 3072),
}
# Columns of the main table: key, header, format.
COLUMNS = [
    ("rows", "rows", "{:,.0f}"),
    ("load_s", "(a) load, cold s", "{:.1f}"),
    ("reopen_s", "reopen s", "{:.2f}"),
    ("overview_s", "(b) overview s", "{:.4f}"),
    ("cached_s", "(b) cached s", "{:.4f}"),
    ("pandas_s", "(c) pandas s", "{:.3f}"),
    ("raw_duckdb_s", "(d) raw DuckDB s", "{:.4f}"),
    ("pandas_ratio", "(c)/(b)", "{:.1f}×"),
    ("floor_ratio", "(b)/(d)", "{:.2f}×"),
    ("apptest_render_s", "(e) render s", "{:.2f}"),
    ("apptest_filter_s", "(e) filter s", "{:.2f}"),
    ("peak_rss_mb", "(f) peak RSS MB", "{:,.0f}"),
    ("pandas_peak_rss_mb", "pandas RSS MB", "{:,.0f}"),
]
GROWTH = ["load_s", "overview_s", "pandas_s", "raw_duckdb_s", "apptest_filter_s", "peak_rss_mb"]


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": f"{mem:.1f} GiB",
        "os": platform.platform(),
        "python": platform.python_version(),
        "duckdb": version("duckdb"),
        "pandas": version("pandas"),
        "streamlit": version("streamlit"),
    }


def summarise(rows: int, eng: dict, pds: dict | None, app: dict | None) -> dict:
    """One result row: worst filter set for each timing, ratios per filter set, and the details.

    pds is None at sizes the pandas baseline was not run at (its columns then show a dash)."""
    per_set = {
        n: {
            "overview_s": eng["overview_s"][n],
            "cached_s": eng["cached_s"][n],
            "pandas_s": pds["pandas_s"][n] if pds else None,
            "raw_duckdb_s": eng["raw_duckdb_s"][n],
            "queries": eng["queries"][n],
        }
        for n in FILTER_SETS
    }
    for v in per_set.values():
        v["pandas_ratio"] = v["pandas_s"] / v["overview_s"] if pds else None
        v["floor_ratio"] = v["overview_s"] / v["raw_duckdb_s"]
    row = {
        "rows": rows,
        "load_s": eng["load_s"],
        "reopen_s": eng["reopen_s"],
        "overview_s": max(v["overview_s"] for v in per_set.values()),
        "cached_s": max(v["cached_s"] for v in per_set.values()),
        "pandas_s": max(v["pandas_s"] for v in per_set.values()) if pds else None,
        "raw_duckdb_s": max(v["raw_duckdb_s"] for v in per_set.values()),
        "pandas_ratio": min(v["pandas_ratio"] for v in per_set.values()) if pds else None,
        "floor_ratio": max(v["floor_ratio"] for v in per_set.values()),
        "tasks_once_s": eng["tasks_once_s"],
        "pandas_load_s": pds["pandas_load_s"] if pds else None,
        "apptest_render_s": None,
        "apptest_filter_s": None,
        "peak_rss_mb": eng["peak_rss_mb"],
        "pandas_peak_rss_mb": pds["pandas_peak_rss_mb"] if pds else None,
        "by_filter_set": per_set,
    }
    if app:
        row.update({k: v for k, v in app.items() if k.startswith("apptest_")})
        row["peak_rss_mb"] = max(row["peak_rss_mb"], app["apptest_peak_rss_mb"])
    return row


def _cell(value: object, fmt: str) -> str:
    return "—" if value is None else fmt.format(value)


def table(results: list[dict]) -> str:
    """The main table as Markdown."""
    head = "| " + " | ".join(h for _, h, _ in COLUMNS) + " |"
    rule = "|" + "|".join("---:" for _ in COLUMNS) + "|"
    body = ["| " + " | ".join(_cell(r.get(k), f) for k, _, f in COLUMNS) + " |" for r in results]
    return "\n".join([head, rule, *body])


def growth(results: list[dict]) -> str:
    """How each measure grows from one size to the next: the factor and the exponent (1.0 = linear)."""
    lines = [
        "| measure | " + " | ".join(f"{a['rows']:,} → {b['rows']:,}" for a, b in pairwise(results)) + " |",
        "|---|" + "---:|" * (len(results) - 1),
    ]
    for key in GROWTH:
        cells = []
        for a, b in pairwise(results):
            if not a.get(key) or not b.get(key):
                cells.append("—")
                continue
            factor = b[key] / a[key]
            exponent = math.log(factor) / math.log(b["rows"] / a["rows"])
            cells.append(f"×{factor:.2f} (exp {exponent:.2f})")
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def per_filter_set(results: list[dict]) -> str:
    """Every filter set's timings at every size."""
    lines = [
        "| rows | filter set | queries | (b) s | cached s | (c) s | (d) s | (c)/(b) | (b)/(d) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        for name, v in r["by_filter_set"].items():
            lines.append(
                f"| {r['rows']:,} | {name} | {v['queries']} | {v['overview_s']:.4f} | {v['cached_s']:.4f} | "
                f"{_cell(v['pandas_s'], '{:.3f}')} | {v['raw_duckdb_s']:.4f} | "
                f"{_cell(v['pandas_ratio'], '{:.1f}×')} | {v['floor_ratio']:.2f}× |"
            )
    return "\n".join(lines)


def targets(results: list[dict]) -> str:
    """Met or missed, judged at 1e7 rows (or the largest size run, said so)."""
    at = next((r for r in results if r["rows"] == TARGET_ROWS), results[-1])
    note = "" if at["rows"] == TARGET_ROWS else " (1e7 was not run, so the 1e7 targets are not yet judged)"
    lines = [f"Judged at {at['rows']:,} rows{note}.", "", "| target | wanted | measured | |", "|---|---|---:|---|"]
    for key, (label, wanted, ok) in TARGETS.items():
        value = at.get(key)
        fmt = next((f for k, _, f in COLUMNS if k == key), "{}")
        verdict = (
            "not run"
            if value is None and key == "pandas_ratio"
            else "met"
            if value is not None and ok(at)
            else "MISSED"
        )
        lines.append(f"| {label} | {wanted} | {_cell(value, fmt)} | {verdict} |")
    if len(results) > 1:
        a, b = results[-2], results[-1]
        exp = math.log(b["overview_s"] / a["overview_s"]) / math.log(b["rows"] / a["rows"])
        lines.append(
            f"| growth of (b) from {a['rows']:,} to {b['rows']:,} | exponent ≤ 1 (linear) | {exp:.2f} | "
            f"{'met' if exp <= 1 else 'MISSED'} |"
        )
    return "\n".join(lines)


def markdown(results: list[dict], info: dict[str, str], command: str, load: tuple[str, str]) -> str:
    """The whole results.md."""
    spec = "\n".join(f"- {k}: {v}" for k, v in info.items())
    return f"""# Benchmark results

Written by `{command}` (benchmarks/run.py); every number below comes from that run. How the benchmark works,
what each column means and what the profiles showed: benchmarks/README.md.

## Machine

{spec}
- load average at start / end: {load[0]} / {load[1]} (other work on the machine makes timings noisy)

## Results

Times are medians over several runs; (b), (c) and (d) show the worst of the four filter sets, (c)/(b) the
smallest and (b)/(d) the largest ratio among them. (b) is computed with the engine's result caches emptied
before every run; "cached" is the same call when its filter set was seen before.

{table(results)}

## Targets

{targets(results)}

## Growth from size to size

{growth(results)}

## Per filter set

{per_filter_set(results)}
"""

"""The correctness check: the pandas baseline and the engine must give the same Overview numbers."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, is_dataclass
from typing import Any

REL_TOL = 1e-9


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=REL_TOL)


def headline_mismatches(engine: Mapping[str, Sequence], pandas: Mapping[str, Sequence], where: str) -> list[str]:
    """Every indicator whose value, previous value or monthly series differs."""
    out = []
    if set(engine) != set(pandas):
        out.append(f"{where}: indicators differ: engine {sorted(engine)} vs pandas {sorted(pandas)}")
    for ind in sorted(set(engine) & set(pandas)):
        (v1, p1, s1), (v2, p2, s2) = engine[ind], pandas[ind]
        if not _same(v1, v2):
            out.append(f"{where} {ind}: value {v1} vs {v2}")
        if not _same(p1, p2):
            out.append(f"{where} {ind}: previous {p1} vs {p2}")
        if list(s1) != list(s2) or not all(_same(s1[k], s2[k]) for k in s1):
            out.append(f"{where} {ind}: monthly series differ")
    return out


def _as_dict(summary: object) -> dict[str, Any]:
    """A task summary as a plain dict, whether a dataclass instance or a mapping (read back from JSON)."""
    if is_dataclass(summary) and not isinstance(summary, type):
        return asdict(summary)
    if isinstance(summary, Mapping):
        return dict(summary)
    raise TypeError(f"a task summary must be a dataclass or a mapping, not {type(summary).__name__}")


def task_mismatches(engine: object, pandas: object) -> list[str]:
    """Differences in status counts by area, completed tasks and the burn-up."""
    e = _as_dict(engine)
    p = _as_dict(pandas)
    # The engine lists every declared area, the data only those with tasks.
    e["status_by_area"] = {a: c for a, c in e["status_by_area"].items() if sum(c.values())}
    return [f"tasks {k}: {e[k]} vs {p[k]}" for k in ("status_by_area", "completed", "burnup") if e[k] != p[k]]


def mismatches(engine: Mapping, pandas: Mapping) -> list[str]:
    """All differences between two workers' outputs (numbers per filter set, and tasks)."""
    out = []
    for name in engine["numbers"]:
        out += headline_mismatches(engine["numbers"][name], pandas["numbers"].get(name, {}), name)
    return out + task_mismatches(engine["tasks"], pandas["tasks"])

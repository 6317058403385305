"""Summarise a py-spy profile (raw, collapsed stacks) as a flame summary: where the samples are, by function.

    py-spy record --pid PID --gil --rate 200 --format raw --output burst.collapsed --duration 15
    python -m benchmarks.flame burst.collapsed [--top 40] [--only app.py]

Prints markdown: the share of samples in which each function is on the stack (inclusive, what a flame graph's
width shows) and at the top of it (self). With --gil only the thread holding the GIL is sampled, so the shares
are shares of the Python time one process could spend; without it, waiting threads count too.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

# Frames of the interpreter, the event loop and Streamlit's runner that sit under every sample: not informative.
PLUMBING = re.compile(
    r"threading\.py|runpy|bootstrap\.py|script_runner\.py|exec_code\.py|serve\.py|/click/|base_events\.py"
    r"|runners\.py|starlette_server\.py|_compat\.py|streamlit/web/cli\.py|uvicorn/server\.py"
)


def frame_name(frame: str) -> str:
    """'func (path/to/file.py:12)' as 'func (file.py)' with the package folder kept for site-packages."""
    name = re.sub(r":\d+\)$", ")", frame)
    return re.sub(r"\(/\S*?/site-packages/", "(", re.sub(r"\(/work/\S*?/(?=[a-z_]+/)", "(", name))


def summarise(lines: list[str]) -> tuple[int, Counter[str], Counter[str]]:
    """(samples, inclusive counts, self counts) of py-spy's raw lines 'frame;frame;... count'."""
    total, inclusive, own = 0, Counter[str](), Counter[str]()
    for line in lines:
        stack, _, count = line.rstrip().rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [frame_name(f) for f in stack.split(";")[1:]]  # the first is the thread
        for f in set(frames):
            inclusive[f] += n
        if frames:
            own[frames[-1]] += n
    return total, inclusive, own


def markdown(path: Path, top: int, only: str | None = None) -> str:
    """The summary of one profile as markdown."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if only:
        lines = [ln for ln in lines if only in ln]
    total, inclusive, own = summarise(lines)
    if not total:
        return f"{path.name}: no samples"
    rows = [(f, n) for f, n in inclusive.most_common() if not PLUMBING.search(f)][:top]
    out = [f"{path.name}: {total:,} samples" + (f" (stacks through {only})" if only else ""), ""]
    out += ["| on the stack | function |", "|---:|---|"]
    out += [f"| {n / total:.1%} | `{f}` |" for f, n in rows]
    out += ["", "| at the top | function |", "|---:|---|"]
    out += [f"| {n / total:.1%} | `{f}` |" for f, n in own.most_common(max(10, top // 3))]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Print the summary."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("profile", type=Path)
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--only", help="keep only stacks containing this text (e.g. app.py: script runs)")
    args = ap.parse_args(argv)
    print(markdown(args.profile, args.top, args.only))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Which of Streamlit's frontend files a lazily loaded element needs, read from Streamlit's own static folder.

Streamlit's index.html names the scripts every page needs (its entry and their imports, as modulepreload
links); each kind of element comes in a chunk of its own, asked for only when React first draws one. The chart
element's chunk (BidiComponent) was asked for 3.5 s into a phone's first load at 9 Mbps / 150 ms, behind the
widgets' chunks, and plot.js only once that chunk had run (benchmarks/firstload.md). Named in the page's HTML
(webserver/preload.py), they arrive with the entry. File names carry a content hash that changes with every
Streamlit release, so they are found here, not written down.
"""

from __future__ import annotations

import logging
import re
from functools import cache
from pathlib import Path

from .asgi import streamlit_static_dir

LOG = logging.getLogger("chuanyu.static")
JS = "static/js/"
# What index.html loads: <script type="module" src="./static/js/…"> and <link rel="modulepreload" href=…>.
ENTRY = re.compile(r'(?:src|href)="\./static/js/([A-Za-z0-9._\-]+\.js)"')
# A static import in Streamlit's minified chunks: import{…}from"./x.js" or import"./x.js".
IMPORT = re.compile(r'(?:\bfrom|\bimport)\s*"\./([A-Za-z0-9._\-]+\.js)"')


def imports(root: Path, name: str) -> list[str]:
    """The files a chunk imports statically, in order (none when it does not exist)."""
    path = root / JS / name
    return IMPORT.findall(path.read_text(encoding="utf-8")) if path.is_file() else []


def closure(root: Path, names: list[str], known: frozenset[str] = frozenset()) -> list[str]:
    """names and everything they import, depth first (a chunk before its imports), leaving out known and files
    that are not there (a hint for a missing file would only cost a request)."""
    out: list[str] = []
    todo = list(reversed(names))
    while todo:
        name = todo.pop()
        if name in known or name in out or not (root / JS / name).is_file():
            continue
        out.append(name)
        todo.extend(reversed(imports(root, name)))
    return out


def entry(root: Path) -> frozenset[str]:
    """Every script the HTML loads before any element is drawn: its scripts and everything they import."""
    index = root / "index.html"
    named = ENTRY.findall(index.read_text(encoding="utf-8")) if index.is_file() else []
    return frozenset(closure(root, named))


@cache
def lazy(chunk: str, root: Path | None = None) -> tuple[str, ...]:
    """Paths (below the base URL) of the named lazy chunk, e.g. "BidiComponent", and of its imports that the
    entry does not load already; empty, with a warning, when this Streamlit has no such chunk."""
    root = root or streamlit_static_dir()
    found = sorted(p.name for p in (root / JS).glob(f"{chunk}.*.js") if p.name.count(".") == 2)
    if len(found) != 1:
        LOG.warning("Streamlit's %s chunk: %s files found, so the page does not name it", chunk, len(found))
        return ()
    return tuple(f"/{JS}{name}" for name in closure(root, found, entry(root)))

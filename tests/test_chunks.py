"""webserver/chunks.py: which of Streamlit's frontend files a lazily loaded element needs."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from ui import chart_element
from webserver import chunks
from webserver.asgi import streamlit_static_dir

INDEX = """<!doctype html><html><head>
<script type="module" crossorigin src="./static/js/index.AAA.js"></script>
<link rel="modulepreload" crossorigin href="./static/js/react.BBB.js">
<link rel="stylesheet" crossorigin href="./static/css/index.CCC.css">
</head><body></body></html>"""
FILES = {
    "index.AAA.js": 'import{a as e}from"./react.BBB.js";import"./shared.DDD.js";const x=()=>import("./Chart.EEE.js");',
    "react.BBB.js": "export const a=1;",
    "shared.DDD.js": 'import{a}from"./react.BBB.js";export const s=2;',
    "Chart.EEE.js": 'import{a}from"./react.BBB.js";import{t}from"./arrow.FFF.js";import{s}from"./shared.DDD.js";',
    "arrow.FFF.js": 'import{u}from"./util.GGG.js";export const t=3;',
    "util.GGG.js": "export const u=4;",
    "Chart.EEE.js.map": "{}",
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "static" / "js").mkdir(parents=True)
    (tmp_path / "index.html").write_text(INDEX, encoding="utf-8")
    for name, text in FILES.items():
        (tmp_path / "static" / "js" / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_the_entry_is_what_the_html_loads_and_what_that_imports(root: Path) -> None:
    # Chart is imported dynamically (import("…")): not part of the entry.
    assert chunks.entry(root) == {"index.AAA.js", "react.BBB.js", "shared.DDD.js"}


def test_a_lazy_chunk_brings_only_what_the_entry_lacks(root: Path) -> None:
    assert chunks.lazy("Chart", root) == (
        "/static/js/Chart.EEE.js",
        "/static/js/arrow.FFF.js",
        "/static/js/util.GGG.js",
    )


def test_an_unknown_chunk_names_nothing_and_says_so(root: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="chuanyu.static"):
        assert chunks.lazy("Missing", root) == ()
    assert "Missing chunk: 0 files found" in caplog.text


def test_a_missing_file_is_not_named(root: Path) -> None:
    (root / "static" / "js" / "util.GGG.js").unlink()
    assert chunks.imports(root, "util.GGG.js") == []
    assert chunks.lazy("Chart", root) == ("/static/js/Chart.EEE.js", "/static/js/arrow.FFF.js")


def test_the_installed_streamlit_has_the_chart_elements_chunk() -> None:
    # Fails when a Streamlit upgrade renames the chunk or changes how its chunks import each other: then the
    # page would stop naming them (and the first chart on a phone would come about 0.3-0.5 s later).
    root = streamlit_static_dir()
    found = chunks.lazy(chart_element.LAZY_CHUNK)
    assert found and found[0].startswith(f"/static/js/{chart_element.LAZY_CHUNK}.")
    assert all((root / f.lstrip("/")).is_file() for f in found)
    assert not {f.rsplit("/", 1)[1] for f in found} & chunks.entry(root)
    assert len(chunks.entry(root)) > 20  # the regexes still read Streamlit's index.html and its imports

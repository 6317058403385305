"""Streamlit's own frontend files (/static/...) served compressed, by the app server itself.

Streamlit serves its bundles uncompressed on purpose (its gzip middleware skips /static/): recompressing on
every request costs CPU. Here each file is compressed once and the bytes are kept, so the cost does not recur:

- brotli when the browser accepts it (and the `brotli` package is installed), else gzip, else the plain file;
- the best compression (brotli 11, gzip 9) is slow (16 s for plotly's 4.7 MB bundle), so a background thread
  at the lowest CPU priority makes it once per Streamlit version into a cache folder that survives restarts
  (CHUANYU_STATIC_CACHE_DIR, default .cache/static/); until a file's turn comes, a request compresses it fast
  (brotli 5: 0.3 s for plotly, 15 % larger) and keeps that in memory;
- the answer carries Vary: Accept-Encoding, the immutable one-year lifetime Streamlit gives its hashed
  bundles, a weak ETag per encoding and Last-Modified, and answers 304 to a matching revalidation;
- range requests, files that are compressed already (woff2, png) and anything outside Streamlit's static
  folder go to Streamlit's own handler unchanged.

The same serving covers the app's own asset folders (the chart element's plotly bundle, mounted by server.py):
their versioned files (name-1.2.3.js) are immutable, the others are revalidated on every use (no-cache).

CHUANYU_COMPRESS_STATIC=0 turns this off (for a reverse proxy that compresses, or to measure the difference).
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import hashlib
import logging
import mimetypes
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from functools import lru_cache, partial
from pathlib import Path

from .asgi import (
    ASGIApp,
    Message,
    Receive,
    Scope,
    Send,
    base_url_path,
    header,
    route_path,
    streamlit_static_dir,
    with_headers,
)

LOG = logging.getLogger("chuanyu.static")
ENV_ENABLED = "CHUANYU_COMPRESS_STATIC"
ENV_CACHE = "CHUANYU_STATIC_CACHE_DIR"
PREFIX = "/static/"
COMPRESSIBLE = {".js", ".mjs", ".css", ".json", ".map", ".svg", ".txt", ".html", ".ttf", ".otf", ".wasm"}
MIN_BYTES = 1024  # below one packet's worth compression does not pay for itself
SAFE_NAME = re.compile(r"^[A-Za-z0-9._\-]+(/[A-Za-z0-9._\-]+)*$")
SUFFIX = {"br": ".br", "gzip": ".gz"}
IMMUTABLE = "public, immutable, max-age=31536000"  # as Streamlit sends for its content-hashed bundles
REVALIDATE = "no-cache"  # kept, but checked with the ETag before each use
VERSIONED = re.compile(r"-\d+\.\d+\.\d+(\.min)?\.[a-z]+$")  # an asset file named for its version


def _brotli() -> object | None:
    try:
        import brotli
    except ImportError:
        return None
    return brotli


def encodings() -> tuple[str, ...]:
    """The encodings this process can produce, best first."""
    return ("br", "gzip") if _brotli() is not None else ("gzip",)


def compress(data: bytes, encoding: str, best: bool) -> bytes:
    """data compressed with brotli or gzip; best takes far longer for a few percent fewer bytes."""
    if encoding == "br":
        import brotli

        return bytes(brotli.compress(data, quality=11 if best else 5))
    return gzip.compress(data, compresslevel=9 if best else 6, mtime=0)


def choose(accept_encoding: str | None, available: tuple[str, ...]) -> str | None:
    """The first of available that the Accept-Encoding header admits (q > 0), or None for the plain file."""
    if not accept_encoding:
        return None
    q: dict[str, float] = {}
    for part in accept_encoding.split(","):
        token, *params = [p.strip() for p in part.split(";")]
        weight = 1.0
        for p in params:
            if p.lower().startswith("q="):
                try:
                    weight = float(p[2:])
                except ValueError:
                    weight = 0.0
        if token:
            q[token.lower()] = weight
    for enc in available:
        if q.get(enc, q.get("*", 0.0)) > 0:
            return enc
    return None


def _etag_of(stat: os.stat_result) -> str:
    """Starlette's ETag base for a file (md5 of mtime and size), so both handlers agree on the plain file."""
    base = f"{stat.st_mtime}-{stat.st_size}"
    return hashlib.md5(base.encode(), usedforsecurity=False).hexdigest()


def not_modified(scope: Scope, etag: str, last_modified: float) -> bool:
    """True when the request's If-None-Match (weak comparison) or If-Modified-Since says the copy is current."""
    inm = header(scope, "if-none-match")
    if inm is not None:
        tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
        return "*" in tags or etag.removeprefix("W/") in tags
    ims = header(scope, "if-modified-since")
    if ims:
        try:
            return parsedate_to_datetime(ims).timestamp() >= int(last_modified)
        except (TypeError, ValueError):
            return False
    return False


@dataclass(frozen=True)
class Variant:
    """One file in one encoding, ready to send."""

    body: bytes
    encoding: str
    etag: str
    last_modified: float
    best: bool


class StaticCache:
    """Compressed copies of the files under root: in memory, and the best ones also in a folder on disk."""

    def __init__(self, root: Path, disk: Path | None) -> None:
        self.root = root.resolve()
        self.disk = disk
        self._memory: dict[tuple[str, str], Variant] = {}
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}
        self.progress = {"files": 0, "done": 0, "finished": False}

    def source(self, rel: str) -> Path | None:
        """The file rel names inside root, if it is a safe name of an existing compressible file."""
        if not SAFE_NAME.match(rel) or ".." in rel.split("/"):
            return None
        path = (self.root / rel).resolve()
        if not path.is_relative_to(self.root) or path.suffix.lower() not in COMPRESSIBLE or not path.is_file():
            return None
        return path

    def _disk_path(self, rel: str, encoding: str) -> Path | None:
        return None if self.disk is None else self.disk / (rel + SUFFIX[encoding])

    def _on_disk(self, rel: str, encoding: str, stat: os.stat_result) -> Path | None:
        """The best copy's file, when it exists and is newer than the source."""
        path = self._disk_path(rel, encoding)
        try:
            return path if path is not None and path.stat().st_mtime >= stat.st_mtime else None
        except OSError:
            return None

    def _from_disk(self, rel: str, encoding: str, stat: os.stat_result) -> bytes | None:
        path = self._on_disk(rel, encoding, stat)
        try:
            return path.read_bytes() if path is not None else None
        except OSError:
            return None

    def _variant(self, body: bytes, encoding: str, stat: os.stat_result, best: bool) -> Variant:
        return Variant(body, encoding, f'W/"{_etag_of(stat)}-{encoding}"', stat.st_mtime, best)

    def lookup(self, rel: str, encoding: str, path: Path) -> Variant | None:
        """The best copy already made (memory, then disk), without compressing anything."""
        kept = self._memory.get((rel, encoding))
        if kept is not None and kept.best:
            return kept
        stat = path.stat()
        body = self._from_disk(rel, encoding, stat)
        if body is not None:
            kept = self._memory[(rel, encoding)] = self._variant(body, encoding, stat, True)
        return kept

    async def get(self, rel: str, encoding: str, path: Path) -> Variant:
        """The file compressed: the best copy when made, else a fast one made now (once per file)."""
        kept = self.lookup(rel, encoding, path)
        if kept is not None:
            return kept
        lock = self._locks.setdefault((rel, encoding), asyncio.Lock())
        async with lock:  # a burst of first visitors compresses each file once, not once each
            kept = self.lookup(rel, encoding, path)
            if kept is None:
                stat = path.stat()
                data = await asyncio.to_thread(path.read_bytes)
                body = await asyncio.to_thread(compress, data, encoding, False)
                kept = self._memory[(rel, encoding)] = self._variant(body, encoding, stat, False)
        return kept

    def pending(self) -> list[str]:
        """Every compressible file under root, those index.html loads first, then the largest first."""
        files = [
            p
            for p in self.root.rglob("*")
            if p.is_file() and p.suffix.lower() in COMPRESSIBLE and p.stat().st_size >= MIN_BYTES
        ]
        index = self.root.parent / "index.html"
        named = set(re.findall(r'static/([^"\']+)', index.read_text(encoding="utf-8"))) if index.is_file() else set()
        files.sort(key=lambda p: (p.relative_to(self.root).as_posix() not in named, -p.stat().st_size))
        return [p.relative_to(self.root).as_posix() for p in files]

    def precompress(self, stop: threading.Event | None = None) -> None:
        """Write the best compression of every file to the disk folder (skipping those already there)."""
        if self.disk is None:
            self.progress["finished"] = True
            return
        todo = self.pending()
        self.progress.update(files=len(todo), done=0)
        for rel in todo:
            if stop is not None and stop.is_set():
                return
            path = self.root / rel
            stat = path.stat()
            for enc in encodings():
                target = self._disk_path(rel, enc)
                if target is None or self._on_disk(rel, enc, stat) is not None:
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
                tmp.write_bytes(compress(path.read_bytes(), enc, True))
                os.replace(tmp, target)  # readers see the whole file or none
            self.progress["done"] += 1
        self.progress["finished"] = True


def cache_dir() -> Path:
    """Where the best compressions are kept: one folder per Streamlit version."""
    from importlib.metadata import version

    root = os.environ.get(ENV_CACHE) or str(Path(__file__).resolve().parents[1] / ".cache" / "static")
    return Path(root) / f"streamlit-{version('streamlit')}"


def enabled() -> bool:
    """Whether static files are served compressed (CHUANYU_COMPRESS_STATIC, default on)."""
    return os.environ.get(ENV_ENABLED, "1") != "0"


def _disk_folder(path: Path) -> Path | None:
    """path, created if need be; None (compress in memory only) when it cannot be used."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        LOG.warning("static compression: cannot use %s (%s); compressing in memory only", path, e)
        return None
    return path


@lru_cache(maxsize=1)
def static_cache() -> StaticCache:
    """The process's cache of Streamlit's static folder."""
    return StaticCache(streamlit_static_dir() / "static", _disk_folder(cache_dir()))


@lru_cache(maxsize=8)
def assets_cache(root: Path) -> StaticCache:
    """The process's cache of one of the app's asset folders (its best copies beside Streamlit's)."""
    return StaticCache(root, _disk_folder(cache_dir().parent / f"assets-{root.name}"))


def asset_lifetime(rel: str) -> str:
    """Cache-Control for a file of an app asset folder: immutable when its name carries its version."""
    return IMMUTABLE if VERSIONED.search(rel) else REVALIDATE


@dataclass(frozen=True)
class Mount:
    """A URL prefix served from one cache, with the Cache-Control its files get."""

    prefix: str
    cache: Callable[[], StaticCache]
    lifetime: Callable[[str], str]


def _lowest_priority() -> None:
    """Run this thread at the lowest CPU priority (Linux: niceness is per thread) so visitors come first."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):  # not permitted: run at the usual priority
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


def start_precompress(cache: StaticCache | None = None) -> threading.Event:
    """Start the background compression; set the returned event to stop it."""
    stop = threading.Event()
    cache = cache or static_cache()

    def work() -> None:
        _lowest_priority()
        started = time.perf_counter()
        try:
            cache.precompress(stop)
        except OSError as e:
            LOG.warning("static compression stopped: %s", e)
            cache.progress["finished"] = True
            return
        LOG.info("static compression: %d files ready in %.1f s", cache.progress["done"], time.perf_counter() - started)

    threading.Thread(target=work, name="static-precompress", daemon=True).start()
    return stop


def _vary(_message: Message) -> list[tuple[bytes, bytes]]:
    return [(b"vary", b"Accept-Encoding")]


def _always_immutable(_rel: str) -> str:
    return IMMUTABLE


class CompressedStatic:
    """Serve GET/HEAD /static/<file> (and the app's asset folders) compressed when the browser accepts it;
    otherwise pass on (with Vary).

    assets maps a URL prefix ("/_stcore/bidi-components/name/") to the folder Streamlit serves there.
    """

    def __init__(
        self, app: ASGIApp, cache: Callable[[], StaticCache] = static_cache, assets: Mapping[str, Path] | None = None
    ) -> None:
        self.app = app
        self.mounts = [Mount(PREFIX, cache, _always_immutable)] + [
            Mount(prefix, partial(assets_cache, root), asset_lifetime) for prefix, root in (assets or {}).items()
        ]
        self.on = enabled()
        self.base: str | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI entry."""
        if not self.on or scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        if self.base is None:
            self.base = base_url_path()
        path = route_path(scope, self.base)
        mount = next((m for m in self.mounts if path.startswith(m.prefix)), None)
        if mount is None:
            await self.app(scope, receive, send)
            return
        rel, cache = path[len(mount.prefix) :], mount.cache()
        source = cache.source(rel)
        if source is None:
            await self.app(scope, receive, send)
            return
        encoding = choose(header(scope, "accept-encoding"), encodings())
        if encoding is None or header(scope, "range") or source.stat().st_size < MIN_BYTES:
            await self.app(scope, receive, with_headers(send, _vary))
            return
        variant = await cache.get(rel, encoding, source)
        await self._answer(scope, send, source, variant, mount.lifetime(rel))

    async def _answer(self, scope: Scope, send: Send, source: Path, v: Variant, lifetime: str) -> None:
        media = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
        if media.startswith("text/") or media in ("application/javascript", "application/json", "image/svg+xml"):
            media += "; charset=utf-8"
        common = [
            (b"vary", b"Accept-Encoding"),
            (b"cache-control", lifetime.encode()),
            (b"etag", v.etag.encode()),
            (b"last-modified", formatdate(v.last_modified, usegmt=True).encode()),
        ]
        if not_modified(scope, v.etag, v.last_modified):
            await send({"type": "http.response.start", "status": 304, "headers": common})
            await send({"type": "http.response.body", "body": b""})
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", media.encode()),
                    (b"content-encoding", v.encoding.encode()),
                    (b"content-length", str(len(v.body)).encode()),
                    *common,
                ],
            }
        )
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else v.body})

"""The cache of built results shared by sessions: one build per key however many ask at once."""

from __future__ import annotations

import threading
import time

import pytest

from metrics.cache import SharedCache


def test_concurrent_first_calls_wait_for_one_build() -> None:
    cache = SharedCache(8)
    builds = 0
    started = threading.Event()

    def build() -> str:
        nonlocal builds
        builds += 1
        started.set()
        time.sleep(0.2)  # long enough for every other caller to arrive while it runs
        return "figure"

    got: list[str] = []
    first = threading.Thread(target=lambda: got.append(cache.get(("k",), build)))
    first.start()
    started.wait(5)
    others = [threading.Thread(target=lambda: got.append(cache.get(("k",), build))) for _ in range(10)]
    for t in others:
        t.start()
    for t in [first, *others]:
        t.join(5)
    assert builds == 1
    assert got == ["figure"] * 11


def test_none_is_a_value_and_the_oldest_key_goes_first() -> None:
    cache = SharedCache(2)
    calls: list[str] = []

    def build(name: str, value: object) -> object:
        calls.append(name)
        return value

    assert cache.get("a", lambda: build("a", None)) is None
    assert cache.get("a", lambda: build("a", 1)) is None  # cached, not built again
    cache.get("b", lambda: build("b", 2))
    cache.get("a", lambda: build("a", 3))  # a is now the most recent
    cache.get("c", lambda: build("c", 4))  # evicts b
    assert len(cache) == 2
    assert cache.get("b", lambda: build("b", 5)) == 5
    assert calls == ["a", "b", "c", "b"]


def test_a_failed_build_is_not_cached() -> None:
    cache = SharedCache(4)

    def broken() -> int:
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        cache.get("k", broken)
    assert cache.get("k", lambda: 7) == 7
    cache.clear()
    assert len(cache) == 0 and cache.get("k", lambda: 8) == 8

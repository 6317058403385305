"""Thread-safe LRU caches: query results of the (immutable) built database; results shared by sessions."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar, cast

T = TypeVar("T")


_MISSING = object()


class LruCache:
    """Values are computed outside the lock: a rare double computation is harmless, a held lock is not."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._data: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def _lookup(self, key: Hashable) -> object:
        """The cached value (now the most recently used), or _MISSING."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        return _MISSING

    def peek(self, key: Hashable) -> object | None:
        """The cached value, or None."""
        hit = self._lookup(key)
        return None if hit is _MISSING else hit

    def put(self, key: Hashable, value: object) -> None:
        """Remember value, dropping the least recently used entries beyond the size."""
        with self._lock:
            self._data[key] = value
            while len(self._data) > self._size:
                self._data.popitem(last=False)

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value, computing and remembering it on a miss."""
        hit = self.peek(key)
        if hit is None:
            hit = compute()
            self.put(key, hit)
        return cast(T, hit)  # what compute() returned for this key

    def __len__(self) -> int:
        """How many values are cached."""
        with self._lock:
            return len(self._data)

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._data.clear()


class SharedCache(LruCache):
    """An LRU cache whose concurrent misses on one key wait for a single computation (any value, None too).

    For results many sessions ask for at the same moment (fifty officials opening one link): the first
    computes, the others wait for its result instead of computing it again. Keys are plain hashable tuples;
    hashing them is what Python does for a dict, far cheaper than hashing each element's contents.
    Builds under way when the cache is cleared finish and store their result.
    """

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self._building: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value; on a miss the first caller computes it and callers arriving meanwhile wait."""
        hit = self._lookup(key)
        if hit is not _MISSING:
            return cast(T, hit)
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        try:
            with building:
                hit = self._lookup(key)
                if hit is _MISSING:
                    hit = compute()
                    self.put(key, hit)
        finally:
            with self._lock:
                if self._building.get(key) is building:
                    del self._building[key]
        return cast(T, hit)

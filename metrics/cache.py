"""A small thread-safe LRU cache for query results that depend only on the (immutable) built database."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar, cast

T = TypeVar("T")


class LruCache:
    """Values are computed outside the lock: a rare double computation is harmless, a held lock is not."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._data: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def peek(self, key: Hashable) -> object | None:
        """The cached value, or None."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        return None

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

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._data.clear()

# SPDX-License-Identifier: Apache-2.0
"""A bounded, thread-safe map whose entries expire; the verifier's cache of ``/v1/verify`` answers."""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, Hashable, Optional, Tuple, TypeVar

V = TypeVar("V")


class ExpiringCache(Generic[V]):
    """Entries live until their own deadline; past ``max_entries`` the oldest insertion is dropped."""

    def __init__(self, max_entries: int):
        if max_entries < 1:
            raise ValueError("max_cache_entries must be at least 1")
        self._max = max_entries
        self._entries: "OrderedDict[Hashable, Tuple[float, V]]" = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, now: float) -> Optional[V]:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] <= now:
                del self._entries[key]
                return None
            return entry[1]

    def put(self, key: Hashable, value: V, deadline: float) -> None:
        with self._lock:
            self._entries.pop(key, None)
            self._entries[key] = (deadline, value)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

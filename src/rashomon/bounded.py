"""Caches bounded by the bytes they hold, not by their number of entries.

A count of entries says nothing about memory: 128 decoded comparisons of two short articles
take a few MB, 128 of twenty long ones several hundred. ``Kept`` weighs every value when it is
put (``deep_size``) and drops the least recently used ones past its byte budget.
"""

from __future__ import annotations

import dataclasses
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable
from enum import Enum
from types import BuiltinFunctionType, FunctionType, ModuleType
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

_ATOMS = (str, bytes, bytearray, int, float, complex, bool, type(None), memoryview)
_SKIPPED = (type, ModuleType, FunctionType, BuiltinFunctionType, Enum)


def deep_size(obj: object) -> int:
    """The bytes ``obj`` and everything it references hold (each object counted once).

    Follows containers, dataclasses, ``__slots__`` and ``__dict__``; numpy arrays count their
    buffer (``sys.getsizeof`` includes it when the array owns it). Classes, modules, functions
    and enum members are shared, not held, and count nothing.
    """
    seen: set[int] = set()
    stack = [obj]
    total = 0
    while stack:
        item = stack.pop()
        if id(item) in seen or isinstance(item, _SKIPPED):
            continue
        seen.add(id(item))
        total += sys.getsizeof(item)
        if isinstance(item, _ATOMS):
            continue
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
        elif dataclasses.is_dataclass(item):
            stack.extend(getattr(item, f.name) for f in dataclasses.fields(item))
        else:
            base = getattr(item, "base", None)  # a numpy view holds its base's buffer
            if base is not None and hasattr(item, "nbytes"):
                stack.append(base)
            for cls in type(item).__mro__:
                for name in getattr(cls, "__slots__", ()):
                    if hasattr(item, name):
                        stack.append(getattr(item, name))
            if hasattr(item, "__dict__"):
                stack.append(vars(item))
    return total


class Kept(Generic[K, V]):
    """The most recently used values, by key, holding at most ``max_bytes`` in all.

    A value heavier than the whole budget is not kept. Safe to share between threads.
    """

    def __init__(self, max_bytes: int, *, weigh: Callable[[V], int] = deep_size) -> None:
        self.max_bytes = max_bytes
        self.weigh = weigh
        self._items: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def bytes(self) -> int:
        """The bytes the kept values hold, as weighed when they were put."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: K) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            self._items.move_to_end(key)
            return found[0]

    def put(self, key: K, value: V) -> None:
        weight = self.weigh(value)  # outside the lock: weighing a large value takes a while
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            if weight > self.max_bytes:
                return
            self._items[key] = (value, weight)
            self._bytes += weight
            while self._bytes > self.max_bytes:
                _, (_, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped

    def pop(self, key: K) -> V | None:
        with self._lock:
            found = self._items.pop(key, None)
            if found is None:
                return None
            self._bytes -= found[1]
            return found[0]

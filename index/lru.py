"""One least-recently-used cache with a bound on the total cost of what it holds.

Every cache of kosearch (postings, decoded posting blocks, block directories, phrase counts,
analyses of an indexing run) keeps what was used last and drops the oldest past a budget
counted in its own unit: postings, bytes or entries. This is that policy, written once.

(cachetools' `LRUCache` was the alternative: it refuses a value costlier than the whole budget
and cannot re-cost an entry in place, which the phrase counts need as their memo grows.)
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Iterator
from typing import Generic, TypeVar

__all__ = ["LRU"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LRU(Generic[K, V]):
    """Values by key, the least recently used dropped first while the total cost exceeds
    `max_cost`. The entry just stored is never dropped by its own arrival, so one value
    costlier than the budget is still kept (alone) until the next one comes.

    >>> cache: LRU[str, str] = LRU(max_cost=5)
    >>> cache.put("a", "apple", cost=3)
    >>> cache.put("b", "bean", cost=2)
    >>> cache.get("a")  # now the most recently used
    'apple'
    >>> cache.put("c", "corn", cost=1)  # total 6 > 5: "b" goes, the oldest
    >>> list(cache), cache.cost
    (['a', 'c'], 4)
    """

    __slots__ = ("max_cost", "cost", "_entries")

    def __init__(self, max_cost: int) -> None:
        self.max_cost = max_cost
        self.cost = 0
        """The total cost of the values held."""
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        """Whether `key` is held (without counting as a use)."""
        return key in self._entries

    def __iter__(self) -> Iterator[K]:
        """Keys, least recently used first."""
        return iter(self._entries)

    def get(self, key: K) -> V | None:
        """The value of `key` (now the most recently used), or None."""
        got = self._entries.get(key)
        if got is None:
            return None
        self._entries.move_to_end(key)
        return got[0]

    def put(self, key: K, value: V, cost: int = 1) -> None:
        """Store `value` as the most recently used, replacing what `key` held and its cost;
        then drop the least recently used others while over the budget."""
        old = self._entries.pop(key, None)
        if old is not None:
            self.cost -= old[1]
        self._entries[key] = (value, cost)
        self.cost += cost
        while self.cost > self.max_cost and len(self._entries) > 1:
            _, (_, dropped) = self._entries.popitem(last=False)
            self.cost -= dropped

    def clear(self) -> None:
        self._entries.clear()
        self.cost = 0

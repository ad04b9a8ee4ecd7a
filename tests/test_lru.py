"""The one LRU cache every cache of kosearch uses: which entry goes first, and the cost bound."""

from __future__ import annotations

import pytest

from index.lru import LRU


def test_the_least_recently_used_goes_first() -> None:
    cache: LRU[str, int] = LRU(max_cost=3)
    for key in "abc":
        cache.put(key, ord(key))
    assert cache.get("a") == 97  # a is now the most recently used; b the least
    cache.put("d", 100)
    assert list(cache) == ["c", "a", "d"]
    assert cache.get("b") is None


def test_a_replaced_entry_counts_as_used_and_is_costed_again() -> None:
    cache: LRU[str, str] = LRU(max_cost=10)
    cache.put("a", "x", cost=4)
    cache.put("b", "y", cost=4)
    cache.put("a", "xx", cost=1)  # a again: newest, and 1 instead of 4
    assert (list(cache), cache.cost) == (["b", "a"], 5)
    cache.put("c", "z", cost=6)  # 11 > 10: b (the oldest) goes, a stays
    assert (list(cache), cache.cost) == (["a", "c"], 7)


def test_entries_are_dropped_until_the_cost_fits() -> None:
    cache: LRU[int, str] = LRU(max_cost=10)
    for key, cost in [(1, 2), (2, 3), (3, 4)]:
        cache.put(key, str(key), cost=cost)
    cache.put(4, "4", cost=6)  # 15: 1 goes (13), then 2 (10)
    assert (list(cache), cache.cost, len(cache)) == ([3, 4], 10, 2)


def test_a_value_dearer_than_the_budget_stays_alone_until_the_next() -> None:
    cache: LRU[str, str] = LRU(max_cost=5)
    cache.put("a", "small", cost=2)
    cache.put("big", "huge", cost=50)
    assert (list(cache), cache.cost) == (["big"], 50)
    cache.put("b", "small", cost=1)
    assert (list(cache), cache.cost) == (["b"], 1)


def test_looking_is_not_using() -> None:
    """`in` and iteration leave the order alone; only `get` and `put` count as a use."""
    cache: LRU[str, int] = LRU(max_cost=2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert "a" in cache and "z" not in cache
    cache.put("c", 3)
    assert list(cache) == ["b", "c"]


@pytest.mark.parametrize("costs", [[1] * 8, [3, 1, 4, 1, 5, 9, 2, 6], [0, 0, 7, 0]])
def test_cost_is_the_sum_of_what_is_held(costs: list[int]) -> None:
    cache: LRU[int, int] = LRU(max_cost=7)
    for key, cost in enumerate(costs):
        cache.put(key, key, cost=cost)
        assert cache.cost == sum(costs[k] for k in cache)
        assert cache.cost <= 7 or len(cache) == 1
    cache.clear()
    assert (len(cache), cache.cost) == (0, 0)

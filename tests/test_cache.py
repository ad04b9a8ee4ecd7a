"""The analysis cache of an indexing run: identical texts reach Kiwi once, in any order, within
a memory budget, and the analyses handed back are exactly Kiwi's."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import orjson
import pytest

import index.cache
from index import index_paths
from index.analysis import Analysis, analyze_many
from index.cache import AnalysisCache, analyze_many_cached
from search import open_index

TEXTS = ["반도체 수출이 늘었다", "배터리 공장을 짓는다", "", "반도체 수출이 늘었다",
         "엔비디아가 설계했다", "배터리 공장을 짓는다", "반도체 수출이 늘었다"]


@pytest.fixture
def kiwi_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the cache passes on to Kiwi."""
    sent: list[str] = []

    def counting(texts: Iterable[str]) -> Iterator[Analysis]:
        def record() -> Iterator[str]:
            for text in texts:
                sent.append(text)
                yield text
        return analyze_many(record())

    monkeypatch.setattr(index.cache, "analyze_many", counting)
    return sent


@pytest.mark.parametrize("texts", [
    pytest.param(TEXTS, id="repeats-near-and-far"),
    pytest.param(TEXTS[:1] * 5, id="all-the-same"),
    pytest.param([], id="none"),
    pytest.param(TEXTS[:2] + TEXTS[:2] + TEXTS[:2], id="ends-with-known-texts"),
])
def test_each_distinct_text_reaches_kiwi_once(texts: list[str], kiwi_calls: list[str]) -> None:
    cache = AnalysisCache()
    assert list(analyze_many_cached(texts, cache)) == list(analyze_many(texts))
    assert kiwi_calls == list(dict.fromkeys(texts))
    assert cache.hits == len(texts) - len(set(texts))


def fake(n: int) -> Analysis:
    """An analysis whose compressed form grows with `n` (distinct terms compress badly)."""
    units = tuple((f"낱말{i}", i, i + 1, (), ()) for i in range(n))
    return Analysis(units, tuple(u[:3] for u in units))


def test_the_budget_drops_the_least_recently_used() -> None:
    cache = AnalysisCache(max_bytes=4_000)
    keys = [cache.key(str(n)) for n in range(4)]
    cache.put(keys[0], fake(120))
    cache.put(keys[1], fake(120))
    assert cache.get(keys[0]) == fake(120)  # now the most recently used
    cache.put(keys[2], fake(120))
    cache.put(keys[3], fake(120))
    assert cache.size <= 4_000
    assert [cache.get(k) is not None for k in keys] == [True, False, True, True]
    cache.put(keys[1], fake(5_000))  # more than half the budget: not kept
    assert cache.get(keys[1]) is None and len(cache) == 3


def test_a_small_budget_never_changes_results(kiwi_calls: list[str]) -> None:
    texts = [f"{n}번째 탄소국경조정제도 시행 {'반도체 ' * n}" for n in range(40)] * 2
    cache = AnalysisCache(max_bytes=2_000)
    assert list(analyze_many_cached(texts, cache)) == list(analyze_many(texts))
    assert cache.size <= 2_000
    assert 40 <= len(kiwi_calls) < 80


def test_copies_under_new_ids_are_indexed_without_kiwi(tmp_path: Path,
                                                       kiwi_calls: list[str]) -> None:
    records = [{"id": f"r{n}", "title": f"기사 {n}", "body": f"반도체 수출 {n}번째 기사"}
               for n in range(3)]
    copies = [{**r, "id": f"{r['id']}-r1"} for r in records]
    src = tmp_path / "a.jsonl"
    src.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records + copies))
    report = index_paths([src], tmp_path / "index")
    assert (report.added, report.reused) == (6, 6)  # three titles and three bodies
    assert len(kiwi_calls) == 6
    with open_index(tmp_path / "index") as idx:
        assert {h.id for h in idx.search("수출", limit=10)} == {
            "r0", "r1", "r2", "r0-r1", "r1-r1", "r2-r1"}
        original, copy = idx.document("r1", "반도체"), idx.document("r1-r1", "반도체")
        assert original is not None and copy is not None
        assert copy.body_marks == original.body_marks != ()

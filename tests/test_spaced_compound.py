"""A name typed with spaces finds the article that writes it joined, when no article holds its
words as typed: Kiwi keeps 세계보건기구 whole, so none of its pieces is in that article and the
search found only articles with some of them, under "No document has every word" and a "did
you mean 세계 조건 기구" (QA on Wikinews). And a query whose words as typed are all in some
article gets no "did you mean" for being rare.

On four articles written for these tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from written_articles import article_index

from search import Index
from search.notices import notices
from search.types import Rewrite

ARTICLES = [
    ("s1", "감염병 경보", "세계보건기구는 새 감염병 경보를 내렸다."),
    ("s2", "세계 경제", "세계 경제가 둔화하고 있다. 조건이 나쁘다. 조건부 지원도 줄었다."),
    ("s3", "보건 당국", "보건 당국은 예방 접종을 권했다. 세계 여러 나라가 조건을 달았다."),
    ("s4", "조직 개편", "정부는 기구 개편안을 내놓았다. 조건 없는 지원이다."),
]


@pytest.fixture(scope="module")
def four(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    with article_index(tmp_path_factory.mktemp("spaced"), ARTICLES) as index:
        yield index


def test_a_name_typed_apart_finds_it_written_together(four: Index) -> None:
    exact = four.search("세계 보건 기구", forgiving=False)
    assert (exact.mode, sorted(h.id for h in exact)) == ("any", ["s2", "s3", "s4"])
    results = four.search("세계 보건 기구")
    assert [h.id for h in results] == ["s1"]
    assert results.rewrites == (Rewrite("spacing", "세계 보건 기구", "세계보건기구"),)
    assert [(n.kind, n.text) for n in notices(results)] == [
        ("corrected", "Showing results for 세계보건기구 (spacing: 세계 보건 기구 → 세계보건기구)")]
    assert [[s.text[a:b] for a, b in s.marks] for s in results[0].snippets] == [["세계보건기구"]]


def test_words_found_together_as_typed_get_no_did_you_mean(four: Index) -> None:
    results = four.search("세계 보건")
    assert [h.id for h in results] == ["s3"]
    assert results.rewrites == ()
    assert results.suggestion is None

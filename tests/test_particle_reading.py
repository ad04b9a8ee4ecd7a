"""A word typed with its particle that Kiwi, reading it alone, keeps whole (곰이 as one name,
속도로 as one noun, 세상에 as an interjection) while the texts read the noun and the particle:
the search reads it as the noun the index holds and says so (rule "particle"), instead of
finding nothing or "correcting" it to another word (곰이 -> 고민). From a QA pass on Wikinews.

On three articles written for these tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from written_articles import article_index

from search import Index
from search.notices import notices
from search.types import Rewrite

ARTICLES = [
    ("p1", "동물원 탈출 소동",
     "어젯밤 동물원 곰이 우리를 빠져나가 인근 야산으로 달아났다. 곰은 새벽에 붙잡혔다."),
    ("p2", "태풍 북상",
     "태풍이 시속 20킬로미터의 속도로 북상하고 있다. 기상청은 속도가 더 빨라질 수 있다고 했다."),
    ("p3", "고민 상담 늘어",
     "진로 고민을 털어놓는 청소년이 늘었다. 고민 상담 전화도 바빠졌다. 상담사의 고민도 깊다."),
]


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    with article_index(tmp_path_factory.mktemp("particle"), ARTICLES) as index:
        yield index


@pytest.mark.parametrize(("query", "noun", "expected"), [
    ("곰이", "곰", ["p1"]), ("속도로", "속도", ["p2"])])
def test_a_noun_with_its_particle_finds_the_noun(three: Index, query: str, noun: str,
                                                 expected: list[str]) -> None:
    assert three.search(query, forgiving=False).total == 0  # as Kiwi reads it alone
    results = three.search(query)
    assert [h.id for h in results] == expected
    assert results.rewrites == (Rewrite("particle", query, noun),)
    assert [(n.kind, n.text) for n in notices(results)] == [
        ("corrected", f"Showing results for {noun} (particle: {query} → {noun})")]
    assert results.suggestion is None


def test_with_other_words_only_the_glued_word_is_read_apart(three: Index) -> None:
    results = three.search("곰이 야산")
    assert [h.id for h in results] == ["p1"]
    assert results.rewrites == (Rewrite("particle", "곰이", "곰"),)


def test_a_word_the_index_holds_is_never_read_apart(three: Index) -> None:
    results = three.search("고민")
    assert [h.id for h in results] == ["p3"]
    assert results.rewrites == ()

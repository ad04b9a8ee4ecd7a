"""A query of grammar alone (task G, from a QA pass on Wikinews, where 하였습니다 listed 224
arbitrary articles): a word the analyzer reads as endings on a verb the index leaves out
(하였습니다, 했다, 있는, 입니다: their whole words are 하, 했, 있, 입) is in no view of the
index as written, so it finds nothing and says why, instead of every document that says 하다;
nor is a particle alone (까지) corrected to a word (가지). A word such as 그리고 that the words
view holds as written is still found as written, and the same endings after a word to search
for change nothing.

On a tiny index of articles written for these tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from written_articles import article_index

from search import Index, Results
from search.notices import notices

ARTICLES = [
    ("g1", "수출 실적 발표", "산업부는 지난달 수출 실적을 발표하였습니다. 반도체가 늘었습니다."),
    ("g2", "공장 완공", "공장은 지난해 완공했다. 그리고 직원 300명을 새로 뽑았다."),
    ("g3", "시장 방문", "시장은 전통시장을 찾아 상인들과 여러 가지 이야기를 나누었다. 손님이 많았다."),
    ("g4", "도서관 개관", "새 도서관에는 두 가지 책이 많이 있는 열람실이 있다. 개관식은 내일입니다."),
    ("g5", "체전 폐막", "우리 선수들은 금, 은, 동메달을 모두 땄다."),
]

NOTHING = ("Nothing to search for in {}: the analyzer reads no word to search for in it "
           "(particles, endings, adverbs and the like are not indexed).")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    with article_index(tmp_path_factory.mktemp("grammar"), ARTICLES,
                       date="2025-04-01", source="한빛일보") as index:
        yield index


def ids(results: Results) -> list[str]:
    return sorted(h.id for h in results)


def said(results: Results) -> list[tuple[str, str]]:
    return [(n.kind, n.text) for n in notices(results)]


@pytest.mark.parametrize("query", ["하였습니다", "했다", "있는", "입니다", "에서", "했습니다",
                                   "까지", "하였습니다 했다"])
@pytest.mark.parametrize("forgiving", [True, False])
def test_a_query_of_grammar_alone_finds_nothing_and_says_why(
        tiny: Index, query: str, forgiving: bool) -> None:
    """까지 is no typo of 가지 (g3, g4), whatever the forgiving rules would make of it."""
    results = tiny.search(query, forgiving=forgiving)
    assert (ids(results), results.total, results.mode) == ([], 0, "none")
    assert said(results) == [("nothing", NOTHING.format(query))]


@pytest.mark.parametrize(("query", "expected"), [
    ("그리고", ["g2"]), ("그리고,", ["g2"]),
    ("은", ["g5"]),  # the silver of 금, 은, 동메달, not every 은 after a noun
])
def test_a_word_the_words_view_holds_as_written_is_still_found(
        tiny: Index, query: str, expected: list[str]) -> None:
    results = tiny.search(query)
    assert (ids(results), results.mode) == (expected, "all")


@pytest.mark.parametrize(("query", "expected"), [
    ("발표하였습니다", ["g1"]),
    ("완공했다", ["g2"]),
    ("책이 있는", ["g4"]),
    ("이야기를 했다", ["g3"]),
])
def test_grammar_after_a_word_changes_nothing(tiny: Index, query: str,
                                              expected: list[str]) -> None:
    assert ids(tiny.search(query)) == expected


def test_explain_says_there_is_nothing_to_search(tiny: Index) -> None:
    assert "mode:   none" in tiny.explain("하였습니다")

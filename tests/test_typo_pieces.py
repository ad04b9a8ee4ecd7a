"""A misspelt word whose pieces stand apart in some article (세월오, read 세월 + 오) lists the
articles its correction finds (세월호) before that one, and those that hold the corrected word
as written first (QA on Wikinews: an article with 세월 and an 오 apart came first).

On five articles written for these tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from written_articles import article_index

from search import Index
from search.types import Rewrite

ARTICLES = [
    ("f1", "세월호 추모", "세월호 참사 희생자를 기리는 추모식이 열렸다."),
    ("f2", "세월호 인양", "세월호 선체 인양 작업이 끝났다."),
    ("f3", "세월호 보고서", "세월호 특별조사위원회가 보고서를 냈다."),
    ("f4", "호수 공원", "오랜 세월 동안 호수 공원을 가꾼 오 씨가 상을 받았다."),
    ("f5", "날씨", "맑은 날씨가 이어졌다."),
]


@pytest.fixture(scope="module")
def five(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    with article_index(tmp_path_factory.mktemp("pieces"), ARTICLES) as index:
        yield index


def test_the_correction_comes_before_the_pieces_of_the_misspelt_word(five: Index) -> None:
    results = five.search("세월오")
    assert results.rewrites == (Rewrite("typo", "세월오", "세월호"),)
    assert [h.id for h in five.search("세월오", forgiving=False)] == ["f4"]  # 세월 ... 오
    ids = [h.id for h in results]
    assert sorted(ids[:3]) == ["f1", "f2", "f3"]
    assert ids[3:] == ["f4"]


def test_a_word_as_typed_still_comes_first(five: Index) -> None:
    assert sorted(h.id for h in five.search("세월호")[:3]) == ["f1", "f2", "f3"]

"""A range of numbers (6~8일) is marked where it is a range, not where its two numbers stand
apart (6월 8일): the index holds the 6 of 6월 next to 8일, so positions alone took both for
the range. Marks check the range sign in the stored text, as the search does (`RangePhrase`).

On a tiny index of articles written for these tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from written_articles import article_index

from search import Index
from search.matching import is_range, join_phrase

ARTICLES = [
    ("m1", "봄꽃 축제와 임시회",
     "봄꽃 축제는 6~8일 시청 광장에서 열린다. 시의회는 6월 8일 임시회를 연다. "
     "도서관은 6일부터 8일까지 문을 닫는다."),
    ("m2", "구단 결산",
     "2019~2020년 시즌에 구단은 처음 우승했다. 2019, 2020년 모두 관중이 늘었다."),
    ("m3", "요금 안내", "버스 요금은 10~15% 오른다. 지하철 요금은 10월 15일에 정한다."),
    ("m4", "장터 소식", "장터는 6~8일 선다. 상인회는 6월 8일 모인다."),
    ("m5", "파업 예고", "노조는 6-8일 파업한다. 교섭은 6월 8일 다시 열린다."),
]


@pytest.fixture(scope="module")
def idx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    with article_index(tmp_path_factory.mktemp("range-marks"), ARTICLES) as index:
        yield index


def shown(idx: Index, query: str) -> dict[str, list[str]]:
    """For each hit, the words marked in its snippets."""
    return {h.id: [s.text[a:b] for s in h.snippets for a, b in s.marks]
            for h in idx.search(query).hits}


@pytest.mark.parametrize("query", ["6~8일", "6일~8일", "6 ~ 8일", "6-8일"])
def test_a_range_is_marked_where_it_is_a_range(idx: Index, query: str) -> None:
    """Not 6월 8일 (the 6 of 6월 stands next to 8일 in the index), nor its 8일 alone (the
    range is shown, in another spelling in m4 and m5); 6일부터 8일까지 is one."""
    assert shown(idx, query) == {"m1": ["6~8일", "6일부터 8일"], "m4": ["6~8일"],
                                 "m5": ["6-8일"]}


def test_the_whole_document_marks_the_range_only(idx: Index) -> None:
    doc = idx.document("m1", "6~8일")
    assert doc is not None
    assert [doc.body[a:b] for a, b in doc.body_marks] == ["6~8일", "6일부터 8일"]
    doc = idx.document("m4", "6~8일")
    assert doc is not None and [doc.body[a:b] for a, b in doc.body_marks] == ["6~8일"]


def test_years_and_percentages_apart_are_not_marked(idx: Index) -> None:
    assert shown(idx, "2019~2020년") == {"m2": ["2019~2020년"]}
    assert shown(idx, "10~15%") == {"m3": ["10~15%"]}
    doc = idx.document("m3", "10~15%")
    assert doc is not None and [doc.body[a:b] for a, b in doc.body_marks] == ["10~15%"]


def test_other_phrases_are_marked_by_position_as_before(idx: Index) -> None:
    assert shown(idx, '"시청 광장"') == {"m1": ["시청 광장"]}


def test_which_phrases_are_ranges() -> None:
    assert [is_range(w) for w in (["6", "8일"], ["6일", "8일"], ["2019", "2020년"],
                                  ["10", "15%"], ["6월", "8일"], ["시청", "광장"],
                                  ["6", "8일", "열리"], ["6", "8"])] == [
        True, True, True, True, False, False, False, True]


def test_join_phrase_reads_the_text_only_for_a_range() -> None:
    occurrences = [[(0, 0, 2), (4, 10, 12)], [(1, 3, 5), (5, 13, 15)]]

    def text() -> str:
        raise AssertionError("read")

    assert join_phrase(["시청", "광장"], occurrences, text) == [(0, 5, "시청 광장"),
                                                              (10, 15, "시청 광장")]

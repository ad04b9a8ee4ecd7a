"""A range of numbers in a query (6~8일, 2019~2020년) is searched as a range (task G, from a QA
pass on Wikinews, where 6~8일 found 6월 8일): every spelling of the range is found (6∼8일, 6-8일,
6 ~ 8일, 6일~8일, 6일부터 8일까지), but not its numbers apart (6월 8일, 6월8일, "6, 8일") nor a
day inside it alone (7일: news write the day of each report so; search 7일 for that).

On a tiny index of articles written for these tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from written_articles import article_index

from search import Index, Results

ARTICLES = [
    ("r1", "봄꽃 축제 안내", "올해 봄꽃 축제는 6~8일 시청 광장에서 열린다. 입장료는 없다."),
    ("r2", "시의회 임시회 소집",
     "시의회는 6월 8일 임시회를 열어 조례안을 심사한다. 지난 회의는 3월 5일이었다."),
    ("r3", "도서관 휴관", "시립 도서관은 6일부터 8일까지 서고 정리로 문을 닫는다."),
    ("r4", "철도 파업 예고", "노조는 6-8일 사흘 동안 파업하겠다고 밝혔다."),
    ("r5", "수출 실적 발표", "산업부는 7일 지난달 수출 실적을 발표했다."),
    ("r6", "리그 결산", "2019~2020년 시즌에 구단은 처음으로 우승했다."),
    ("r7", "공장 착공", "공장은 2019년 6월 착공해 2020년 완공됐다. 매출은 2019, 2020년 모두 늘었다."),
    ("r8", "선거 일정", "사전 투표는 6월8일 시작된다. 개표기는 6, 8일 두 차례 점검한다."),
    ("r9", "요금 인상", "버스 요금은 1,000∼1,200원으로 오른다. 지하철은 그대로다."),
    ("r10", "여론 조사", "두 후보의 지지율 차이는 10-15% 이상이었다."),
    ("r11", "물가 전망", "채소 값이 10~15% 오를 것으로 보인다. 과일은 10, 15일에 조사한다."),
]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    with article_index(tmp_path_factory.mktemp("ranges"), ARTICLES,
                       date="2025-04-01", source="한빛일보") as index:
        yield index


def ids(results: Results) -> list[str]:
    return sorted(h.id for h in results)


@pytest.mark.parametrize("query", ["6~8일", "6∼8일", "6〜8일", "6-8일", "6–8일", "6 ~ 8일",
                                   "6일~8일", "6~8일에"])
@pytest.mark.parametrize("forgiving", [True, False])
def test_a_range_finds_each_spelling_of_it_and_not_its_numbers_apart(
        tiny: Index, query: str, forgiving: bool) -> None:
    """r1 6~8일, r3 6일부터 8일까지, r4 6-8일; not r2 6월 8일, r8 6월8일 and 6, 8일, r5 7일."""
    results = tiny.search(query, forgiving=forgiving)
    assert (ids(results), results.mode) == (["r1", "r3", "r4"], "all")


@pytest.mark.parametrize("query", ["2019~2020년", "2019∼2020년", "2019-2020년", "2019~2020시즌"])
def test_a_range_of_years_is_not_two_years_named_apart(tiny: Index, query: str) -> None:
    """r7 names 2019년 and 2020년 apart, and the two years 2019, 2020년; 2019~2020시즌 needs
    시즌 too (r6 has it)."""
    assert ids(tiny.search(query)) == ["r6"]


def test_a_range_with_thousands_separators(tiny: Index) -> None:
    assert ids(tiny.search("1,000~1,200원")) == ["r9"]
    assert ids(tiny.search("1000-1200원")) == ["r9"]


@pytest.mark.parametrize("query", ["10~15%", "10-15%", "10∼15%"])
def test_a_range_of_percentages(tiny: Index, query: str) -> None:
    """Kiwi reads 10-15% as one serial number without its sign; 10, 15일 (r11) is no range."""
    assert ids(tiny.search(query)) == ["r10", "r11"]
    assert ids(tiny.search("10~15일")) == []


def test_a_range_among_other_words_needs_them_too(tiny: Index) -> None:
    assert ids(tiny.search("6~8일 축제")) == ["r1"]
    assert ids(tiny.search("파업 6-8일")) == ["r4"]


@pytest.mark.parametrize(("query", "expected"), [
    ('"6~8일"', ["r1", "r3", "r4"]),
    ('"6~8일 시청"', ["r1"]),
    ('"6 ~ 8일 임시회"', []),  # r2: 6월 8일 임시회
])
def test_a_range_in_a_quoted_phrase_is_still_a_range(tiny: Index, query: str,
                                                     expected: list[str]) -> None:
    assert ids(tiny.search(query, forgiving=False)) == expected


def test_a_range_no_document_holds_is_not_relaxed_to_its_numbers(tiny: Index) -> None:
    """3~5일 is in no article: r2, which holds 3월 5일, is not shown as holding it or some of
    it."""
    results = tiny.search("3~5일")
    assert (ids(results), results.total) == ([], 0)


def test_the_numbers_written_apart_still_find_the_date(tiny: Index) -> None:
    """What the range no longer finds is still found by what it is."""
    assert ids(tiny.search("6월 8일")) == ["r2", "r8"]
    assert ids(tiny.search("7일")) == ["r5"]


def test_a_question_with_a_range_ranks_by_the_range(tiny: Index) -> None:
    """A question ranks by shared words; the range counts as a range, not as 6 and 8일."""
    results = tiny.search("6~8일에 무슨 일이 있나?")
    assert (ids(results), results.mode) == (["r1", "r3", "r4"], "any")


def test_explain_shows_the_range(tiny: Index) -> None:
    assert 'body:"6~8일" OR body:"6일~8일" OR body:"6-8 일"' in tiny.explain("6 ~ 8일")

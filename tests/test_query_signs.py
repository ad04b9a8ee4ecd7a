"""A minus excludes a word only where a word starts, and a plus changes nothing: hyphenated
words (한-EU, K-라드큐브, U-17, 코로나-19) are words to find, not a word and an exclusion."""

from __future__ import annotations

import pytest

from search import Index


@pytest.mark.parametrize(("query", "found"), [
    ("한-EU", ["sample-018"]),
    ("K-라드큐브", ["sample-043"]),
    ("i-SMR", ["sample-037"]),
])
def test_a_hyphenated_word_is_found_where_it_is_written(idx: Index, query: str,
                                                       found: list[str]) -> None:
    results = idx.search(query, limit=10)
    assert results.mode == "all"
    assert [h.id for h in results] == found


@pytest.mark.parametrize(("query", "terms"), [
    ("코로나-19", ("코로나", "19")),
    ("U-17", ("u", "17")),
    ("e-mail", ("e", "mail")),
    ("a - b", ("a", "b")),
    ("원전 -5", ("원전", "5")),
])
def test_a_minus_inside_or_apart_from_a_word_excludes_nothing(idx: Index, query: str,
                                                              terms: tuple[str, ...]) -> None:
    reading = idx.parse(query)
    assert reading.terms == terms


@pytest.mark.parametrize(("query", "terms"), [
    ("원전 -SMR", ("원전",)),
    ("-SMR 원전", ("원전",)),
    ("(원전 -소형)", ("원전",)),
])
def test_a_minus_before_a_word_excludes_it(idx: Index, query: str,
                                          terms: tuple[str, ...]) -> None:
    assert idx.parse(query).terms == terms


def test_a_plus_leaves_every_word_required(idx: Index) -> None:
    """Whoosh's `+원전 소형` made 소형 optional: three articles instead of the one with both."""
    assert [h.id for h in idx.search("+원전 소형", limit=10)] == \
        [h.id for h in idx.search("원전 소형", limit=10)] == ["sample-037"]


PASTED = ("산업통상자원부는 3일 소형모듈원전 수출 전략을 발표하면서 \"국내 기업이 해외 시장에서 "
          "경쟁할 수 있도록 인허가 절차를 줄이겠다\"고 밝혔다. 정부는 전력 수요가 늘어나는 "
          "데이터센터 지역에 (가칭) 에너지 특구를 지정하고, 송전망 투자와 함께 지역 주민에게 "
          "요금 혜택을 주는 방안도 검토하고 있다고 덧붙였다.")


def test_a_pasted_paragraph_with_quoted_speech_is_read_as_a_passage(idx: Index) -> None:
    """Quotation marks in pasted prose are what someone said, not a phrase to match
    exactly; every word required would find nothing and say the syntax was not understood."""
    reading = idx.parse(PASTED)
    assert (reading.mode, reading.kind, reading.error) == ("any", "passage", None)
    results = idx.search(PASTED, limit=5)
    assert results.kind == "passage" and results.error is None and results.total > 0


def test_quotes_in_a_short_query_still_make_a_phrase(idx: Index) -> None:
    reading = idx.parse('"소형모듈원전 수출"')
    assert (reading.mode, reading.kind) == ("all", "keywords")
    assert reading.phrases


def test_quotes_in_a_query_of_a_few_words_still_make_a_phrase(idx: Index) -> None:
    """Seven words with a quoted phrase: typed on purpose, so the phrase is required."""
    reading = idx.parse('"소형모듈원전 수출" 전략 정부 기업 해외 시장')
    assert reading.mode == "all" and reading.phrases


@pytest.mark.parametrize(("query", "found"), [
    ("1800만명", {"sample-027", "sample-028"}),
    ("1,800만 명", {"sample-027", "sample-028"}),
    ("18억달러", {"sample-004", "sample-022"}),
    ("50만원", {"sample-039"}),
])
def test_a_number_with_its_unit_matches_where_they_stand_together(
        idx: Index, query: str, found: set[str]) -> None:
    results = idx.search(query, limit=20)
    assert results.mode == "all"
    assert {h.id for h in results} == found


def test_a_number_and_a_unit_apart_are_not_the_quantity(idx: Index) -> None:
    """No article says 23만 원: sample-033 has 23만 명 and 수백조 원, sample-034 23만 8,300명
    and 250만 원. Before, both matched 23만원 as if they said it."""
    results = idx.search("23만원", limit=20)
    assert results.mode == "any"


def test_a_word_without_a_content_morpheme_is_searched_as_written(idx: Index) -> None:
    """따른 alone is a determiner to Kiwi: no morpheme to search, so the query said it had no
    words. The articles that write it are found through their whole words."""
    results = idx.search("따른", limit=10)
    assert (results.mode, [h.id for h in results]) == ("all", ["sample-019", "sample-020"])
    assert all("따른" in h.title + " ".join(s.text for s in h.snippets) or
               "따른" in idx.document(h.id).body for h in results)


def test_among_other_words_a_determiner_is_left_out(idx: Index) -> None:
    """모든 원전 is about 원전: an article need not write 모든."""
    assert [h.id for h in idx.search("모든 원전", limit=10)] == \
        [h.id for h in idx.search("원전", limit=10)]


@pytest.mark.parametrize("query", ["NOT 원전", "-원전", "NOT 원전 NOT 수출"])
def test_a_query_of_exclusions_alone_searches_nothing(idx: Index, query: str) -> None:
    """`NOT 원전` listed every article without 원전 while `-원전` listed none: both search
    nothing now, and say so."""
    results = idx.search(query, limit=5)
    assert (results.mode, results.total) == ("none", 0)


def test_an_exclusion_beside_a_field_still_narrows_it(idx: Index) -> None:
    assert idx.parse("date:2025 NOT 원전").mode == "all"


def test_escape_sequences_in_a_query_are_not_words(idx: Index) -> None:
    """Pasted from a terminal: ESC [1m ... ESC [0m around 원전 searched 1m and 0m as words."""
    assert idx.parse("\x1b[1m원전\x1b[0m").terms == ("원전",)
    assert [h.id for h in idx.search("\x1b[1m원전\x1b[0m", limit=10)] == \
        [h.id for h in idx.search("원전", limit=10)]


def test_a_hyphen_in_a_question_is_text(idx: Index) -> None:
    """Questions are written, not composed: `i -SMR` in one is a stray space in a name, not
    an exclusion that would drop the article the question is about."""
    reading = idx.parse("정부가 발표한 i -SMR은 어느 기관이 개발하고 있나?")
    assert reading.kind == "question"
    assert "smr" in reading.terms

"""A query that says where or how to find its words is answered as asked, and "did you mean"
is offered only where it helps (issue 14, from a QA pass on Wikinews: `title:부시` showed a
document with 부시 only in its body and "did you mean title:무시"; `TO` was offered as `tv`).

On the five articles of test_shown_truth: 평택 only in the body of t3, 호두 and 공연 in t4 but
apart, 회의 in three articles."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_shown_truth import ARTICLES
from written_articles import article_index

from search import Index
from search.notices import notices
from search.suggest import Vocabulary, suggestion


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    with article_index(tmp_path_factory.mktemp("placed"), ARTICLES) as index:
        yield index


@pytest.mark.parametrize("query", ["title:평택", "title:천안 평택", '"호두 공연"',
                                   ' "호두 공연" '])
def test_a_field_or_a_phrase_is_not_relaxed_to_words_anywhere(tiny: Index, query: str) -> None:
    results = tiny.search(query)
    assert [h.id for h in results] == []
    assert (results.mode, results.suggestion) == ("all", None)
    assert [(n.kind, n.text) for n in notices(results)] == [
        ("nothing", f"No document matches {query.strip()}.")]


def test_a_keyword_query_of_which_no_document_has_every_word_is_still_relaxed(
        tiny: Index) -> None:
    results = tiny.search("호두 평택")
    assert sorted(h.id for h in results) == ["t3", "t4"]
    assert results.mode == "any"


def test_quotation_marks_among_other_words_are_still_relaxed(tiny: Index) -> None:
    """Pasted text quotes for emphasis as often as for a phrase: with other words beside the
    quotes, a query no document holds whole still finds those that share some of it."""
    results = tiny.search('"호두 공연" 시민')
    assert [h.id for h in results] == ["t4"]
    assert results.mode == "any"
    assert [n.kind for n in notices(results)] == ["partial"]


def test_the_field_itself_still_finds_where_the_word_is(tiny: Index) -> None:
    assert [h.id for h in tiny.search("title:천안함")] == ["t3"]
    assert [h.id for h in tiny.search("body:평택")] == ["t3"]


@pytest.mark.parametrize("query", ["천안함 추모식과 호두 축제는 어느 회이에서 열렸나요?",
                                   "천안에서 열린 회이는 무엇인가요?"])
def test_a_question_with_enough_answers_gets_no_did_you_mean(tiny: Index, query: str) -> None:
    results = tiny.search(query)
    assert results.mode == "any" and len(results) >= 3
    assert results.suggestion is None
    assert "suggestion" not in [n.kind for n in notices(results)]


def test_a_short_latin_word_is_not_taken_for_a_typo() -> None:
    vocab = Vocabulary([("tv", 10), ("to", 1), ("un", 9), ("uk", 1), ("nvidia", 9),
                        ("nvidai", 1)])
    assert suggestion(vocab, "to") is None
    assert suggestion(vocab, "uk") is None
    assert suggestion(vocab, "nvidai") == "nvidia"


@pytest.mark.parametrize("clause", ["date:abc", "date:2025-13", "date:>2025",
                                    "date:[abc TO 2025]", "date:2025.02.29"])
def test_a_date_that_names_no_date_is_left_out_and_named(tiny: Index, clause: str) -> None:
    """It was read as a query matching nothing, so the search found no document, silently."""
    results = tiny.search(f"{clause} 천안함")
    assert [h.id for h in results] == ["t3"]
    assert results.error == (
        f"{clause}: not a date (write date:2025, date:2025-11, date:2025-11-03 or "
        "date:[2025-01 TO 2025-06]); searched without it")
    assert [n.kind for n in notices(results)] == ["note"]


def test_a_readable_date_still_filters(tiny: Index) -> None:
    assert sorted(h.id for h in tiny.search("date:2025-03 회의")) == ["t1", "t2"]
    assert tiny.search("date:[2025-04 TO] 호두").error is None
    assert [h.id for h in tiny.search("date:[2025-04 TO] 호두")] == ["t4"]
    assert [h.id for h in tiny.search("date:[TO 2025-03] 호두")] == []


def test_a_pasted_page_that_finds_nothing_is_not_repeated_whole(tiny: Index) -> None:
    query = "표적" + " 쿼크" * 3000  # 9,002 characters no document holds
    [notice] = notices(tiny.search(query, forgiving=False))
    assert notice.text == f"No document matches {query[:80]}… (9,002 characters)."

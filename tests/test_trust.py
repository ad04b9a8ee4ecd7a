"""Results a user can trust (issue 14): the ordering contract for every forgiving rule, alias
names of several words matched and marked as phrases, facets in every mode, and notices that
say only what is true. All on the sample corpus, where sample-009 is the one article that
writes Nvidia and never 엔비디아."""

from __future__ import annotations

import pytest

from search import Index, Results, Rewrite
from search.forgiving import apply_rewrites
from search.notices import counted, notices

NVIDIA_EXACT_FIRST = ["sample-008", "sample-011", "sample-013", "sample-007", "sample-009"]
"""Every article that says 엔비디아, then sample-009 (only Nvidia)."""


def ids(results: Results) -> list[str]:
    return [h.id for h in results]


def facets(results: Results) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    return ([(f.value, f.count) for f in results.sources],
            [(f.value, f.count) for f in results.months])


# -- ordering contract ----------------------------------------------------------------------


@pytest.mark.parametrize(("query", "rule"), [
    ("엔비디아", "alias"),
    ("ㅇㅂㄷㅇ", "choseong"),
    ("dpsqleldk", "keyboard"),
    ("엔비디야", "typo"),
    ("엔비 디아", "spacing"),
])
def test_typed_or_corrected_matches_come_before_alias_only_ones(idx: Index, query: str,
                                                                rule: str) -> None:
    """Each rule that reads the query as 엔비디아 ranks the Nvidia-only article last."""
    results = idx.search(query, limit=12)
    assert [r.rule for r in results.rewrites][0] == rule
    assert ids(results) == NVIDIA_EXACT_FIRST
    assert results.mode == "all"


def test_a_corrected_word_among_others_keeps_the_tiers(idx: Index) -> None:
    """엔비디아 수츨: the three articles with 엔비디아 and 수출, then the Nvidia one with 수출
    (alias); articles that share only some words are not added, as some articles have every
    word corrected."""
    results = idx.search("엔비디아 수츨", limit=12)
    assert [(r.rule, r.replacement) for r in results.rewrites] == [
        ("typo", "수출"), ("alias", "Nvidia")]
    assert ids(results) == ["sample-011", "sample-013", "sample-007", "sample-009"]
    assert results.mode == "all"


def test_with_no_article_holding_every_word_corrected_some_words_are_of_the_correction(
        idx: Index) -> None:
    """엔비디야 팬데믹: no article has 엔비디아 and 팬데믹, so those that share some words come,
    of the query as corrected: the articles with 엔비디아, none for the pieces Kiwi makes of
    the misspelt 엔비디야."""
    results = idx.search("엔비디야 팬데믹", limit=12)
    assert [r.rule for r in results.rewrites][0] == "typo"
    assert results.mode == "any"
    assert set(ids(results)) >= set(NVIDIA_EXACT_FIRST) - {"sample-009"}


def test_a_suggestion_is_offered_not_applied(idx: Index) -> None:
    """A "did you mean" changes nothing by itself; searched, it follows the same contract."""
    results = idx.search("엔비디아 공정", limit=12)
    assert results.suggestion == "엔비디아 공장"
    assert [r.rule for r in results.rewrites] == ["alias"]
    assert ids(results) == ["sample-008", "sample-010", "sample-020", "sample-011",
                            "sample-013", "sample-007"]
    assert ids(idx.search("엔비디아 공장")) == ["sample-011"]


def test_every_word_through_an_alias_beats_some_words_as_typed(idx: Index) -> None:
    """No article has both WAICO and 사설; the one with 사설 and the Korean name comes first."""
    assert ids(idx.search("WAICO 사설")) == ["sample-003", "sample-002", "sample-029", "sample-001"]


def test_date_order_stays_newest_first_across_tiers(idx: Index) -> None:
    results = idx.search("엔비디야", sort="date")
    dates = [h.date for h in results]
    assert ids(results) == ["sample-011", "sample-008", "sample-007", "sample-013", "sample-009"]
    assert dates == sorted(dates, reverse=True)  # type: ignore[type-var]


# -- phrase aliases -------------------------------------------------------------------------


def test_an_alias_of_several_morphemes_is_searched_as_a_phrase() -> None:
    found = [Rewrite("alias", "WAICO", "세계인공지능협력기구"), Rewrite("alias", "WAICO", "AI")]
    assert apply_rewrites("WAICO 출범", found) == '(WAICO OR "세계인공지능협력기구" OR AI) 출범'


def test_a_phrase_alias_is_marked_only_where_it_stands(idx: Index) -> None:
    """WAICO marks the whole Korean and English names, never a lone 세계, 협력 or 기구."""
    results = idx.search("WAICO")
    marks = {h.id: [s.text[a:b] for s in h.snippets for a, b in s.marks] for h in results}
    assert marks == {
        "sample-002": ["WAICO", "WAICO"],
        "sample-029": ["WAICO"],
        "sample-001": ["세계 인공지능 협력기구",
                       "World Artificial Intelligence Cooperation Organization", "WAICO"],
        "sample-003": ["세계인공지능협력기구", "세계인공지능협력기구"],
        "sample-004": ["세계 인공지능 협력기구", "세계 인공지능 협력기구"],
    }
    titles = {h.id: [h.title[a:b] for a, b in h.title_marks] for h in results}
    assert titles["sample-001"] == [] and titles["sample-004"] == []


@pytest.mark.parametrize(("doc_id", "expected"), [
    ("sample-001", ["세계 인공지능 협력기구",
                    "World Artificial Intelligence Cooperation Organization", "WAICO"]),
    ("sample-004", ["세계 인공지능 협력기구", "세계 인공지능 협력기구"]),
])
def test_a_phrase_alias_counts_as_one_match_in_the_preview(idx: Index, doc_id: str,
                                                           expected: list[str]) -> None:
    doc = idx.document(doc_id, "WAICO")
    assert doc is not None
    assert [doc.body[a:b] for a, b in doc.body_marks] == expected


def test_a_typed_name_with_an_alias_is_marked_as_the_name(idx: Index) -> None:
    """미국 항공우주국 (alias NASA) marks the name, not every 미국 or 항공 in the article."""
    doc = idx.document("sample-042", "미국 항공우주국")
    assert doc is not None
    assert [doc.body[a:b] for a, b in doc.body_marks] == ["미국 항공우주국", "NASA"]
    hit = idx.search("미국 항공우주국")[0]
    assert hit.id == "sample-042"
    assert [hit.title[a:b] for a, b in hit.title_marks] == ["미국 항공우주국"]


# -- facets in every mode -------------------------------------------------------------------


def test_a_question_has_facets(idx: Index) -> None:
    results = idx.search("WAICO를 제안한 사람은?")
    assert (results.mode, results.kind, results.total) == ("any", "question", 13)
    assert facets(results) == (
        [("과학기술신문", 3), ("국제뉴스통신", 3), ("한빛일보", 3), ("경제투데이", 2),
         ("산업연구원 보고서", 2)],
        [("2024-01", 1), ("2024-08", 1), ("2024-12", 1), ("2025-06", 1), ("2025-11", 5),
         ("2025-12", 1), ("2026-03", 1), ("2026-06", 1), ("2026-10", 1)])


@pytest.mark.parametrize("query", ["엔비디야", "ㅇㅂㄷㅇ"])
def test_a_rewritten_query_has_facets_of_every_match(idx: Index, query: str) -> None:
    assert facets(idx.search(query)) == (
        [("경제투데이", 1), ("과학기술신문", 1), ("국제뉴스통신", 1), ("정책브리핑", 1),
         ("한빛일보", 1)],
        [("2024-12", 1), ("2025-01", 1), ("2025-07", 1), ("2025-08", 1), ("2025-10", 1)])


def test_partial_matches_have_facets(idx: Index) -> None:
    results = idx.search("엔비디아 삼성")
    assert (results.mode, results.total) == ("any", 4)
    assert sum(f.count for f in results.sources) == 4
    assert [f.value for f in results.months] == ["2025-01", "2025-07", "2025-08", "2025-10"]


# -- notices --------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "expected"), [
    ("엔비디야", [("corrected", "Showing results for 엔비디아 (typo: 엔비디야 → 엔비디아)"),
                 ("also", "Also searched Nvidia (for 엔비디아)")]),
    ("인공지눙", [("corrected", "Showing results for 인공지능 (typo: 인공지눙 → 인공지능)")]),
    ("엔비디아 삼성", [("also", "Also searched Nvidia (for 엔비디아)"),
                     ("partial", "No document has every word: ranked by how many of them "
                                 "each holds.")]),
    ("WAICO를 제안한 사람은?", [("ranked", "Ranked by the words each document shares with the "
                                        "query (some may hold only some of them).")]),
    ("엔비댜", [("nothing", "No document matches 엔비댜.")]),
    ("엔비디아 공정", [("also", "Also searched Nvidia (for 엔비디아)"),
                     ("partial", "No document has every word: ranked by how many of them "
                                 "each holds."),
                     ("suggestion", "Did you mean 엔비디아 공장?")]),
    ("엔비디아 협력", [("also", "Also searched Nvidia (for 엔비디아)")]),
])
def test_notices_say_only_what_is_true(idx: Index, query: str,
                                       expected: list[tuple[str, str]]) -> None:
    """No "every word" claim for questions, corrections or zero results; a correction is
    said once (no "did you mean" repeating it)."""
    assert [(n.kind, n.text) for n in notices(idx.search(query))] == expected


def test_a_correction_is_not_suggested_again(idx: Index) -> None:
    results = idx.search("엔비디야")
    assert results.suggestion is None


def test_a_failure_is_the_only_notice() -> None:
    results = Results("탄소", (), 0, failure="search failed (ValueError: boom)",
                      rewrites=(Rewrite("alias", "탄소", "carbon"),))
    assert [(n.kind, n.text) for n in notices(results)] == [
        ("failure", "The search failed: search failed (ValueError: boom)")]


def test_notice_parts_are_data() -> None:
    """Text from the query is a `term` part, never markup."""
    results = Results("[bold]x[/bold]", (), 0)
    assert notices(results)[0].parts == (("text", "No document matches "),
                                         ("term", "[bold]x[/bold]"), ("text", "."))


@pytest.mark.parametrize(("n", "expected"), [(0, "0 documents"), (1, "1 document"),
                                             (2, "2 documents"), (1200, "1,200 documents")])
def test_counts_are_singular_for_one(n: int, expected: str) -> None:
    assert counted(n, "document") == expected

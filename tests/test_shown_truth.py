"""What a search shows is true (issue 14, from a QA pass on Wikinews): a word written apart and
joined by the spacing rule brings no articles that hold only its pieces, a query of which the
analyzer keeps nothing is still joined when it can be, and each "nothing found" notice says why.

On a tiny index of five articles written for these tests: one names 반기문, one holds 반 only as
"세 시 반", one 천안함, one the city 천안, one 대통령."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest

from index import index_paths
from search import Index, Results, open_index
from search.notices import notices

ARTICLES = [
    ("t1", "반기문 전 총장, 기후 회의에서 연설",
     "반기문 전 유엔 사무총장이 서울에서 열린 기후 회의에서 연설했다. 그는 각국의 협력을 당부했다.",
     "2025-03-02", "한빛일보"),
    ("t2", "시청 예산 회의 마쳐",
     "시청 예산 회의는 오후 세 시 반에 끝났다. 참석자들은 내년 예산안을 검토했다.",
     "2025-03-04", "누리신문"),
    ("t3", "천안함 추모식 열려",
     "천안함 추모식이 평택에서 열렸다. 유가족과 장병들이 참석해 헌화했다.",
     "2025-03-26", "누리신문"),
    ("t4", "천안 호두 축제 개막",
     "천안 시내에서 호두 축제가 열렸다. 시민들이 거리 공연을 즐겼다.",
     "2025-04-12", "한빛일보"),
    ("t5", "대통령, 경제 회의 주재",
     "대통령이 경제 회의를 주재하고 수출 대책을 논의했다.",
     "2025-05-01", "한빛일보"),
]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    base = tmp_path_factory.mktemp("shown")
    source = base / "articles.jsonl"
    source.write_text("".join(json.dumps({
        "id": i, "title": title, "body": body, "date": date, "source": src,
        "url": f"https://example.org/{i}", "tags": []}, ensure_ascii=False) + "\n"
        for i, title, body, date, src in ARTICLES), encoding="utf-8")
    report = index_paths([source], base / "index")
    assert (report.added, report.failed) == (5, 0)
    with open_index(base / "index") as index:
        yield index


def ids(results: Results) -> list[str]:
    return [h.id for h in results]


def said(results: Results) -> list[tuple[str, str]]:
    return [(n.kind, n.text) for n in notices(results)]


# -- a spacing correction ---------------------------------------------------------------------


def test_a_joined_word_brings_no_article_with_only_its_pieces(tiny: Index) -> None:
    """'반 기문' is read as 반기문; t2 holds 반 ("세 시 반") but not 반기문, so it is not shown."""
    results = tiny.search("반 기문")
    assert [(r.rule, r.replacement) for r in results.rewrites] == [("spacing", "반기문")]
    assert (ids(results), results.total, results.mode) == (["t1"], 1, "all")
    assert said(results) == [("corrected", "Showing results for 반기문 (spacing: 반 기문 → 반기문)")]


def test_as_typed_the_pieces_still_find_some_words(tiny: Index) -> None:
    """Without forgiving rules nothing is joined: the pieces rank by shared words, said so."""
    results = tiny.search("반 기문", forgiving=False)
    assert (ids(results), results.mode) == (["t2"], "any")


def test_words_the_analyzer_reads_as_grammar_are_still_joined(tiny: Index) -> None:
    """'천안 함' reads as a numeral, an adverb and 하다 (nothing to search) but joins to 천안함."""
    results = tiny.search("천안 함")
    assert [(r.rule, r.replacement) for r in results.rewrites] == [("spacing", "천안함")]
    assert (ids(results), results.mode) == (["t3"], "all")
    assert said(results) == [("corrected", "Showing results for 천안함 (spacing: 천안 함 → 천안함)")]


# -- notices ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "forgiving", "expected"), [
    ("천안 함", False, "Nothing to search for in 천안 함: the analyzer reads no word to search for "
                       "in it (particles, endings, adverbs and the like are not indexed)."),
    ("그리고 또", True, "Nothing to search for in 그리고 또: the analyzer reads no word to search "
                       "for in it (particles, endings, adverbs and the like are not indexed)."),
    ("-대통령", True, "The query only excludes words: add a word to search for."),
    ("", True, "The query has no words to search for."),
])
def test_a_query_with_nothing_to_search_says_why(tiny: Index, query: str, forgiving: bool,
                                                 expected: str) -> None:
    results = tiny.search(query, forgiving=forgiving)
    assert (results.total, results.mode) == (0, "none")
    assert said(results) == [("nothing", expected)]


@pytest.mark.parametrize(("filters", "expected"), [
    ({"sources": "없는곳"}, "1 document matches 대통령, but the date or source filters exclude it."),
    ({"sources": "누리신문"}, "1 document matches 대통령, but the date or source filters exclude it."),
    ({"since": dt.date(2025, 6, 1)},
     "1 document matches 대통령, but the date or source filters exclude it."),
    ({}, None),
])
def test_filters_that_exclude_every_match_are_named(tiny: Index, filters: dict[str, object],
                                                    expected: str | None) -> None:
    results = tiny.search("대통령", **filters)  # type: ignore[arg-type]
    if expected is None:
        assert ids(results) == ["t5"]
        assert said(results) == []
    else:
        assert results.total == 0
        assert said(results) == [("nothing", expected)]


def test_filters_name_every_match_they_exclude(tiny: Index) -> None:
    results = tiny.search("회의", sources="없는곳")
    assert said(results) == [
        ("nothing", "3 documents match 회의, but the date or source filters exclude them.")]


def test_only_a_query_nothing_matches_unfiltered_says_no_document_matches(tiny: Index) -> None:
    results = tiny.search("천안함", sources="한빛일보", forgiving=False)
    assert (results.total, results.unfiltered) == (0, 1)
    assert said(results) == [
        ("nothing", "1 document matches 천안함, but the date or source filters exclude it.")]
    results = tiny.search("zzqx", sources="한빛일보", forgiving=False)
    assert results.unfiltered == 0
    assert said(results) == [("nothing", "No document matches zzqx.")]


@pytest.mark.parametrize("query", ["(대통령 OR", "대통령 AND", "OR 대통령 AND", "NOT 호두 대통령 NOT"])
def test_an_operator_that_joins_nothing_is_dropped(tiny: Index, query: str) -> None:
    """An operator that joins nothing is dropped, not searched as the word "or" that no
    document holds (which made every result a partial match of the query)."""
    results = tiny.search(query, forgiving=False)
    assert (ids(results), results.mode) == (["t5"], "all")
    assert said(results) == []


def test_without_an_operator_read_as_a_word_nothing_is_named(tiny: Index) -> None:
    results = tiny.search("천안함 호두", forgiving=False)
    assert (ids(results), results.mode) == (["t3", "t4"], "any")
    assert said(results) == [("partial", "No document has every word: ranked by how many of "
                                         "them each holds.")]


def test_json_says_how_many_the_filters_excluded(tiny: Index) -> None:
    from tui.output import results_json
    doc = json.loads(results_json(tiny.search("대통령", sources="없는곳")))
    assert (doc["total"], doc["unfiltered"]) == (0, 1)
    assert "unfiltered" not in json.loads(results_json(tiny.search("대통령")))

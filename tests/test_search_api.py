"""The library search API on the sample corpus: what queries find, how they rank, exact marks,
query syntax, filters, facets, documents, statistics, and that no query text makes it fail."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.sample import SAMPLE_FILE
from search import Aliases, Index, IndexOpenError, QueryReading, Results, open_index
from search.highlight import snippets

ARTICLES = {d["id"]: d for d in map(orjson.loads, SAMPLE_FILE.read_bytes().splitlines())}


def found(results: Results) -> set[str]:
    return {h.id for h in results}


def marked(results: Results) -> list[str]:
    """Every marked passage of every snippet of every hit."""
    return [s.text[a:b] for h in results for s in h.snippets for a, b in s.marks]


@pytest.fixture(scope="module")
def shared_idx(sample_index: Path) -> Iterator[Index]:
    with open_index(sample_index) as index:
        yield index


# -- what queries find ----------------------------------------------------------------------


def test_acronym_finds_gloss_and_bare_use(idx: Index) -> None:
    results = idx.search("WAICO", forgiving=False)
    assert {"sample-001", "sample-002"} <= found(results)
    assert set(marked(results)) == {"WAICO"}


def test_aliases_add_articles_after_exact_matches(idx: Index) -> None:
    """An acronym also finds the articles that only use its gloss, ranked after exact ones."""
    exact = [h.id for h in idx.search("WAICO", forgiving=False)]
    wider = idx.search("WAICO")
    assert [h.id for h in wider][: len(exact)] == exact
    assert "sample-003" in found(wider)  # says only 세계인공지능협력기구
    assert any(r.rule == "alias" for r in wider.rewrites)
    assert idx.search("Nvidia")[0].id == "sample-009"
    assert {"sample-008", "sample-011"} <= found(idx.search("Nvidia"))  # only 엔비디아
    assert {"sample-035", "sample-036"} <= found(idx.search("IAEA"))  # 036: 국제원자력기구 only


@pytest.mark.parametrize(("query", "rule", "replacement", "expected"), [
    ("ㅅㅈㅍ", "choseong", "시진핑", "sample-001"),
    ("tlwlsvld", "keyboard", "시진핑", "sample-001"),
    ("반도채", "typo", "반도체", "sample-010"),
    ("탄소중닙", "typo", "탄소중립", "sample-018"),
])
def test_forgiving_rules_say_what_fired(idx: Index, query: str, rule: str, replacement: str,
                                        expected: str) -> None:
    results = idx.search(query)
    assert (rule, replacement) in [(r.rule, r.replacement) for r in results.rewrites]
    assert expected in found(idx.search(query, limit=50))
    assert idx.search(query, forgiving=False).rewrites == ()


@pytest.mark.parametrize("query", ["엔비디아", "엔비디아가", "엔비디아는", "엔비디아의"])
def test_name_with_or_without_particle(idx: Index, query: str) -> None:
    results = idx.search(query, forgiving=False)
    assert found(results) == {"sample-007", "sample-008", "sample-011", "sample-013"}
    assert results.mode == "all"
    assert set(marked(results)) == {"엔비디아"}  # never 엔비디아가


@pytest.mark.parametrize("query", ["Nvidia", "nvidia", "NVIDIA", "ＮＶＩＤＩＡ"])
def test_latin_name_any_case_or_width(idx: Index, query: str) -> None:
    results = idx.search(query, forgiving=False)
    assert found(results) == {"sample-007", "sample-009"}
    assert results[0].id == "sample-009"
    assert set(marked(results)) == {"Nvidia"}


def test_title_marks(idx: Index) -> None:
    hits = {h.id: h for h in idx.search("엔비디아")}
    assert hits["sample-008"].title_marks == ((0, 4),)
    assert hits["sample-007"].title_marks == ()
    hit = {h.id: h for h in idx.search("APEC")}["sample-028"]
    assert [hit.title[a:b] for a, b in hit.title_marks] == ["ＡＰＥＣ"]


@pytest.mark.parametrize("query", ["탄소중립기본법", "탄소중립 기본법", "탄소 중립 기본법"])
def test_compound_with_or_without_spaces(idx: Index, query: str) -> None:
    results = idx.search(query)
    assert found(results) == {"sample-018", "sample-019", "sample-020"}
    if query == "탄소중립기본법":
        assert results[0].id == "sample-018"  # written joined, like the query


@pytest.mark.parametrize(("query", "doc_id", "surface"), [
    ("1,800만", "sample-027", "1,800만"),
    ("1800만", "sample-028", "1800만"),
    ("18억", "sample-022", "１８억"),
    ("深圳", "sample-027", "深圳"),
    ("習近平", "sample-001", "習近平"),
    ("APEC", "sample-028", "ＡＰＥＣ"),
])
def test_numbers_hanja_and_full_width_are_marked_as_written(
        idx: Index, query: str, doc_id: str, surface: str) -> None:
    assert doc_id in found(idx.search(query))
    doc = idx.document(doc_id, query)
    assert doc is not None
    assert surface in {doc.body[a:b] for a, b in doc.body_marks}


def test_person_name_written_with_a_space(idx: Index) -> None:
    assert found(idx.search("젠슨 황")) == {"sample-007", "sample-008", "sample-011"}


def test_company_name_inside_compound(idx: Index) -> None:
    assert found(idx.search("네이버")) == {"sample-011", "sample-016"}


# -- query syntax ---------------------------------------------------------------------------


def test_phrase_requires_adjacency(idx: Index) -> None:
    words = found(idx.search("반도체 수출"))
    phrase = idx.search('"반도체 수출"')
    assert phrase.mode == "all"
    assert found(phrase) < words
    for h in phrase:
        body = ARTICLES[h.id]["title"] + ARTICLES[h.id]["body"]
        assert "반도체 수출" in body or "반도체수출" in body


@pytest.mark.parametrize("query", ["APEC NOT 시진핑", "APEC -시진핑"])
def test_not_excludes(idx: Index, query: str) -> None:
    everything = found(idx.search("APEC"))
    results = idx.search(query)
    assert results.total == len(results.hits) == 5
    assert found(results) < everything
    for doc_id in found(results):
        assert "시진핑" not in ARTICLES[doc_id]["title"] + ARTICLES[doc_id]["body"]
    for doc_id in everything - found(results):
        assert "시진핑" in ARTICLES[doc_id]["title"] + ARTICLES[doc_id]["body"]


def test_or(idx: Index) -> None:
    assert found(idx.search("탄소 OR 엔비디아")) == found(idx.search("탄소")) | found(
        idx.search("엔비디아"))


def test_title_field(idx: Index) -> None:
    results = idx.search("title:APEC")
    assert found(results) == {"sample-001", "sample-005", "sample-025", "sample-027",
                              "sample-028", "sample-029"}
    assert all(h.title_marks for h in results)


def test_source_field(idx: Index) -> None:
    results = idx.search("source:정책브리핑")
    assert results.total == 7
    assert {h.source for h in results} == {"정책브리핑"}


@pytest.mark.parametrize(("query", "expected"), [
    ("date:2025-11", {"sample-001", "sample-002", "sample-005", "sample-020", "sample-025",
                      "sample-027"}),
    ("date:[2024-01 TO 2024-02]", {"sample-018", "sample-033"}),
    ("date:2024-02-28", {"sample-033"}),
    ("date:2025 탄소", {"sample-019", "sample-020"}),
])
def test_date_queries(idx: Index, query: str, expected: set[str]) -> None:
    assert found(idx.search(query, limit=50)) == expected


def test_date_year(idx: Index) -> None:
    results = idx.search("date:2025", limit=50)
    assert results.total == 25
    assert {h.date.year for h in results if h.date} == {2025}


def test_prefix(idx: Index) -> None:
    results = idx.search("반도*", limit=50)
    assert found(results) == found(idx.search("반도체", limit=50))


# -- filters, order, pages, facets ----------------------------------------------------------


def test_since_until_and_sources(idx: Index) -> None:
    assert found(idx.search("APEC", since="2025-11-01", until="2025-11-30")) == {
        "sample-001", "sample-002", "sample-005", "sample-020", "sample-025", "sample-027"}
    assert found(idx.search("APEC", since=dt.date(2026, 1, 1))) == {
        "sample-004", "sample-028", "sample-029"}
    assert found(idx.search("APEC", until=dt.date(2025, 10, 31))) == {"sample-011"}
    assert found(idx.search("APEC", sources=["국제뉴스통신"])) == {
        "sample-001", "sample-004", "sample-025"}
    assert found(idx.search("APEC", sources="정책브리핑")) == {"sample-005", "sample-011"}
    assert found(idx.search("APEC", sources=["정책브리핑", "한빛일보"], since="2025-11-01")) == {
        "sample-005", "sample-027"}


def test_sort_by_date_newest_first(idx: Index) -> None:
    results = idx.search("APEC", sort="date", limit=50)
    dates = [h.date for h in results]
    assert dates == sorted(dates, reverse=True)  # type: ignore[type-var]
    assert results[0].id == "sample-029"
    assert found(results) == found(idx.search("APEC", limit=50))


def test_paging(idx: Index) -> None:
    whole = [h.id for h in idx.search("APEC", limit=9)]
    pages = [idx.search("APEC", limit=3, page=n) for n in (1, 2, 3, 4)]
    assert [h.id for p in pages[:3] for h in p] == whole
    assert [p.total for p in pages] == [10, 10, 10, 10]
    assert [len(p) for p in pages] == [3, 3, 3, 1]
    assert (pages[1].page, pages[1].pagelen) == (2, 3)
    assert idx.search("APEC", limit=3, page=5).hits == ()


@pytest.mark.parametrize(("limit", "page", "used"), [(5000, 1, (1000, 1)), (0, 0, (1, 1)),
                                                      (-3, -2, (1, 1))])
def test_limit_and_page_out_of_range_are_held_and_reported(
        idx: Index, limit: int, page: int, used: tuple[int, int]) -> None:
    results = idx.search("APEC", limit=limit, page=page)
    assert (results.pagelen, results.page) == used
    assert len(results) == min(used[0], 10)


@pytest.mark.parametrize("limit", [1, 10])
def test_facets_sum_to_total(idx: Index, limit: int) -> None:
    results = idx.search("APEC", limit=limit)
    assert results.total == 10
    assert sum(f.count for f in results.sources) == 10
    assert sum(f.count for f in results.months) == 10
    assert results.sources[0].value == "국제뉴스통신"
    assert [f.count for f in results.sources] == sorted((f.count for f in results.sources),
                                                        reverse=True)
    assert [f.value for f in results.months] == ["2025-10", "2025-11", "2026-03", "2026-05",
                                                 "2026-10"]


# -- documents, statistics, suggestions ---------------------------------------------------


def test_document_with_marks(idx: Index) -> None:
    doc = idx.document("sample-008", "엔비디아가")
    assert doc is not None
    assert doc.body == ARTICLES["sample-008"]["body"]
    assert doc.date == dt.date(2025, 8, 28)
    assert [doc.title[a:b] for a, b in doc.title_marks] == ["엔비디아"]
    assert [doc.body[a:b] for a, b in doc.body_marks] == ["엔비디아"] * 3
    plain = idx.document("sample-008")
    assert plain is not None and plain.body_marks == () and plain.title_marks == ()
    assert idx.document("no-such-id", "엔비디아") is None


def test_document_marks_skip_negated_words(idx: Index) -> None:
    doc = idx.document("sample-001", "WAICO NOT 엔비디아", forgiving=False)
    assert doc is not None
    assert {doc.body[a:b] for a, b in doc.body_marks} == {"WAICO"}
    # Forgiving: the glossed Korean name of WAICO is marked too, the negated word never.
    doc = idx.document("sample-001", "WAICO NOT 엔비디아")
    assert doc is not None
    marked_words = {doc.body[a:b] for a, b in doc.body_marks}
    assert "WAICO" in marked_words and "엔비디아" not in marked_words


def test_stats(idx: Index) -> None:
    stats = idx.stats()
    assert stats.documents == idx.doc_count == 44
    assert sum(f.count for f in stats.sources) == 44
    assert stats.sources[0].value == "경제투데이" and stats.sources[0].count == 8
    assert (stats.first_date, stats.last_date) == (dt.date(2024, 1, 25), dt.date(2026, 10, 8))
    assert stats.format_version == 1
    assert stats.created_by.startswith("kosearch ")
    assert stats.size_bytes > 0


def test_suggestion_for_one_jamo_typo(idx: Index) -> None:
    results = idx.search("반도채", forgiving=False)
    assert results.suggestion == "반도체"
    assert idx.search("반도체", forgiving=False).suggestion is None


def test_explain(idx: Index) -> None:
    text = idx.explain("엔비디아가 NOT 탄소")
    assert "mode:   all" in text
    assert "terms:  엔비디아가 엔비디아\n" in text  # the glued form and its alternative
    assert "NOT" in text


def test_open_index_uses_kosearch_index(sample_index: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOSEARCH_INDEX", str(sample_index))
    with open_index() as index:
        assert index.doc_count == 44 and not index.is_sample


# -- any text is accepted ------------------------------------------------------------------


PARAGRAPH = ARTICLES["sample-035"]["body"][:300]
BAD_QUERIES = {
    "open-quote": '"탄소 국경', "open-paren": "(탄소 중립", "close-paren": "탄소 중립)",
    "and": "AND", "or": "OR", "not": "NOT", "minus": "-", "plus": "+", "trailing-and": "탄소 AND",
    "leading-or": "OR 탄소", "emoji": "😀", "emoji-pair": "📈📈", "empty": "", "spaces": "   ",
    "hangul-10000": "가" * 10_000, "latin-10000": "x" * 10_000,
    "control-chars": "\x00\x01\x02탄소\x07\x1b[31m", "title-colon": "title:", "date-open": "date:[",
    "date-close": "date:]", "date-word": "date:abc", "date-open-range": "date:[2025 TO",
    "star": "*", "question": "?", "caret": "^", "tilde": "~", "backslash": "\\", "quote": '"',
    "apostrophe": "'", "colon": ":", "unknown-field": "foo:bar", "title-paren": "title:(",
    "stored-field": "url:x", "line-separators": "\u2028\u2029", "lone-surrogate": "\ud800",
    "fuzzy": "탄소~", "boost": "탄소^2", "single-quotes": "'탄소 중립'",
}


def well_formed(results: Results, query: str) -> None:
    assert isinstance(results, Results)
    assert results.query == query
    assert results.mode in ("all", "any", "none")
    assert results.total >= len(results.hits)
    assert results.failure is None, results.failure  # query text is never a fault
    for hit in results:
        for a, b in hit.title_marks:
            assert 0 <= a < b <= len(hit.title)
        for snippet in hit.snippets:
            for a, b in snippet.marks:
                assert 0 <= a < b <= len(snippet.text)


@pytest.mark.parametrize("query", list(BAD_QUERIES.values()), ids=list(BAD_QUERIES))
def test_bad_queries_return_results(shared_idx: Index, query: str) -> None:
    results = shared_idx.search(query)
    well_formed(results, query)


@pytest.mark.parametrize("query", ["[a TO b]", "{1 TO 2}", "[TO}", "x:[a TO b]"])
def test_range_on_default_field_is_read_as_words(shared_idx: Index, query: str) -> None:
    results = shared_idx.search(query)
    well_formed(results, query)


@pytest.mark.parametrize("query", ["date:[a TO b]", "date:[9999999 TO]"])
def test_syntax_not_understood_is_a_notice_not_a_failure(shared_idx: Index, query: str) -> None:
    results = shared_idx.search(query)
    assert results.error == (f"{query}: not a date (write date:2025, date:2025-11, "
                             "date:2025-11-03 or date:[2025-01 TO 2025-06]); searched without it")
    assert results.failure is None


def test_an_internal_fault_is_a_failure_and_logged(idx: Index, monkeypatch: pytest.MonkeyPatch,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    """A bug in the engine is not "no results" and not a query syntax notice: `failure` says
    what broke, the log has the traceback, and the next search works again."""
    from search.engine import Engine

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("injected")

    monkeypatch.setattr(Engine, "run", broken)
    with caplog.at_level("ERROR", logger="search"):
        results = idx.search("반도체")
    assert (results.failure, results.error, results.hits, results.total) == (
        "search failed (RuntimeError: injected)", None, (), 0)
    (record,) = [r for r in caplog.records if r.name == "search.api"]
    assert record.getMessage() == f"search failed for the query '반도체' in {idx.path}"
    assert record.exc_info is not None and record.exc_info[0] is RuntimeError
    monkeypatch.undo()
    assert idx.search("반도체").total > 0


def test_pasted_paragraph_ranks_by_shared_words(shared_idx: Index) -> None:
    results = shared_idx.search(PARAGRAPH)
    assert len(PARAGRAPH) == 300
    assert results.mode == "any"
    assert results.hits and results[0].id == "sample-035"


def test_empty_query(shared_idx: Index) -> None:
    results = shared_idx.search("")
    assert (results.mode, results.total, results.hits) == ("none", 0, ())


SYNTAX = st.sampled_from(['"', "(", ")", "[", "]", "{", "}", ":", "*", "?", "~", "^", "+", "-",
                          "\\", "/", " AND ", " OR ", " NOT ", " TO ", "title:", "body:",
                          "source:", "date:", "date:2025-11", "탄소", "엔비디아가", "APEC",
                          "ＡＰＥＣ", "1,800만", "習近平", "😀", "\r\n", "\x00", " "])
QUERIES = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(SYNTAX, st.text(max_size=4)), max_size=12).map("".join),
)


@settings(max_examples=200, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(query=QUERIES)
def test_search_never_raises(shared_idx: Index, query: str) -> None:
    well_formed(shared_idx.search(query, limit=5), query)


@given(query=QUERIES)
@settings(max_examples=50, deadline=None, database=None)
def test_explain_and_document_never_raise(shared_idx: Index, query: str) -> None:
    assert isinstance(shared_idx.explain(query), str)
    doc = shared_idx.document("sample-001", query)
    assert doc is not None
    for a, b in doc.body_marks:
        assert 0 <= a < b <= len(doc.body)


class _CountedMark(tuple):  # type: ignore[type-arg]
    """A mark that counts how often its fields are read."""

    reads = 0

    def __getitem__(self, key):  # type: ignore[no-untyped-def]
        _CountedMark.reads += 1
        return tuple.__getitem__(self, key)


@pytest.mark.parametrize("n", [400, 4000])
def test_snippets_read_each_mark_a_bounded_number_of_times(n: int) -> None:
    """Choosing passages among thousands of marks of one word stays linear in the marks:
    a window search that rescanned the marks from every anchor would read each one
    thousands of times."""
    text = "정부 발표 " * n
    marks = [_CountedMark((i * 6, i * 6 + 2, "정부")) for i in range(n)]
    _CountedMark.reads = 0
    result = snippets(text, marks)
    assert len(result) == 3
    assert all({piece.text[a:b] for a, b in piece.marks} == {"정부"} for piece in result)
    assert _CountedMark.reads < 20 * n, _CountedMark.reads


def test_snippets_around_a_mark_longer_than_the_window() -> None:
    """A matched token longer than the snippet (a long Latin compound) with one of its parts
    matched too gives a passage showing the part."""
    text = "가" * 50 + "x" * 150 + " 반도체 수출 " + "나" * 100
    marks = [(50, 200, "x" * 150), (60, 63, "xxx")]
    result = snippets(text, marks, width=120)
    shown = [(s.start + a, s.start + b) for s in result for a, b in s.marks]
    assert any(a <= 60 and 63 <= b for a, b in shown), shown


def test_document_marks_what_a_corrected_query_matched(idx: Index) -> None:
    """The preview marks the corrected word, as the snippets of the search did."""
    doc = idx.document("sample-010", "반도채")
    assert doc is not None and doc.body_marks
    assert {doc.body[a:b] for a, b in doc.body_marks} == {"반도체"}
    assert idx.document("sample-010", "반도채", forgiving=False).body_marks == ()


def test_question_with_quoted_name_ranks_by_shared_words(shared_idx: Index) -> None:
    """Questions quote names; the quotes must not turn them into an all-words phrase query."""
    results = shared_idx.search('"WAICO" 설립을 제안한 나라는 어디인가?')
    assert results.mode == "any"
    assert results.hits and results.hits[0].id in {"sample-001", "sample-002"}


def test_question_mark_ending_a_word_is_not_a_wildcard(shared_idx: Index) -> None:
    assert found(shared_idx.search("WAICO?", forgiving=False)) == found(
        shared_idx.search("WAICO", forgiving=False))


def test_snippets_end_between_words(shared_idx: Index) -> None:
    """A snippet cut inside the text stops after a word or a sentence, not in the middle of one."""
    for hit in shared_idx.search("AI", limit=20):
        body = shared_idx.document(hit.id).body  # type: ignore[union-attr]
        for snippet in hit.snippets:
            end = snippet.start + len(snippet.text)
            assert end == len(body) or not body[end - 1].isspace() and (
                body[end].isspace() or body[end - 1] in ".,)…"), (hit.id, snippet.text[-10:])


def test_process_words_do_not_change_an_open_index(shared_idx: Index) -> None:
    """An open index reads queries with the words it was analysed with (none here), whatever
    words the process default analyzer has (tests/test_analyzer.py has the other side)."""
    from index.analysis import set_user_words, user_words

    saved = user_words()
    try:
        set_user_words([("알고리즘 주권", "NNP")])
        assert "알고리즘주권" not in shared_idx.parse("알고리즘 주권 논쟁").terms
    finally:
        set_user_words(saved)
    assert "알고리즘주권" not in shared_idx.parse("알고리즘 주권 논쟁").terms


@pytest.mark.parametrize(("query", "expected"), [
    ("최저임금위원회", "sample-040"),  # the document's analysis split the word; its words view not
    ("과기정통부", "sample-016"),
    ("오리온 우주선", "sample-043"),
    ("처리수", "sample-036"),
    ("탄소중닙 기본법", "sample-018"),  # a typo next to a word that matches: still corrected
    ("반도채 특별법", "sample-012"),
    ("ㅂㄷㅊ 특별법", "sample-012"),
    ("WAICO 사설", "sample-003"),  # every word only through an alias beats some words as typed
    ("고대역폭메모리 특별법", "sample-012"),
    ("보문 관광단지", "sample-005"),
    ("세계 인공지능 협력기구 전문가", "sample-002"),  # a long name is not a pasted passage
])
def test_found_by_hand_in_the_capability_review(idx: Index, query: str, expected: str) -> None:
    """Cases a user expects to work that once failed (found while writing the capability table)."""
    assert expected in [h.id for h in idx.search(query)][:3]


def test_a_counter_glued_to_a_number_or_spaced_from_it_finds_both(tmp_path: Path) -> None:
    """`1800만명` and `1,800만 명` are one number of people written two ways: each finds the
    other, the number alone finds both, and a different counter is not the same number."""
    from index import index_paths

    docs = [{"id": "glued", "title": "인구 통계", "body": "도시 인구는 1800만명을 넘었다."},
            {"id": "spaced", "title": "인구 통계", "body": "도시 인구는 1,800만 명을 넘었다."},
            {"id": "dollars", "title": "예산", "body": "사업 예산은 1800만 달러로 늘었다."}]
    (tmp_path / "d.jsonl").write_bytes(b"\n".join(orjson.dumps(d) for d in docs))
    index_paths([tmp_path / "d.jsonl"], tmp_path / "index")
    with open_index(tmp_path / "index") as index:
        def ids(query: str) -> set[str]:
            return {hit.id for hit in index.search(query, forgiving=False).hits}

        assert ids("1800만명") == {"glued", "spaced"}
        assert ids("1,800만 명") == {"glued", "spaced"}
        assert ids("1800만") == {"glued", "spaced", "dollars"}
        assert ids("1800만 달러") == {"dollars"}
        glued = index.search("1,800만 명", forgiving=False).hits
        marked = {h.id: {s.text[a:b] for s in h.snippets for a, b in s.marks} for h in glued}
        assert marked == {"glued": {"1800만명"}, "spaced": {"1,800만", "명"}}, marked


# -- the public surface --------------------------------------------------------------------


def test_parse_returns_data_not_engine_objects(shared_idx: Index) -> None:
    """`Index.parse` says how a query is read with plain, frozen data: no Whoosh query."""
    assert shared_idx.parse('"미국 정부" 발표 -엔비디아') == QueryReading(
        text='"미국 정부" 발표 -엔비디아', mode="all", kind="keywords",
        terms=("미국", "정부", "발표"), phrases=(("미국", "정부"),))
    assert shared_idx.parse("무엇이 바뀌나?") == QueryReading(
        text="무엇이 바뀌나?", mode="any", kind="question", terms=("바뀌",))
    assert shared_idx.parse("   ") == QueryReading(text="", mode="none", kind="keywords",
                                                   terms=())


def test_aliases_are_a_read_only_view(shared_idx: Index) -> None:
    """`Index.aliases` answers questions with copies and offers nothing that changes the
    table searches use."""
    aliases = shared_idx.aliases
    assert isinstance(aliases, Aliases)
    assert aliases.lookup("IAEA") == frozenset({"국제원자력기구"})
    assert aliases.evidence("IAEA") == ("sample-035",)
    assert aliases.pairs()[:2] == (("경제협력개발기구", "OECD", ("sample-022",)),
                                   ("경주", "慶州", ("sample-005",)))
    assert len(aliases) == 17 and aliases
    assert not any(hasattr(aliases, name) for name in ("add", "remove", "use_synonyms", "save"))
    assert type(aliases.lookup("IAEA")) is frozenset and type(aliases.evidence("IAEA")) is tuple


def test_open_index_raises_the_exported_error(tmp_path: Path) -> None:
    """The error `open_index` raises is `search.IndexOpenError`, the same class as
    `index.IndexError_`, so code catching either catches it."""
    import index

    (tmp_path / "notes.txt").write_text("내 메모", encoding="utf-8")
    with pytest.raises(IndexOpenError, match=r"is not a kosearch index \(no kosearch-index.json\)"):
        open_index(tmp_path)
    assert IndexOpenError is index.IndexError_


def test_every_public_name_resolves_and_plumbing_is_off_the_class() -> None:
    import search

    assert sorted(search.__all__) == [
        "Aliases", "Document", "Facet", "Hit", "Index", "IndexOpenError", "IndexStats",
        "MatchMode", "QueryKind", "QueryReading", "Results", "Rewrite", "Snippet", "SortOrder",
        "Span", "default_index_dir", "open_index"]
    assert all(getattr(search, name) is not None for name in search.__all__)
    assert set(search.__all__) <= set(dir(search))
    with pytest.raises(AttributeError, match="module 'search' has no attribute 'Engine'"):
        search.Engine  # noqa: B018
    assert [name for name in ("warm_up", "prefetch", "set_weights") if hasattr(Index, name)] == []


def test_importing_notices_and_types_loads_no_engine() -> None:
    """A front end that only renders results (`search.notices`, `search.types`) imports no
    Whoosh, no Kiwi, no numpy and not the search API."""
    code = ("import sys, search, search.notices, search.types; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('whoosh', 'kiwipiepy', 'numpy', 'index') or m == 'search.api'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    assert out == "[]\n"

"""What a query finds is what the user meant (issue 14, search side): a noun finds the
compounds Kiwi keeps whole after the documents with the noun itself, a compound typed joined
ranks the documents that hold it joined first, a word Kiwi reads without its prefix finds the
whole word first, a word typed short of its last syllable is finished, and `-word` excludes
its aliases as `NOT word` does. On a small corpus written for these tests, with the aliases
given in a synonyms file (what the index learns from glosses is not under test here)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from index import index_paths
from search import Index, Results, open_index
from search.forgiving import rewrites
from search.suggest import Vocabulary

DOCS = [
    ("p01", "비서관 인사 발표", "대통령실은 오늘 새 비서관 두 명의 인사를 발표했다."),
    ("p02", "국회 연설", "대통령은 오늘 국회에서 내년 예산안에 대해 연설했다."),
    ("p03", "정부 조직 개편안", "대통령직인수위원회가 새 정부의 조직 개편안을 내놓았다."),
    ("p04", "국정 과제 발표 예고", "인수위는 다음 주에 국정 과제를 발표한다고 밝혔다."),
    ("p05", "대변인 브리핑", "대통령직 인수위원회 대변인이 오후에 브리핑을 열었다."),
    ("p06", "공장 인수 마무리",
     "회사는 지방 공장 인수를 마쳤고, 노사 위원회는 내일 열린다. 인수 대금은 모두 치렀다."),
    ("p07", "추모식 열려", "유대인 대학살을 기억하는 추모식이 시청 앞에서 열렸다."),
    ("p08", "학살 보고서 공개",
     "전쟁 중 민간인 학살이 있었다는 보고서가 나왔다. 학살 현장은 보존되고 학살 기록도 남는다."),
    ("p09", "시행령 개정", "세부 사항은 대통령령으로 정한다고 법은 규정한다."),
    ("p10", "반도체 수출 증가", "엔비디아 반도체 수출이 크게 늘었다."),
    ("p11", "새 공장 착공", "Nvidia 반도체 공장이 새로 지어진다."),
    ("p12", "수출 실적", "국내 반도체 수출 실적이 나아졌다."),
    ("p13", "배치 결정", "THAAD 배치 결정이 오늘 발표되었다."),
    ("p14", "반대 집회", "사드 배치 반대 집회가 성주에서 열렸다."),
    ("p15", "축구 경기", "카타르 알 사드 스타디움에서 축구 경기가 열렸다."),
    ("p16", "전 대통령 강연", "오바마 전 대통령이 대학에서 강연했다."),
    ("p17", "재단 행사", "오바마 재단이 장학금 행사를 열었다."),
    ("p18", "회고록 출간", "오바마 회고록이 번역되어 나왔다."),
    ("p19", "기념관 개관", "오바마 기념관이 문을 열었다."),
    ("p20", "시장 풍경", "시장 골목에는 오가는 사람이 많았다."),
    ("p21", "다리 위 풍경", "다리 위로 차들이 오가는 모습이 보였다."),
    ("p22", "기록 공개", "난징 대학살 기록이 공개됐다."),
    ("p23", "과태료 기준", "과태료의 부과 기준은 대통령령으로 정한다."),
    ("p24", "임기 규정", "위원의 임기와 수당은 대통령령에 따른다."),
    ("p25", "신고 절차", "신고의 방법과 절차는 대통령령으로 위임되어 있다."),
    ("p26", "수수료 규정", "수수료의 금액은 대통령령이 정하는 바에 따른다."),
]


@pytest.fixture(scope="module")
def idx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    base = tmp_path_factory.mktemp("precision")
    source = base / "docs.jsonl"
    source.write_bytes(b"".join(
        orjson.dumps({"id": i, "title": t, "body": b, "date": f"2025-01-{n + 1:02d}"}) + b"\n"
        for n, (i, t, b) in enumerate(DOCS)))
    report = index_paths([source], base / "index")
    assert (report.added, report.failed) == (len(DOCS), 0)
    data = base / "data"
    (data / "kosearch").mkdir(parents=True)
    (data / "kosearch" / "synonyms.txt").write_text("사드 = THAAD\n엔비디아 = Nvidia\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_DATA_HOME", str(data))
        with open_index(Path(base / "index")) as index:
            assert index.synonyms_error is None
            yield index


def ids(results: Results) -> list[str]:
    return [h.id for h in results]


def marked(results: Results) -> list[tuple[str, list[str]]]:
    """Each hit's id and the marked text of its snippets."""
    return [(h.id, [s.text[a:b] for s in h.snippets for a, b in s.marks]) for h in results]


# -- 1. a noun finds the compounds Kiwi keeps whole, after the noun itself -----------------


def test_a_noun_finds_its_compounds_after_the_noun_itself(idx: Index) -> None:
    """대통령 also finds 대통령실 and 대통령직(인수위원회), each marked, after the two
    documents with 대통령 alone; not 대통령령 (a decree), a word of its own here: none of the
    five documents that cite one names the 대통령."""
    results = idx.search("대통령", limit=20)
    assert (results.mode, results.total) == ("all", 5)
    assert marked(results) == [("p16", ["대통령"]), ("p02", ["대통령"]), ("p01", ["대통령실"]),
                               ("p03", ["대통령직"]), ("p05", ["대통령직"])]


def test_exact_searches_find_the_noun_alone(idx: Index) -> None:
    """Compounds are a forgiving reading: `forgiving=False` (`--exact`) reads none."""
    assert ids(idx.search("대통령", limit=20, forgiving=False)) == ["p16", "p02"]
    assert ids(idx.search("인수위", limit=20, forgiving=False)) == ["p04"]


@pytest.mark.parametrize(("doc_id", "query", "expected"), [
    ("p01", "대통령", ["대통령실"]),
    ("p03", "인수위", ["인수위원회"]),
])
def test_a_whole_document_marks_the_compound_that_found_it(idx: Index, doc_id: str, query: str,
                                                           expected: list[str]) -> None:
    """The preview marks what the result list marked."""
    doc = idx.document(doc_id, query)
    assert doc is not None
    assert [doc.body[a:b] for a, b in doc.body_marks] == expected


def test_a_clipped_name_finds_the_name_in_full(idx: Index) -> None:
    """인수위 is 인수위원회 clipped: both spellings of the full name are found after it."""
    assert marked(idx.search("인수위", limit=20)) == [
        ("p04", ["인수위"]), ("p03", ["인수위원회"]), ("p05", ["인수위원회"])]


def test_a_compound_with_every_other_word_beats_some_words(idx: Index) -> None:
    """No document has 대통령 and 인사; the one with 대통령실 and 인사 holds every word."""
    results = idx.search("대통령 인사", limit=20)
    assert (results.mode, ids(results)) == ("all", ["p01", "p16", "p02"])


@pytest.mark.parametrize(("query", "found"), [
    ("대학", ["p16"]),  # not 대학살: 대/XPN + 학살 is no compound of 대학
    ("오바마", ["p18", "p19", "p16", "p17"]),
])
def test_a_word_that_only_starts_alike_is_no_compound(idx: Index, query: str,
                                                    found: list[str]) -> None:
    assert ids(idx.search(query, limit=20)) == found


# -- 3. a compound typed joined: documents holding it joined first --------------------------


def test_a_joined_compound_ranks_documents_that_hold_it_joined_first(idx: Index) -> None:
    """p06 holds 인수 twice and 위원회 apart: it still matches, after both that hold
    인수위원회 (p03 inside 대통령직인수위원회)."""
    assert marked(idx.search("인수위원회", limit=20)) == [
        ("p05", ["인수위원회"]), ("p03", ["인수위원회"]), ("p06", ["인수", "위원회", "인수"])]


# -- 4. a prefix Kiwi reads apart -----------------------------------------------------------


def test_a_word_read_without_its_prefix_finds_the_whole_word_first(idx: Index) -> None:
    """대학살 alone is 대/XPN + 학살, but Kiwi keeps it whole after 난징 (p22): both documents
    with 대학살 come first, then the one with 학살 only."""
    results = idx.search("대학살", limit=20)
    assert marked(results) == [("p07", ["학살"]), ("p22", ["대학살"]),
                               ("p08", ["학살", "학살", "학살"])]


# -- 2. a word typed short of its last syllable ---------------------------------------------


@pytest.mark.parametrize(("frequencies", "expected"), [
    ({"오바마": 6, "오가": 3}, "오바마"),  # twice as frequent: finished
    ({"오바마": 5, "오가": 3}, "오가"),  # not: the one-jamo change stands
    ({"오바마": 2}, "오바마"),  # nothing one jamo away
    ({"오바마케어": 9, "오가": 2}, "오가"),  # two syllables short is another word
])
def test_a_word_short_of_its_last_syllable_is_finished_when_far_more_frequent(
        frequencies: dict[str, int], expected: str) -> None:
    found = rewrites("오바", Vocabulary(frequencies.items()), known=lambda w: False)
    assert [(r.rule, r.original, r.replacement) for r in found] == [("typo", "오바", expected)]


def test_a_word_short_of_its_last_syllable_finds_the_finished_word(idx: Index) -> None:
    """오바마 is in four documents, 오가 (of 오가는) in two."""
    results = idx.search("오바", limit=20)
    assert [(r.rule, r.replacement) for r in results.rewrites] == [("typo", "오바마")]
    assert ids(results) == ["p18", "p19", "p16", "p17"]


# -- 5. -word and NOT word ------------------------------------------------------------------


@pytest.mark.parametrize("query", ["반도체 -엔비디아", "반도체 NOT 엔비디아", "-엔비디아 반도체"])
def test_an_excluded_word_excludes_its_aliases_in_either_form(idx: Index, query: str) -> None:
    """p11 says only Nvidia: excluded with 엔비디아 whichever way the exclusion is written."""
    results = idx.search(query, limit=20)
    assert [(r.rule, r.original, r.replacement) for r in results.rewrites] == [
        ("alias", "엔비디아", "Nvidia")]
    assert ids(results) == ["p12"]


def test_an_excluded_word_is_not_part_of_a_longer_name() -> None:
    """`-엔비디아 반도체` excludes 엔비디아 alone, never a name 엔비디아 반도체."""
    from index.aliases import AliasTable

    table = AliasTable()
    table.add("d1", [("엔비디아 반도체", "NV 칩")])
    table.add("d2", [("엔비디아", "Nvidia")])
    found = rewrites("-엔비디아 반도체", Vocabulary(()), table, known=lambda w: True)
    assert [(r.original, r.replacement) for r in found] == [("엔비디아", "Nvidia")]


# -- 6. an alias that is also part of a foreign name ----------------------------------------


def test_an_alias_inside_a_foreign_name_comes_after_the_name_as_typed(idx: Index) -> None:
    """사드 for THAAD also matches 알 사드 스타디움 (p15): nothing in the index tells a
    transliterated name's part from the word, so it is left to the ordering contract: after
    p13, which says THAAD."""
    assert ids(idx.search("THAAD", limit=20)) == ["p13", "p14", "p15"]

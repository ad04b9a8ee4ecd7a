"""The Korean analysis pinned: morpheme terms, index-only extras and whole words, with offsets.

A kiwipiepy or model upgrade that changes what is indexed must fail here loudly, before it
silently changes what searches find.
"""

from __future__ import annotations

import pickle
import unicodedata

import orjson
import pytest

from index.analysis import KiwiTokenizer, Preanalyzed, analyze, get_kiwi, normalize, postings
from index.sample import SAMPLE_FILE
from index.store import make_schema

# Full-width ASCII folds one-to-one onto ASCII, as the analyzer folds it.
FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}

NFD_TEXT = unicodedata.normalize("NFD", "한국 반도체 수출")
assert NFD_TEXT != "한국 반도체 수출"

UNITS = [
    # Kiwi's dictionary glues 가 to this name: the glued form is kept, the bare name is both
    # indexed beside it and searched as its alternative (see test_particles_leave_the_name).
    pytest.param("엔비디아가 설계했다", [("엔비디아가", 0, 5), ("설계", 6, 8)],
                 id="particle-glued-by-kiwi"),
    pytest.param("엔비디아는 중국 시장을 포기하지 않았다",
                 [("엔비디아", 0, 4), ("중국", 6, 8), ("시장", 9, 11), ("포기", 13, 15)],
                 id="particle-neun"),
    pytest.param("엔비디아의 분기 매출", [("엔비디아", 0, 4), ("분기", 6, 8), ("매출", 9, 11)],
                 id="particle-ui"),
    pytest.param("엔비디아(Nvidia)가 발표했다",
                 [("엔비디아", 0, 4), ("nvidia", 5, 11), ("발표", 14, 16)],
                 id="latin-gloss-then-particle"),
    pytest.param("탄소중립기본법", [("탄소", 0, 2), ("중립", 2, 4), ("기본법", 4, 7)],
                 id="compound-joined"),
    pytest.param("탄소중립 기본법", [("탄소", 0, 2), ("중립", 2, 4), ("기본법", 5, 8)],
                 id="compound-one-space"),
    pytest.param("탄소 중립 기본법", [("탄소", 0, 2), ("중립", 3, 5), ("기본법", 6, 9)],
                 id="compound-spaced"),
    pytest.param("탄소국경조정제도를 시행한다",
                 [("탄소", 0, 2), ("국경", 2, 4), ("조정", 4, 6), ("제도", 6, 8), ("시행", 10, 12)],
                 id="compound-with-particle"),
    pytest.param("Nvidia H20 GPU", [("nvidia", 0, 6), ("h20", 7, 10), ("gpu", 11, 14)],
                 id="latin-lowercased"),
    pytest.param("OECD와 IAEA가 협력한다", [("oecd", 0, 4), ("iaea", 6, 10), ("협력", 12, 14)],
                 id="acronyms-with-particles"),
    pytest.param("세계 인공지능 협력기구"
                 "(World Artificial Intelligence Cooperation Organization, WAICO)",
                 [("세계", 0, 2), ("인공", 3, 5), ("지능", 5, 7), ("협력", 8, 10), ("기구", 10, 12),
                  ("world", 13, 18), ("artificial", 19, 29), ("intelligence", 30, 42),
                  ("cooperation", 43, 54), ("organization", 55, 67), ("waico", 69, 74)],
                 id="acronym-full-gloss"),
    pytest.param("시진핑(習近平) 주석", [("시진핑", 0, 3), ("習近平", 4, 7), ("주석", 9, 11)],
                 id="hanja-gloss"),
    pytest.param("선전(深圳) 인구는 1,800만 명",
                 [("선전", 0, 2), ("深圳", 3, 5), ("인구", 7, 9), ("1800만", 11, 17),
                  ("명", 18, 19)],
                 id="hanja-place-and-number"),
    pytest.param("인구 1,800만", [("인구", 0, 2), ("1800만", 3, 9)], id="number-comma-man"),
    pytest.param("매출 18억 달러", [("매출", 0, 2), ("18억", 3, 6), ("달러", 7, 9)],
                 id="number-eok-dollar"),
    pytest.param("2025년 11월 1일", [("2025년", 0, 5), ("11월", 6, 9), ("1일", 10, 12)],
                 id="date-units"),
    pytest.param("3조 5,000억 원", [("3조", 0, 2), ("5000억", 3, 9), ("원", 10, 11)],
                 id="jo-eok-won"),
    pytest.param("합계출산율 0.72명", [("합계출산율", 0, 5), ("0.72명", 6, 11)],
                 id="decimal-with-unit"),
    pytest.param("성장률 45% 상승", [("성장", 0, 2), ("률", 2, 3), ("45%", 4, 7), ("상승", 8, 10)],
                 id="percent"),
    pytest.param("수출 회복 📈 반도체", [("수출", 0, 2), ("회복", 3, 5), ("반도체", 8, 11)],
                 id="emoji-dropped"),
    pytest.param("ＡＰＥＣ 정상회의", [("apec", 0, 4), ("정상", 5, 7), ("회의", 7, 9)],
                 id="fullwidth-latin"),
    pytest.param("１８억 달러", [("18억", 0, 3), ("달러", 4, 6)], id="fullwidth-digits"),
    pytest.param(NFD_TEXT, [("한국", 0, 2), ("반도체", 3, 6), ("수출", 7, 9)],
                 id="nfd-normalised-first"),
    pytest.param("첫 줄\r\n둘째 줄 반도체", [("줄", 2, 3), ("줄", 8, 9), ("반도체", 10, 13)],
                 id="crlf"),
    pytest.param("😀😀 반도체 수출", [("반도체", 3, 6), ("수출", 7, 9)],
                 id="non-bmp-emoji-before-word"),
    pytest.param("𠀀 한국", [("𠀀", 0, 1), ("한국", 2, 4)], id="non-bmp-hanja"),
    pytest.param("정부는 계획을 밝혔다", [("정부", 0, 2), ("계획", 4, 6), ("밝히", 8, 10)],
                 id="verb-stem"),
]

EXTRAS = [
    pytest.param("엔비디아가 설계했다", [("엔비디아가", [("엔비디아", 0, 4)])],
                 id="particle-glued-by-kiwi"),
    pytest.param("Nvidia H20 GPU", [("h20", [("h", 7, 8), ("20", 8, 10)])], id="latin-digits"),
    pytest.param("인구 1,800만", [("1800만", [("1800", 3, 8)])], id="number-comma-man"),
    pytest.param("매출 18억 달러", [("18억", [("18", 3, 5)])], id="number-eok-dollar"),
    pytest.param("2025년 11월 1일",
                 [("2025년", [("2025", 0, 4)]), ("11월", [("11", 6, 8)]), ("1일", [("1", 10, 11)])],
                 id="date-units"),
    pytest.param("3조 5,000억 원", [("3조", [("3", 0, 1)]), ("5000억", [("5000", 3, 8)])],
                 id="jo-eok-won"),
    pytest.param("합계출산율 0.72명", [("0.72명", [("0.72", 6, 10)])], id="decimal-with-unit"),
    pytest.param("성장률 45% 상승", [("45%", [("45", 4, 6)])], id="percent"),
    pytest.param("１８억 달러", [("18억", [("18", 0, 2)])], id="fullwidth-digits"),
    pytest.param("탄소중립기본법", [], id="no-extras-for-plain-nouns"),
    pytest.param("ＡＰＥＣ 정상회의", [], id="no-extras-for-latin"),
]

WORDS = [
    pytest.param("엔비디아가 설계했다", [("엔비디아가", 0, 5), ("설계", 6, 8)],
                 id="particle-glued-by-kiwi"),
    pytest.param("엔비디아는 중국 시장을 포기하지 않았다",
                 [("엔비디아", 0, 4), ("중국", 6, 8), ("시장", 9, 11), ("포기", 13, 15)],
                 id="particle-neun"),
    pytest.param("탄소중립기본법", [("탄소중립기본법", 0, 7)], id="compound-joined"),
    pytest.param("탄소중립 기본법", [("탄소중립", 0, 4), ("기본법", 5, 8)],
                 id="compound-one-space"),
    pytest.param("탄소 중립 기본법", [("탄소", 0, 2), ("중립", 3, 5), ("기본법", 6, 9)],
                 id="compound-spaced"),
    pytest.param("탄소국경조정제도를 시행한다", [("탄소국경조정제도", 0, 8), ("시행", 10, 12)],
                 id="compound-with-particle"),
    pytest.param("OECD와 IAEA가 협력한다", [("oecd", 0, 4), ("iaea", 6, 10), ("협력", 12, 14)],
                 id="acronyms-with-particles"),
    pytest.param("선전(深圳) 인구는 1,800만 명",
                 [("선전", 0, 2), ("深圳", 3, 5), ("인구", 7, 9), ("1800만", 11, 17),
                  ("명", 18, 19)],
                 id="hanja-place-and-number"),
    pytest.param("ＡＰＥＣ 정상회의", [("apec", 0, 4), ("정상회의", 5, 9)], id="fullwidth-latin"),
    pytest.param("정부는 계획을 밝혔다", [("정부", 0, 2), ("계획", 4, 6), ("밝혔", 8, 10)],
                 id="verb-stem-surface"),
]


def units(text: str) -> list[tuple[str, int, int]]:
    return [(u[0], u[1], u[2]) for u in analyze(normalize(text)).units]


@pytest.mark.parametrize(("text", "expected"), UNITS)
def test_morpheme_terms(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert units(text) == expected


@pytest.mark.parametrize(("text", "expected"), EXTRAS)
def test_index_only_extras(text: str,
                           expected: list[tuple[str, list[tuple[str, int, int]]]]) -> None:
    analysis = analyze(normalize(text))
    assert [(u[0], list(u[3])) for u in analysis.units if u[3]] == expected


@pytest.mark.parametrize(("text", "expected"), WORDS)
def test_whole_words(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert list(analyze(normalize(text)).words) == expected


@pytest.mark.parametrize("text", ["탄소중립기본법", "탄소중립 기본법", "탄소 중립 기본법",
                                  "탄소중립기본법을", "탄소 중립 기본법이"])
def test_compound_variants_share_morphemes(text: str) -> None:
    assert {"탄소", "중립", "기본법"} <= {t for t, _, _ in units(text)}


@pytest.mark.parametrize("text", ["엔비디아가", "엔비디아는", "엔비디아의", "엔비디아(Nvidia)가"])
def test_particles_leave_the_name(text: str) -> None:
    """The bare name is searched (as the term or its alternative) and indexed at 0-4."""
    first = analyze(normalize(text)).units[0]
    assert "엔비디아" in (first[0], *first[4])
    assert ("엔비디아", 0, 4) in [first[:3], *first[3]]


def _surface(normalised: str, start: int, end: int) -> str:
    return normalised[start:end].translate(FULLWIDTH).lower().replace(",", "")


def _lemma_at(normalised: str, start: int, form: str) -> bool:
    """Whether Kiwi read a verb or adjective at `start` whose lemma is `form`."""
    folded = normalised.translate(FULLWIDTH)
    return any(t.start == start and t.form == form and t.tag.startswith(("VV", "VA"))
               for t in get_kiwi().tokenize(folded))


@pytest.mark.parametrize("text", [p.values[0] for p in UNITS])
def test_offsets_slice_the_surface(text: str) -> None:
    """text[start:end] of the normalised input is the term (Latin lower-cased, commas of
    numbers dropped); only verb and adjective stems differ, being lemmas (밝혔 -> 밝히)."""
    n = normalize(text)
    analysis = analyze(n)
    for term, start, end, extra, _alts in analysis.units:
        if _surface(n, start, end) != term:
            assert _lemma_at(n, start, term), (term, n[start:end])
        for eterm, estart, eend in extra:
            assert _surface(n, estart, eend) == eterm
    for term, start, end in analysis.words:
        assert _surface(n, start, end) == term


def test_offsets_are_code_points_after_non_bmp() -> None:
    text = "😀📈🎉 한국 반도체"
    assert [(t, text[s:e]) for t, s, e in units(text)] == [("한국", "한국"), ("반도체", "반도체")]
    assert units(text) == [("한국", 4, 6), ("반도체", 7, 10)]


def test_normalize_composes_nfd_and_drops_nul() -> None:
    assert normalize(NFD_TEXT) == "한국 반도체 수출"
    assert normalize("반도\x00체") == "반도 체"
    assert normalize("a\ud800b") == "a?b"


# -- the Whoosh tokenizer and field -------------------------------------------------------


def test_tokenizer_query_mode_one_term_per_position() -> None:
    tok = KiwiTokenizer("morph")
    got = [(t.text, t.pos, t.startchar, t.endchar)
           for t in tok("인구 1,800만", positions=True, chars=True, start_pos=3, start_char=100)]
    assert got == [("인구", 3, 100, 102), ("1800만", 4, 103, 109)]


def test_tokenizer_index_mode_adds_extras_at_same_position() -> None:
    tok = KiwiTokenizer("morph")
    got = [(t.text, t.pos, t.startchar, t.endchar)
           for t in tok("인구 1,800만", positions=True, chars=True, mode="index")]
    assert got == [("인구", 0, 0, 2), ("1800만", 1, 3, 9), ("1800", 1, 3, 8)]


def test_tokenizer_word_view() -> None:
    tok = KiwiTokenizer("word")
    got = [(t.text, t.pos, t.startchar, t.endchar)
           for t in tok("탄소중립 기본법을", positions=True, chars=True)]
    assert got == [("탄소중립", 0, 0, 4), ("기본법", 1, 5, 8)]


def test_schema_pickles_without_kiwi() -> None:
    get_kiwi()
    data = pickle.dumps(make_schema())
    assert len(data) < 20_000
    schema = pickle.loads(data)
    assert schema["body"].analyzer == KiwiTokenizer("morph")
    assert schema["words"].analyzer == KiwiTokenizer("word")


def _sample_texts() -> list[str]:
    with open(SAMPLE_FILE, encoding="utf-8") as f:
        docs = [orjson.loads(line) for line in f]
    return [docs[0]["body"], docs[21]["body"], docs[27]["title"] + "\n" + docs[27]["body"]]


FIELD_TEXTS = [str(p.values[0]) for p in UNITS] + [
    "엔비디아가 설계했다. 엔비디아는 1,800만 달러를 2025년에 냈다 ＡＰＥＣ 習近平 😀 탄소 탄소",
]


@pytest.mark.parametrize("field", ["title", "body", "words"])
def test_preanalyzed_indexes_like_the_tokenizer(field: str) -> None:
    """KoreanText.index on a Preanalyzed value yields exactly the (term, freq, weight, value)
    postings that the field's own tokenizer path yields for the plain string."""
    fld = make_schema()[field]
    for text in FIELD_TEXTS + _sample_texts():
        n = normalize(text)
        fast = list(fld.index(Preanalyzed(n, analyze(n))))
        slow = list(fld.index(text))
        assert set(fast) == set(slow), text
        assert len(fast) == len(slow) == len(postings(analyze(n), "word" if field == "words"
                                                      else "morph"))


# -- query terms meet document terms ------------------------------------------------------


@pytest.mark.parametrize(("query", "document"), [
    ("엔비디아가", "엔비디아는 발표했다"),
    ("엔비디아", "엔비디아가 설계했다"),
    ("탄소중립기본법", "탄소 중립 기본법"),
    ("탄소 중립 기본법", "탄소중립기본법을 시행"),
    ("ＡＰＥＣ", "APEC 회의"),
    ("nvidia", "NVIDIA의 GPU"),
    ("1800", "인구 1,800만"),
    ("1,800만", "1800만 명"),
    ("習近平", "시진핑(習近平)"),
    ("우루과이", "우루과이의 수도는 몬테비데오다"),
    ("콜로라도", "콜로라도에서 열린 회의"),
    ("네이버", "네이버클라우드가 참여했다"),
    ("젠슨", "방한한 젠슨 황 엔비디아 CEO"),
])
def test_query_terms_meet_document_terms(query: str, document: str) -> None:
    """Every query position meets the document through its term or one of its alternatives."""
    units = analyze(normalize(query)).units
    indexed = postings(analyze(normalize(document)), "morph")
    assert units
    for u in units:
        assert {u[0], *u[4]} & indexed.keys(), u


@pytest.mark.parametrize("text", ["네이버클라우드가 참여했다", "프랑스전력공사를 제치고"])
def test_no_term_contains_a_space(text: str) -> None:
    analysis = analyze(normalize(text))
    assert all(" " not in u[0] for u in analysis.units)

"""Evidence for learned aliases beyond a second document (issue 14): the rules that agree
with a translation one document gives, and those that catch an acronym's Korean name cut
short or led by a person's name. Each rule with pairs it must accept and pairs it must
refuse."""

from __future__ import annotations

import orjson
import pytest

import index.aliases
from index.alias_evidence import (
    cut_short_by_meaning,
    dictionary_translation,
    english_words,
    known_nouns,
    letters_heard,
    loanword,
    noun_count,
    person_in_front,
    spelled_by_meaning,
    unaccounted,
    word_for_word,
)
from index.alias_rules import trusted, vouch
from index.aliases import AliasTable, harvest
from index.romanize import sounds_alike

# -- a translation of dictionary nouns ------------------------------------------------------


@pytest.mark.parametrize(("tokens", "count"), [
    ([("당원", "NNG", False), ("대회", "NNG", False)], 2),
    ([("백악관", "NNP", False)], 1),
    ([("대", "XPN", False), ("학살", "NNG", False)], 1),
    ([("성", "NNG", False), ("적", "XSN", False), ("지향", "NNG", False)], 2),
    ([("온단세트론", "NNG", True)], None),  # a form Kiwi guessed
    ([("연구자", "NNG", False), ("들", "XSN", False)], None),  # a plural
    ([("국부", "NNG", False), ("화", "XSN", False), ("현상", "NNG", False)], None),
    ([("구분", "NNG", False), ("우", "NNG", False), ("측", "NNB", False)], None),
    ([("제", "XPN", False), ("1", "SN", False), ("권", "NNB", False)], None),
    ([], None),
])
def test_noun_count(tokens: list[tuple[str, str, bool]], count: int | None) -> None:
    assert noun_count(tokens) == count


def test_known_nouns_reads_names_with_kiwi() -> None:
    assert known_nouns(["당원대회", "방광염", "특별 검찰", "연구자들", "온단세트론"]) == {
        "당원대회": 2, "방광염": 1, "특별 검찰": 2, "연구자들": None, "온단세트론": None}


@pytest.mark.parametrize(("name", "alias", "nouns", "kept"), [
    ("당원대회", "caucus", 2, True),  # one English word may stand for a compound
    ("방광염", "cystitis", 1, True),
    ("대학살", "the massacre", 1, True),
    ("누리편지", "e-mail", 2, True),  # a hyphenated compound is one word
    ("특별 검찰", "special prosecutor", 2, True),  # 특별 translates special
    ("물가관리청", "Office of Price Administration", 3, True),
    ("후보자", "running mate", 1, False),  # two English words, one noun
    ("위기대응", "rapid response", 2, False),  # no piece of the Korean translates a word
    ("조사 데이터", "Exist poll data", 2, False),
    ("방출", "Delayed", 1, False),  # a participle, not a noun
    ("거래 플랫폼", "exchange's trading platform", 2, False),
    ("문화", "Kush", 1, False),  # four letters: more often a name or a symbol
    ("폐암", "ca", 1, False),
    ("측정값", "dB", 1, False),  # a unit
    ("타르츠", "Pop-Tarts", 1, False),
    ("비말차단용", "KF-AD", 1, False),
    ("뉘른베르크 재판 기록", "Nuremberg Trial Proceedings Vol. 1", 4, False),
    ("방광염", "cystitis", None, False),  # the Korean side is not dictionary nouns
])
def test_dictionary_translation(name: str, alias: str, nouns: int | None, kept: bool) -> None:
    assert dictionary_translation(name, alias, nouns) is kept


# -- word for word ---------------------------------------------------------------------------


def test_english_words() -> None:
    assert english_words("International Service for Human Rights") == [
        "international", "service", "human", "rights"]
    assert english_words("the exchange's Know-how") == ["exchange", "know-how"]


@pytest.mark.parametrize(("name", "alias"), [
    ("국제올림픽위원회", "International Olympic Committee"),
    ("중재조정센터", "Arbitration and Mediation Center"),  # 센터 by its sound
    ("국제인권서비스", "International Service for Human Rights"),  # 인권: two words
    ("특별 검찰", "special prosecutor"),
    ("브레이크등", "Brake lamp"),
    ("건강 관리 법률", "health care law"),
])
def test_word_for_word_accepts(name: str, alias: str) -> None:
    assert word_for_word(name, alias)


@pytest.mark.parametrize(("name", "alias"), [
    ("텔레비전 시스템 위원회", "National Television System Committee"),  # National left over
    ("거래 플랫폼", "exchange's trading platform"),  # 거래 translates one word, not two
    ("조사 데이터", "Exist poll data"),
    ("공화당", "Repulican House"),
    ("에어로스페이스", "CCRT AEROSPACE"),
    ("올림픽 조직위원회", "Olympic Committee"),  # 조직 left over
    ("위원회", "Committee 2025"),
])
def test_word_for_word_refuses(name: str, alias: str) -> None:
    assert not word_for_word(name, alias)


def test_word_for_word_uses_pairs_the_index_attests() -> None:
    """평의회 is in no vocabulary; a gloss elsewhere in the index that teaches it lets the
    longer name agree."""
    assert not word_for_word("아시아올림픽평의회", "Olympic Council of Asia")
    assert word_for_word("아시아올림픽평의회", "Olympic Council of Asia",
                         {"평의회": frozenset({"council"})})


def test_soft_g_sounds_both_ways() -> None:
    assert (sounds_alike("오토파지", "autophagy"), sounds_alike("게임", "game")) == (1.0, 1.0)


# -- acronyms --------------------------------------------------------------------------------


@pytest.mark.parametrize(("acronym", "name", "expected"), [
    ("WP", "워싱턴포스트", True),  # Washington Post
    ("dl", "데시리터", True),
    ("kg", "킬로그램", True),
    ("DH", "제네시스", False),
    ("FE", "독수리", False),
    ("IT", "전자지불", False),
    ("CT", "단층 촬영", False),
    ("KR", "한국철도시설공단", False),  # a Sino-Korean compound, not a loanword
    ("WPX", "워싱턴포스트", False),
])
def test_letters_heard(acronym: str, name: str, expected: bool) -> None:
    assert letters_heard(acronym, name) is expected


@pytest.mark.parametrize(("acronym", "name", "expected"), [
    ("AR", "증강 현실", True),
    ("IOC", "국제올림픽위원회", True),
    ("UN", "국제연합", True),
    ("IOC", "올림픽 위원회", False),
    ("AR", "가상 현실", False),
    ("KR", "한국철도시설공단", False),
    ("CEO", "최고경영자", False),  # words the vocabulary does not know
])
def test_spelled_by_meaning(acronym: str, name: str, expected: bool) -> None:
    assert spelled_by_meaning(acronym, name) is expected


@pytest.mark.parametrize(("acronym", "name", "expected"), [
    ("ISS", "우주 정거장", True),  # International Space Station: 2 of its 3 words
    ("IOC", "올림픽 위원회", True),
    ("BOD", "산소요구량", True),
    ("fMRI", "자기공명영상", True),
    ("IAEA", "국제 원자력 기구", False),  # Energy left out inside, not at an end
    ("IOC", "국제올림픽위원회", False),
    ("NASA", "미국 항공우주국", False),  # the vocabulary reads 항공우주국 only in part
    ("FBI", "연방수사국", False),
    ("CEO", "최고경영자", False),
    # A loanword starts with a letter of its own sound: Global is missing, not inside 포지셔닝.
    ("GPS", "포지셔닝 시스템", True),
    ("GPS", "글로벌 포지셔닝 시스템", False),
])
def test_cut_short_by_meaning(acronym: str, name: str, expected: bool) -> None:
    assert cut_short_by_meaning(acronym, name) is expected


@pytest.mark.parametrize(("word", "expected"), [
    ("포지셔닝", True), ("시스템", True), ("다이오드", True),
    ("발광", False), ("정보통신", False), ("노동", False),  # Sino-Korean, 로동 read 노동 too
])
def test_loanword(word: str, expected: bool) -> None:
    assert loanword(word) is expected


@pytest.mark.parametrize(("acronym", "name", "left"), [
    ("OECD", "경제 협력 개발 기구", 0),
    ("OECD", "경제협력개발기구", 0),
    ("IoT", "사물인터넷", 1),  # Korean order (things, internet); the o of `of` unexplained
    ("FAO", "국제 식량 기구", 1),  # one letter short is allowed
    ("CNRS", "국립 과학 연구소", 1),  # French letters, partly explained
    ("IMF", "세계 식량 기구", 2),  # a gloss for something else
    ("ESA", "유럽 우주 기구", None),  # 유럽 is not in the vocabulary: nothing is known
])
def test_unaccounted(acronym: str, name: str, left: int | None) -> None:
    assert unaccounted(acronym, name) == left


@pytest.mark.parametrize(("acronym", "name", "expected"), [
    ("KAIST", "서남표 한국과학기술원", True),
    ("KAIST", "한국과학기술원", False),
    ("SMRT", "서울시 도시철도", False),  # 서 is the S
    ("NASA", "미국 항공우주국", False),
    ("KBS", "한국방송공사 사장", False),
])
def test_person_in_front(acronym: str, name: str, expected: bool) -> None:
    assert person_in_front(acronym, name) is expected


@pytest.mark.parametrize(("name", "alias", "evidence"), [
    ("우주 정거장", "ISS", None),
    ("올림픽 위원회", "IOC", None),
    ("산소요구량", "BOD", None),
    ("서남표 한국과학기술원", "KAIST", None),
    ("한국과학기술원", "KAIST", "acronym"),
    ("미국 항공우주국", "NASA", "acronym"),
    ("증강 현실", "AR", "acronym"),
    ("국제 원자력 기구", "IAEA", "acronym"),
    ("워싱턴포스트", "WP", "sound"),
    ("제네시스", "DH", None),
    ("경제 협력 개발 기구", "OECD", "acronym"),
    ("세계 식량 기구", "IMF", None),  # two of its three letters unexplained
    ("포지셔닝 시스템", "GPS", None),  # cut short: no word gives the G
])
def test_vouch_for_acronyms(name: str, alias: str, evidence: str | None) -> None:
    assert vouch(name, alias) == evidence


# -- in the table ------------------------------------------------------------------------------


def test_trusted_keeps_one_document_translations_another_rule_agrees_with() -> None:
    docs = {"a": [("방광염", "cystitis"), ("후보자", "running mate"),
                  ("국제법률가위원회", "International Commission of Jurists")],
            "b": [("법률가", "Jurists")]}
    assert sorted(trusted(docs)) == []
    assert sorted(trusted(docs, {"방광염": 1, "후보자": 1, "법률가": 1})) == [
        ("국제법률가위원회", "International Commission of Jurists"),
        ("방광염", "cystitis"), ("법률가", "Jurists")]


def test_an_acronym_the_korean_words_cannot_spell_is_not_learned() -> None:
    t = AliasTable()
    t.add("a", harvest("회의에는 세계 식량 기구(IMF) 대표와 경제 협력 개발 기구(OECD) 사무총장이 왔다"))
    assert [p[:2] for p in t.pairs()] == [("경제 협력 개발 기구", "OECD")]


def test_the_table_reads_nouns_when_indexing_and_stores_them() -> None:
    t = AliasTable()
    t.add("a", harvest("환자는 방광염(cystitis) 진단을 받았다"))
    t.add("b", harvest("부통령 후보자(running mate)를 지명했다"))
    assert (t.lookup("cystitis"), t.lookup("running mate")) == ({"방광염"}, set())
    raw = orjson.loads(t.to_json())
    assert raw["nouns"] == {"방광염": 1, "후보자": 1}
    assert AliasTable.from_json(t.to_json()).pairs() == [("방광염", "cystitis", ["a"])]


def test_a_stored_table_never_reads_nouns(monkeypatch: pytest.MonkeyPatch) -> None:
    """A table an index wrote before nouns were read keeps its one-document translations
    waiting for a second document, and opening it never asks Kiwi."""
    old = orjson.dumps({"version": 1, "docs": {"a": [["방광염", "cystitis"]]},
                        "keys": {"방광염": "방광염", "cystitis": "cystitis"}})

    def refuse(names: object) -> dict[str, int | None]:
        raise AssertionError("Kiwi asked")

    monkeypatch.setattr(index.aliases, "known_nouns", refuse)
    table = AliasTable.from_json(old)
    assert (table.pairs(), table.lookup("cystitis")) == ([], set())


def test_a_names_units_are_those_within_it_wherever_it_stands() -> None:
    """`_units` finds a span's units by bisection over the text's analysis (a scan per gloss
    made a long report quadratic): the units inside the span, none that straddle its ends."""
    from index.analysis import analyze, normalize
    from index.glosses import _units

    sentence = "정부는 미국 항공우주국(NASA)과 협력한다. "
    text = normalize(sentence * 50)
    analysis = analyze(text)
    at = text.index("미국 항공우주국", len(sentence) * 37)
    end = at + len("미국 항공우주국")
    assert _units(text, at, end, analysis) == _units(text, at, end, None)
    assert _units(text, at + 1, end, analysis) == [
        u[0] for u in analysis.units if at + 1 <= u[1] and u[2] <= end]
    assert _units(text, at, at, analysis) == []

"""Aliases learned from glosses: which `X(Y)` pairs the sample corpus yields, which parentheses
are noise, how the table looks names up in both directions, stores itself, and takes the user's
synonyms file."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from index.aliases import (
    ALIASES_FILE,
    AliasPair,
    AliasTable,
    Synonyms,
    SynonymsError,
    harvest,
    load_synonyms,
)
from index.analysis import Analysis, analyze, normalize
from index.sample import SAMPLE_FILE

ARTICLES = {d["id"]: d for d in map(orjson.loads, SAMPLE_FILE.read_bytes().splitlines())}


def doc_pairs(doc_id: str) -> list[tuple[str, str]]:
    doc = ARTICLES[doc_id]
    return [(p.name, p.alias) for f in ("title", "body") for p in harvest(normalize(doc[f]))]


@pytest.fixture(scope="module")
def table() -> AliasTable:
    """The alias table of the whole sample corpus."""
    t = AliasTable()
    for doc_id in ARTICLES:
        t.add(doc_id, doc_pairs(doc_id))
    return t


# -- harvest: the sample corpus -------------------------------------------------------------

# Every pair the sample corpus teaches, in document and text order: glosses found, noise not.
SAMPLE_PAIRS = [
    ("sample-001", "시진핑", "習近平"),
    ("sample-001", "아시아태평양경제협력체", "APEC"),
    ("sample-001", "세계 인공지능 협력기구",
     "World Artificial Intelligence Cooperation Organization"),
    ("sample-001", "세계 인공지능 협력기구", "WAICO"),
    ("sample-002", "국제전기통신연합", "ITU"),
    ("sample-005", "경주", "慶州"),
    ("sample-005", "아시아태평양경제협력체", "APEC"),
    ("sample-007", "엔비디아", "Nvidia"),
    ("sample-007", "고대역폭메모리", "HBM"),
    ("sample-010", "고대역폭메모리", "HBM"),
    ("sample-013", "딥시크", "DeepSeek"),
    ("sample-018", "유럽연합", "EU"),
    ("sample-018", "탄소국경조정제도", "CBAM"),
    ("sample-018", "자유무역협정", "FTA"),
    ("sample-022", "경제협력개발기구", "OECD"),
    ("sample-027", "선전", "深圳"),
    ("sample-027", "시진핑", "習近平"),
    ("sample-030", "한국토지주택공사", "LH"),
    ("sample-031", "한국토지주택공사", "LH"),
    ("sample-035", "국제원자력기구", "IAEA"),
    # 한국형 혁신 소형모듈원전(i-SMR): 혁신 is the i (innovative).
    ("sample-037", "혁신 소형모듈원전", "i-SMR"),
    ("sample-042", "미국 항공우주국", "NASA"),
]


def test_the_sample_corpus_teaches_exactly_these_pairs() -> None:
    assert SAMPLE_PAIRS == [(d, n, a) for d in ARTICLES for n, a in doc_pairs(d)]


@pytest.mark.parametrize(("doc_id", "name", "alias"), [
    pytest.param("sample-007", "엔비디아", "Nvidia", id="latin-name"),
    pytest.param("sample-001", "시진핑", "習近平", id="hanja-001"),
    pytest.param("sample-027", "시진핑", "習近平", id="hanja-027"),
    pytest.param("sample-027", "선전", "深圳", id="hanja-place"),
    pytest.param("sample-035", "국제원자력기구", "IAEA", id="acronym-one-word"),
    pytest.param("sample-042", "미국 항공우주국", "NASA", id="acronym-two-words"),
    pytest.param("sample-018", "자유무역협정", "FTA", id="acronym-after-hyphenated-word"),
    pytest.param("sample-001", "세계 인공지능 협력기구",
                 "World Artificial Intelligence Cooperation Organization", id="expansion"),
    pytest.param("sample-001", "세계 인공지능 협력기구", "WAICO", id="expansion-acronym"),
    pytest.param("sample-013", "딥시크", "DeepSeek", id="camel-case-name"),
    pytest.param("sample-007", "고대역폭메모리", "HBM", id="hbm"),
    pytest.param("sample-018", "탄소국경조정제도", "CBAM", id="cbam-after-other-gloss"),
])
def test_listed_glosses_are_found(doc_id: str, name: str, alias: str) -> None:
    assert (name, alias) in doc_pairs(doc_id)


@pytest.mark.parametrize(("doc_id", "noise"), [
    ("sample-005", "(사진)"),
    ("sample-023", "(2025년)"),
    ("sample-021", "(단위: 억 원)"),
    ("sample-033", "(자료: 통계청)"),
    ("sample-008", "(현지시간)"),
    ("sample-018", "(1월 31일)"),
    ("sample-018", "(章)"),
    ("sample-031", "(先)"),
])
def test_sample_noise_is_no_gloss(doc_id: str, noise: str) -> None:
    body = normalize(ARTICLES[doc_id]["body"])
    assert noise in body
    assert [p for p in harvest(body) if noise in body[p.start:p.end]] == []


def test_offsets_cover_name_and_gloss() -> None:
    body = normalize(ARTICLES["sample-042"]["body"])
    [pair] = harvest(body)
    assert body[pair.start:pair.end] == "미국 항공우주국(NASA)"


def test_a_given_analysis_gives_the_same_pairs() -> None:
    for doc in ARTICLES.values():
        body = normalize(doc["body"])
        assert harvest(body, analyze(body)) == harvest(body)


# -- harvest: rules on single sentences -----------------------------------------------------


@pytest.mark.parametrize(("text", "pairs"), [
    pytest.param("엔비디아 창업자 젠슨 황(Jensen Huang)이 말했다", [("젠슨 황", "Jensen Huang")],
                 id="two-word-name"),
    pytest.param("미국 반도체 설계 기업 엔비디아(Nvidia)", [("엔비디아", "Nvidia")],
                 id="name-takes-one-word"),
    pytest.param("지난달 유엔(UN)이 발표했다", [("유엔", "UN")], id="time-word-not-in-name"),
    pytest.param("그는 “세계 인공지능 협력기구(WAICO)”를 제안",
                 [("세계 인공지능 협력기구", "WAICO")], id="quoted"),
    pytest.param("'시진핑(習近平) 주석", [("시진핑", "習近平")], id="opening-quote"),
    pytest.param("미국 항공우주국(美國航空宇宙局)", [("미국 항공우주국", "美國航空宇宙局")],
                 id="hanja-across-words"),
    pytest.param("중국 광둥성의 선전(深圳·Shenzhen)", [("선전", "深圳"), ("선전", "Shenzhen")],
                 id="hanja-and-latin"),
    pytest.param("유럽연합(EU, European Union)",
                 [("유럽연합", "EU"), ("유럽연합", "European Union")],
                 id="acronym-then-expansion"),
    pytest.param("사물인터넷(IoT) 기기", [("사물인터넷", "IoT")], id="mixed-case-acronym"),
    # Five letters want a Korean name longer than 코로나19: no rule vouches for the pair.
    pytest.param("코로나19(COVID-19) 확산", [], id="acronym-longer-than-its-name"),
    pytest.param("그는 밝혔다(Reuters).", [], id="verb-before"),
    pytest.param("국제통화기금 (IMF) 총재", [], id="space-before"),
    pytest.param("(NASA)로 시작", [], id="nothing-before"),
    pytest.param("값(A)", [], id="single-letter"),
    pytest.param("5세대(5G) 통신", [], id="mostly-digits"),
    pytest.param("규모(2025)", [], id="year"),
    pytest.param("미국(" + "very long aside " * 6 + ")", [], id="too-long"),
    pytest.param("자료(Source: Reuters)", [], id="credit"),
    pytest.param("한국토지주택공사(韓)", [], id="one-hanja"),
    pytest.param("시진핑(習近)", [], id="hanja-count-differs"),
    pytest.param("이를 규정한 징벌적 손해배상(punitive damages)도 있다",
                 [("징벌적 손해배상", "punitive damages")], id="expansion-takes-its-modifier"),
    pytest.param("부품을 적재한 20피트 컨테이너(Dry steel container)", [],
                 id="a-measure-is-no-name"),
    pytest.param("손해배상액의 예정(liquidated damages)인지", [], id="expansion-after-genitive"),
    pytest.param("정부는 세계인공지능협력기구(World AI Cooperation Organization)를",
                 [("세계인공지능협력기구", "World AI Cooperation Organization")],
                 id="expansion-after-a-topic"),
    pytest.param("금융투자회사의 기업실사(Due diligence)", [("기업실사", "Due diligence")],
                 id="expansion-after-genitive-long-enough"),
    pytest.param("손해배상액의 예정(LD)", [], id="acronym-longer-than-its-name-cut-short"),
])
def test_harvest_rules(text: str, pairs: list[tuple[str, str]]) -> None:
    assert [(p.name, p.alias) for p in harvest(text)] == pairs


# -- the table ------------------------------------------------------------------------------


@pytest.mark.parametrize(("term", "equivalents"), [
    ("엔비디아", {"Nvidia"}),
    ("엔비디아가", {"Nvidia"}),
    ("NVIDIA", {"엔비디아"}),
    ("시진핑의", {"習近平"}),
    ("習近平", {"시진핑"}),
    ("IAEA", {"국제원자력기구"}),
    ("국제원자력기구", {"IAEA"}),
    ("미국항공우주국", {"NASA"}),
    ("nasa", {"미국 항공우주국"}),
    ("WAICO", {"세계 인공지능 협력기구", "World Artificial Intelligence Cooperation Organization"}),
    ("세계인공지능협력기구", {"WAICO", "World Artificial Intelligence Cooperation Organization"}),
    ("world artificial intelligence cooperation organization",
     {"WAICO", "세계 인공지능 협력기구"}),
    ("DeepSeek", {"딥시크"}),
    ("미국", set()),
    ("Shenzhen", set()),
    ("", set()),
])
def test_lookup_both_directions(table: AliasTable, term: str, equivalents: set[str]) -> None:
    assert table.lookup(term) == equivalents


@pytest.mark.parametrize(("term", "docs"), [
    ("시진핑", ["sample-001", "sample-027"]),
    ("HBM", ["sample-007", "sample-010"]),
    ("엔비디아가", ["sample-007"]),
    ("나사", []),
])
def test_evidence(table: AliasTable, term: str, docs: list[str]) -> None:
    assert table.evidence(term) == docs


def test_remove_forgets_a_document() -> None:
    t = AliasTable()
    t.add("a", [AliasPair("고대역폭메모리", "HBM", 0, 12)])
    t.add("b", [("고대역폭메모리", "HBM"), ("엔비디아", "Nvidia")])
    t.remove("b")
    assert (t.lookup("엔비디아"), t.lookup("HBM"), t.evidence("HBM")) == (
        set(), {"고대역폭메모리"}, ["a"])
    t.add("a", [])
    assert (t.lookup("HBM"), len(t)) == (set(), 0)


def test_json_round_trip(table: AliasTable, tmp_path: Path) -> None:
    copy = AliasTable.from_json(table.to_json())
    # 18 distinct pairs stored; 유럽연합 = EU (two letters, one document) is not used yet.
    assert len(copy) == len(table) == 17
    assert ("유럽연합", "EU", ["sample-018"]) not in table.pairs()
    assert copy.lookup("Nvidia") == {"엔비디아"}
    table.save(tmp_path)
    assert (tmp_path / ALIASES_FILE).exists()
    assert AliasTable.load(tmp_path).evidence("IAEA") == ["sample-035"]


@pytest.mark.parametrize("data", [b"not json", b"[]", b'{"version": 99}',
                                  b'{"version": 1, "docs": {"a": [1]}}'])
def test_from_json_refuses_other_data(data: bytes) -> None:
    with pytest.raises(ValueError):
        AliasTable.from_json(data)


def test_load_from_an_empty_folder_is_empty(tmp_path: Path) -> None:
    assert len(AliasTable.load(tmp_path)) == 0


# -- the user's synonyms file ---------------------------------------------------------------

SYNONYMS = """\
# 기관
NASA = 나사, 미 항공우주국

-선전 = 深圳
선전 = Shenzhen
"""


def test_synonyms_add_and_remove(table: AliasTable, tmp_path: Path) -> None:
    path = tmp_path / "synonyms.txt"
    path.write_text(SYNONYMS, encoding="utf-8")
    syn = load_synonyms(path)
    assert syn == Synonyms(str(path), add=(("NASA", "나사"), ("NASA", "미 항공우주국"),
                                           ("선전", "Shenzhen")), remove=(("선전", "深圳"),))
    t = AliasTable.from_json(table.to_json())
    t.use_synonyms(syn)
    assert t.lookup("나사") == {"NASA", "미 항공우주국", "미국 항공우주국"}
    assert t.lookup("선전") == {"Shenzhen"}
    assert t.evidence("深圳") == []
    t.use_synonyms(None)
    assert t.lookup("선전") == {"深圳"}


@pytest.mark.parametrize(("line", "why"), [
    ("NASA 나사", "no '=' between a name and its aliases"),
    (" = 나사", "no name before '='"),
    ("- = 나사", "no name before '='"),
    ("NASA =  ", "no alias after '='"),
    ("NASA = 나사,, 미 항공우주국", "an empty alias between commas"),
    ("NASA = NASA", "'NASA' is given as an alias of itself"),
])
def test_synonyms_errors_name_file_and_line(tmp_path: Path, line: str, why: str) -> None:
    path = tmp_path / "synonyms.txt"
    path.write_text(f"# ok\n엔비디아 = Nvidia\n{line}\n", encoding="utf-8")
    with pytest.raises(SynonymsError) as err:
        load_synonyms(path)
    assert str(err.value).startswith(f"{path}:3: {why}: ")


def test_synonyms_file_missing_or_not_text(tmp_path: Path) -> None:
    with pytest.raises(SynonymsError, match="no such synonyms file"):
        load_synonyms(tmp_path / "none.txt")
    (tmp_path / "bad.txt").write_bytes(b"NASA = \xff\xfe\n")
    with pytest.raises(SynonymsError, match=r"bad\.txt: not UTF-8 text"):
        load_synonyms(tmp_path / "bad.txt")


@pytest.mark.parametrize(("text", "expected"), [
    ("회견은 12월 17일(KST) 열렸다", []),
    ("지난 7일(KST) 발표했다", []),
    ("2월 28일 주한미군 사드(THAAD) 배치", [("사드", "THAAD")]),
])
def test_dates_before_a_gloss_are_not_part_of_the_name(text: str,
                                                       expected: list[tuple[str, str]]) -> None:
    """Seen on Wikinews: 7일 = KST, 12월 17일 = KST were learned as aliases."""
    assert [(p.name, p.alias) for p in harvest(text)] == expected


# -- evidence: which rule vouches for a pair (issue 14) -------------------------------------


def harvested(text: str) -> list[tuple[str, str, str]]:
    return [(p.name, p.alias, p.evidence) for p in harvest(normalize(text))]


@pytest.mark.parametrize("text", [
    "2011년 12월 19일 낮 12시(KST), 중앙방송이 전했다",
    "1월 7일 오전 8시(KST) 현재 피해 규모는",
    "한편 23일 오전 9시(KST) 현재",
    "발사가 현지 시각(EDT, UTC-4) 오후로 미뤄졌다",
])
def test_a_clock_time_is_no_name_for_kst(text: str) -> None:
    """Wikinews taught `KST` as an alias of seven clock times; a time is not a name."""
    assert harvested(text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("지난 4일 소셜 네트워크 서비스(SNS)에 올라온 글",
     [("소셜 네트워크 서비스", "SNS", "initials")]),
    ("이 글은 네트워크 서비스(SNS)에 올라왔다", []),
    ("어댑티브 크루즈 컨트롤(ACC)을 갖췄다", [("어댑티브 크루즈 컨트롤", "ACC", "acronym")]),
    ("새 차에는 크루즈 컨트롤(ACC)이 있다", []),
])
def test_a_name_cut_short_gives_the_whole_name_or_nothing(
        text: str, expected: list[tuple[str, str, str]]) -> None:
    """`네트워크 서비스 = SNS` was learned from `소셜 네트워크 서비스(SNS)`."""
    assert harvested(text) == expected


@pytest.mark.parametrize("text", [
    "원고 회사(Apple)는 특허를 주장하였다",
    "피고 보험사(Samsung Fire)가 지급을 거절하였다",
    "소외 법인(KRA)에게 양도하였다",
    "소외 조합(Korea Racing Authority)이",
])
def test_a_party_to_a_case_is_no_alias(text: str) -> None:
    assert harvested(text) == []


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("시진핑(習近平) 국가주석", [("시진핑", "習近平", "hanja")], id="chinese-name"),
    pytest.param("본관은 경주(慶州)이다", [("경주", "慶州", "hanja")], id="hanja-reading"),
    pytest.param("김영삼은 이민우(李敏雨)와 만났다", [("이민우", "李敏雨", "hanja")],
                 id="initial-sound-rule"),
    pytest.param("판결(同旨)", [], id="hanja-not-read-so"),
    pytest.param("미국 반도체 기업 엔비디아(Nvidia)가", [("엔비디아", "Nvidia", "sound")],
                 id="latin-name"),
    pytest.param("중국의 딥시크(DeepSeek)는", [("딥시크", "DeepSeek", "sound")], id="camel-case"),
    pytest.param("전 국무장관 힐러리 클린턴(Hillary Clinton)을", [
        ("힐러리 클린턴", "Hillary Clinton", "sound")], id="a-longer-name-that-sounds-alike"),
    pytest.param("미국 항공우주국(NASA)이 발표했다", [("미국 항공우주국", "NASA", "acronym")],
                 id="acronym-of-a-korean-name"),
    pytest.param("녹색 기후 기금(Green Climate Fund, GCF) 이사회", [
        ("녹색 기후 기금", "Green Climate Fund", "acronym"),
        ("녹색 기후 기금", "GCF", "acronym")], id="acronym-of-its-expansion"),
    pytest.param("민주당 당원대회(caucus)에서", [("당원대회", "caucus", "phrase")],
                 id="translation-is-a-candidate"),
    pytest.param("트럼프는 공화당(Repulican House)과", [("공화당", "Repulican House", "phrase")],
                 id="translation-candidate-never-vouched"),
    pytest.param("코로나19 누리집(ncov.mohw.go.kr)을 통해", [], id="address"),
    pytest.param("마지막 임무(STS-133)를 위한 발사", [], id="acronym-digits-the-name-lacks"),
    pytest.param("승인에 따라 사드(THAAD) 체계", [("사드", "THAAD", "sound")], id="verb-left-out"),
])
def test_evidence_of_harvested_pairs(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert harvested(text) == expected


def test_a_translation_no_rule_agrees_with_is_used_once_a_second_document_gives_it() -> None:
    """`후보자(running mate)`: one Korean noun for two English words, so only a second
    document vouches for it (tests/test_alias_evidence.py has the rules that agree)."""
    t = AliasTable()
    t.add("a", harvest("부통령 후보자(running mate)를 지명했다"))
    t.add("b", harvest("미국 반도체 기업 엔비디아(Nvidia)가"))
    assert (t.lookup("running mate"), t.lookup("후보자"), t.lookup("Nvidia")) == (
        set(), set(), {"엔비디아"})
    t.add("c", harvest("그의 후보자(running mate)는 주지사다"))
    assert (t.lookup("running mate"), t.lookup("후보자"), t.evidence("running mate")) == (
        {"후보자"}, {"running mate"}, ["a", "c"])
    t.remove("c")
    assert t.lookup("running mate") == set()


def test_an_acronym_and_its_expansion_vouch_for_each_other_in_one_document() -> None:
    t = AliasTable()
    t.add("a", [("녹색 기후 기금", "Green Climate Fund"), ("녹색 기후 기금", "GCF")])
    t.add("b", [("세계 인공지능 협력기구", "World AI Cooperation Organization")])
    assert t.lookup("GCF") == {"녹색 기후 기금", "Green Climate Fund"}
    assert t.lookup("World AI Cooperation Organization") == set()
    assert t.pairs() == [("녹색 기후 기금", "GCF", ["a"]),
                         ("녹색 기후 기금", "Green Climate Fund", ["a"])]


# -- what the harvest finds (session 9: the pairs the labelled set had lost) -----------------


@pytest.mark.parametrize("text", [
    "이 모니터는 색의 채도(saturation)가 높다",
    "화면 채도(saturation)를 낮추면 눈이 편하다",
])
def test_without_an_analysis_words_are_read_in_their_sentence(text: str) -> None:
    """Kiwi takes `채도` alone for an adverb and a particle and in a sentence for a noun;
    the harvest without the text's analysis reads the line around the gloss, as indexing
    does, rather than each name alone."""
    text = normalize(text)
    assert harvested(text) == [("채도", "saturation", "phrase")]
    assert harvest(text) == harvest(text, analyze(text))


@pytest.mark.parametrize(("text", "expected"), [
    ("경전은 10선(十善)을 가르친다", [("10선", "十善", "hanja")]),
    ("이 절에는 42장경(四十二章經) 판본이 있다", [("42장경", "四十二章經", "hanja")]),
    ("경전은 11선(十善)을 가르친다", []),  # 십일선 is not what 十善 reads
])
def test_numbers_before_hanja_are_read_as_its_numerals(
        text: str, expected: list[tuple[str, str, str]]) -> None:
    assert harvested(text) == expected
    table = AliasTable()
    table.add("a", harvest(normalize(text)))
    assert [p[:2] for p in table.pairs()] == [p[:2] for p in expected]


def test_a_name_spelled_by_its_sound_is_a_name_whatever_the_analyser_reads() -> None:
    """In some sentences Kiwi reads `마빈` as a form of the verb 마비다 (its term 마비 is not
    written as such, the mark of a verb); the syllables spell Marvin all the same."""
    text = normalize("팬들은 가수 마빈 게이(Marvin Gaye)를 기억한다")
    read = analyze(text)
    at = text.index("마빈")
    assert [u[0] for u in read.units if u[1] == at] == ["마빈"]
    misread = Analysis(tuple(("마비", at, at + 2, (), ()) if u[1] == at else u
                             for u in read.units), read.words)
    expected = [("마빈 게이", "Marvin Gaye", "sound")]
    assert [(p.name, p.alias, p.evidence) for p in harvest(text, misread)] == expected
    assert harvested(text) == expected


def test_the_glosss_own_name_comes_before_words_whose_initials_happen_to_fit() -> None:
    """`소셜 네트워크` and `사회관계망서비스` say the same thing twice; the initials of all
    three words fit SNS, but the gloss belongs to the word right before it."""
    assert harvested("학생들은 소셜 네트워크 사회관계망서비스(SNS)로 소식을 나눈다") == [
        ("사회관계망서비스", "SNS", "acronym")]
    assert harvested("학생들은 소셜 네트워크 서비스(SNS)로 소식을 나눈다") == [
        ("소셜 네트워크 서비스", "SNS", "initials")]


@pytest.mark.parametrize(("text", "expected"), [
    ("반도체 기업 엔비디아(Nvidia Corporation)가 발표했다",
     [("엔비디아", "Nvidia Corporation", "sound")]),
    ("투자은행 모건스탠리(Morgan Stanley Inc.)는", [("모건스탠리", "Morgan Stanley Inc.", "sound")]),
])
def test_a_companys_legal_form_need_not_be_heard(
        text: str, expected: list[tuple[str, str, str]]) -> None:
    assert harvested(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("그는 중고 스포츠 유틸리티 자동차(SUV)를 샀다", [("스포츠 유틸리티 자동차", "SUV", "acronym")]),
    # Nothing before it: a candidate only, used once a second document gives it.
    ("그는 유틸리티 자동차(SUV)를 샀다", [("유틸리티 자동차", "SUV", "phrase")]),
])
def test_an_acronyms_name_too_short_for_it_takes_the_bare_words_before(
        text: str, expected: list[tuple[str, str, str]]) -> None:
    """The gloss's size suggests `유틸리티 자동차`, which lacks the S (a loanword starts with a
    letter of its own sound); with the word before it the name is whole."""
    assert harvested(text) == expected

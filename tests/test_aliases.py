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
from index.analysis import analyze, normalize
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
    ("sample-037", "소형모듈원전", "i-SMR"),
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
    pytest.param("코로나19(COVID-19) 확산", [("코로나19", "COVID-19")], id="acronym-with-digits"),
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
    pytest.param("부품을 적재한 20피트 컨테이너(Dry steel container)",
                 [("20피트 컨테이너", "Dry steel container")], id="expansion-after-adnominal"),
    pytest.param("손해배상액의 예정(liquidated damages)인지", [], id="expansion-after-genitive"),
    pytest.param("정부는 세계인공지능협력기구(World AI Cooperation Organization)를",
                 [("세계인공지능협력기구", "World AI Cooperation Organization")],
                 id="expansion-after-a-topic"),
    pytest.param("금융투자회사의 기업실사(Due diligence)", [("기업실사", "Due diligence")],
                 id="expansion-after-genitive-long-enough"),
    pytest.param("손해배상액의 예정(LD)", [("예정", "LD")], id="acronym-is-not-affected"),
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
    assert len(copy) == len(table) == 18
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
    ("2월 28일 주한미군 사드(THAAD) 배치", [("주한미군 사드", "THAAD")]),
])
def test_dates_before_a_gloss_are_not_part_of_the_name(text: str,
                                                       expected: list[tuple[str, str]]) -> None:
    """Seen on Wikinews: 7일 = KST, 12월 17일 = KST were learned as aliases."""
    assert [(p.name, p.alias) for p in harvest(text)] == expected

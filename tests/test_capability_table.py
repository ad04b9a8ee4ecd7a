"""The capability table of issue 5: what a user types -> the article that must rank in the top 3.

One row per query, labelled with the capability it exercises, on the sample corpus (44 articles)
and on Wikinews (644 articles, when ../shared/data is present). Each query was written first, as
a user would type it, and the expected article chosen by reading the corpus; then it was run.
Rows for a forgiving rule (초성, keyboard layout, jamo typo, alias, user synonym) also require
that rule to fire, so a row cannot pass on its other words alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from index import index_paths
from search import Index, open_index

WIKINEWS = Path(__file__).resolve().parents[2] / "shared" / "data" / "wikinews-ko.jsonl"
needs_wikinews = pytest.mark.skipif(not WIKINEWS.exists(), reason="needs ../shared/data")

CAPABILITIES = {
    "particle": "a name with a particle glued on, or bare where the article glues one",
    "compound": "a compound written with or without spaces",
    "number": "a number with a Korean unit, with or without thousands separators",
    "acronym": "a Latin acronym in any case or width",
    "hanja": "a Hanja gloss",
    "alias": "one name of a glossed pair finds an article that uses only the other",
    "choseong": "initial consonants only",
    "keyboard": "Korean typed with the English keyboard layout",
    "typo": "a one-jamo typo",
    "spacing": "a space too many or too few inside or between words",
    "synonym": "a pair from the user's synonyms file",
    "exact": "literal matches rank above what only a rewrite found",
}
# The rule a forgiving row must see fire (Results.rewrites); other rows need none.
RULE = {"alias": "alias", "choseong": "choseong", "keyboard": "keyboard", "typo": "typo",
        "synonym": "alias"}
SYNONYMS = "NASA = 나사\n원안위 = 원자력안전위원회\n주담대 = 주택담보대출\n"


# -- readable ids -----------------------------------------------------------------------------

# pytest escapes non-ASCII ids (\uc2dc...), so ids spell Hangul in Revised Romanization.
_INITIAL = "g kk n d tt r m b pp s ss - j jj ch k t p h".split()
_MEDIAL = "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i".split()
_FINAL = ["", *"k k k n n n t l k m l l l p l m p p t t ng t t k t p t".split()]
_JAMO = dict(zip("ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ",
                 "G KK N D TT R M B PP S SS NG J JJ CH K T P H".split(), strict=True))


def romanized(text: str) -> str:
    """`text` with Hangul in Latin letters (초성 in capitals), other scripts as they are.

    >>> romanized("엔비디아가 H20")
    'enbidiaga H20'
    >>> romanized("ㅅㅈㅍ")
    'SJP'
    """
    out = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out.append(_INITIAL[code // 588].strip("-") + _MEDIAL[code % 588 // 28]
                       + _FINAL[code % 28])
        else:
            out.append(_JAMO.get(ch, ch))
    return "".join(out)


def row(capability: str, query: str, expected: str, name: str = "") -> Any:
    """A table row; `name` replaces the romanized query in the id (for Hanja)."""
    assert capability in CAPABILITIES
    short = expected.rsplit("-", 1)[-1]
    return pytest.param(query, capability, expected,
                        id=f"{capability}:{name or romanized(query)}->{short}")


# -- the sample corpus ------------------------------------------------------------------------

SAMPLE = [
    # Names with particles: the query glues one the article does not, or the other way round.
    row("particle", "엔비디아가 분기 매출", "sample-008"),
    row("particle", "딥시크가 개인정보", "sample-014"),
    row("particle", "나사가 아르테미스 2호", "sample-043"),
    row("particle", "국제원자력기구는 오염수", "sample-036"),
    row("particle", "LH가 피해주택 매입", "sample-031"),
    row("particle", "한수원이 체코 원전", "sample-035"),
    row("particle", "선전시가 드론 배송", "sample-028"),
    row("particle", "시진핑과 트럼프 부산 회담", "sample-006"),
    row("particle", "IAEA와 소형모듈원전", "sample-037"),
    row("particle", "OECD가 성장률 전망", "sample-022"),
    row("particle", "젠슨 황이 경주에서", "sample-011"),
    row("particle", "우주항공청이 다누리 임무", "sample-044"),
    # Compounds: 018 writes 탄소국경조정제도, 019 탄소 국경 조정 제도; 004 준비 사무국.
    row("compound", "탄소국경조정제도 전환기", "sample-018"),
    row("compound", "탄소 국경 조정 제도 전환기", "sample-018"),
    row("compound", "탄소국경조정제도 간소화", "sample-019"),
    row("compound", "탄소 국경 조정 제도 간소화", "sample-019"),
    row("compound", "탄소중립기본법", "sample-018"),
    row("compound", "탄소 중립 기본법 녹색산업", "sample-020"),
    row("compound", "반도체 특별법", "sample-012"),
    row("compound", "해상풍력 특별법", "sample-038"),
    row("compound", "소형 모듈 원전", "sample-037"),
    row("compound", "세계인공지능협력기구 준비사무국", "sample-004"),
    row("compound", "독자 AI 파운데이션 모델", "sample-016"),
    # Numbers: 027 writes 1,800만, 028 1800만; 013 5,890억; 041 1,872시간; 022 １８억 (full width).
    row("number", "1800만", "sample-027"),
    row("number", "1,800만 명", "sample-028"),
    row("number", "467억 달러", "sample-008"),
    row("number", "GPU 26만 장", "sample-011"),
    row("number", "135만 가구", "sample-030"),
    row("number", "최저임금 1만 30원", "sample-040"),
    row("number", "1872시간", "sample-041"),
    row("number", "5890억 달러", "sample-013"),
    row("number", "3조 5,000억 원", "sample-017"),
    row("number", "18억 달러 반도체 무역수지", "sample-022"),
    row("number", "0.72명", "sample-033"),
    # Acronyms: 028 writes ＡＰＥＣ in full width.
    row("acronym", "waico 전문가", "sample-002"),
    row("acronym", "ＷＡＩＣＯ 전문가", "sample-002", name="fullwidth WAICO jeonmunga"),
    row("acronym", "apec 드론 배송", "sample-028"),
    row("acronym", "hbm 수출 통제", "sample-010"),
    row("acronym", "cbam 철강 부담", "sample-021"),
    row("acronym", "NVIDIA 반독점", "sample-009"),
    row("acronym", "ｎｖｉｄｉａ 반독점", "sample-009", name="fullwidth nvidia bandokjeom"),
    row("acronym", "deepseek 화웨이", "sample-015"),
    row("acronym", "lh 공공택지", "sample-030"),
    row("acronym", "oecd 성장률", "sample-022"),
    row("acronym", "h20 판매", "sample-007"),
    row("acronym", "shenzhen 의제", "sample-029"),
    row("acronym", "i-smr", "sample-037"),
    # Hanja: 001 and 027 gloss 시진핑(習近平), 005 경주(慶州), 027 선전(深圳); 006 and 028 have none.
    row("hanja", "習近平 선전", "sample-027", name="Xi Jinping seonjeon"),
    row("hanja", "習近平 APEC 연설", "sample-001", name="Xi Jinping APEC yeonseol"),
    row("hanja", "習近平 트럼프 부산", "sample-006", name="Xi Jinping teureompeu busan"),
    row("hanja", "慶州 정상회의 폐막", "sample-005", name="Gyeongju jeongsanghoeui pyemak"),
    row("hanja", "深圳", "sample-027", name="Shenzhen"),
    row("hanja", "深圳 드론 배송", "sample-028", name="Shenzhen deuron baesong"),
    # Aliases, acronym -> an article with only the Korean name ...
    row("alias", "IAEA 오염수", "sample-036"),
    row("alias", "Nvidia 분기 매출", "sample-008"),
    row("alias", "DeepSeek 접속 차단", "sample-014"),
    row("alias", "CBAM 옴니버스 간소화", "sample-019"),
    row("alias", "CBAM 녹색기술", "sample-020"),
    row("alias", "WAICO 참여 실익", "sample-003"),
    # ... and the Korean name -> an article with only the acronym.
    row("alias", "국제원자력기구 소형모듈원전", "sample-037"),
    row("alias", "엔비디아 반독점", "sample-009"),
    row("alias", "딥시크 샘 올트먼", "sample-015"),
    row("alias", "미국 항공우주국 섀도캠", "sample-044"),
    row("alias", "경제협력개발기구 노동시간", "sample-041"),
    row("alias", "아시아태평양경제협력체 Shenzhen", "sample-029"),
    row("alias", "자유무역협정 배터리 원산지", "sample-020"),
    # 초성
    row("choseong", "ㅅㅈㅍ", "sample-001"),
    row("choseong", "ㅅㅈㅍ ㅌㄹㅍ", "sample-006"),
    row("choseong", "ㄱㅈㅇㅈㄹㄱㄱ 오염수", "sample-036"),
    row("choseong", "ㅇㅈㅎㄱㅊ 개청", "sample-042"),
    row("choseong", "ㅎㄱㅊㅅㅇ 반등", "sample-034"),
    row("choseong", "ㄷㄴㄹ", "sample-044"),
    row("choseong", "ㅎㅅㅍㄹ", "sample-038"),
    row("choseong", "ㅊㄱㄹㅅㅎ", "sample-023"),
    # The English layout: 시진핑 부산, 반도체 특별법, 딥시크 접속 차단, 엔비디아 실적, 다누리 임무
    # 연장, 최저임금, 선전 드론 배송, 우주항공청.
    row("keyboard", "tlwlsvld qntks", "sample-006"),
    row("keyboard", "qksehcp xmrqufqjq", "sample-012"),
    row("keyboard", "elqtlzm wjqthr ckeks", "sample-014"),
    row("keyboard", "dpsqleldk tlfwjr", "sample-008"),
    row("keyboard", "eksnfl dlaan duswkd", "sample-044"),
    row("keyboard", "chlwjdlarma", "sample-040"),
    row("keyboard", "tjswjs emfhs qothd", "sample-028"),
    row("keyboard", "dnwngkdrhdcjd", "sample-042"),
    # One-jamo typos
    row("typo", "시진펑", "sample-001"),
    row("typo", "시진펑 펜타닐", "sample-006"),
    row("typo", "반도채 52시간", "sample-012"),
    row("typo", "탄소중닙", "sample-018"),
    row("typo", "엔비디야", "sample-008"),
    row("typo", "딥시그 R1", "sample-013"),
    row("typo", "우주항공챙 개청", "sample-042"),
    row("typo", "아르테미즈 큐브위성", "sample-043"),
    # Spacing: a name cut in two, words run together.
    row("spacing", "시 진핑 부산", "sample-006"),
    row("spacing", "엔비 디아 실적", "sample-008"),
    row("spacing", "다 누리 임무", "sample-044"),
    row("spacing", "딥 시크 접속 차단", "sample-014"),
    row("spacing", "우주 항공청 개청", "sample-042"),
    row("spacing", "아르테 미스 2호", "sample-043"),
    row("spacing", "섀도 캠", "sample-044"),
    row("spacing", "희토류수출통제", "sample-006"),
    row("spacing", "최저 임금 1만 원", "sample-040"),
    row("spacing", "주52시간 예외", "sample-012"),
    row("spacing", "전세사기피해자 특별법", "sample-031"),
    row("spacing", "반도체수출 회복", "sample-022"),
    row("spacing", "국민 연금 개혁", "sample-024"),
    # The user's synonyms (SYNONYMS): no gloss in the corpus ties these names together.
    row("synonym", "NASA", "sample-043"),
    row("synonym", "나사", "sample-044"),
    row("synonym", "원안위", "sample-036"),
    row("synonym", "주담대", "sample-030"),
    # Literal matches first: 선전 and 나사 are not corrected to 선정 and 나라.
    row("exact", "Nvidia", "sample-009"),
    row("exact", "IAEA", "sample-037"),
    row("exact", "WAICO", "sample-002"),
    row("exact", "DeepSeek", "sample-015"),
    row("exact", "딥시크", "sample-014"),
    row("exact", "선전", "sample-027"),
    row("exact", "나사", "sample-043"),
    row("exact", "탄소중립기본법", "sample-018"),
    row("exact", "미국 항공우주국", "sample-042"),
    row("exact", "慶州", "sample-005", name="Gyeongju"),
]

# -- Wikinews -----------------------------------------------------------------------------------

WIKINEWS_ROWS = [
    row("particle", "엔케가 자살", "wikinews-0005"),
    row("particle", "아마디네자드가 파울을 비난", "wikinews-0012"),
    row("particle", "카다피가 퇴진 거부", "wikinews-0101"),
    row("particle", "호나우두가 은퇴", "wikinews-0092"),
    row("particle", "황장엽이 자택에서 사망", "wikinews-0038"),
    row("particle", "코스트코가 의무휴업일", "wikinews-0176"),
    row("particle", "안철수가 후보자 사퇴", "wikinews-0216"),
    row("particle", "박칼린이 청년특별위원", "wikinews-0230"),
    row("particle", "메르켈의 기민당", "wikinews-0287"),
    # Glosses as the articles write them: 허우한민(侯漢敏), 스가 요시히데(菅義偉), 신모에다케(新燃岳),
    # 우범선(禹範善), 서북공심돈(西北空心墩), 남조류(藍藻類), 펑파이(澎湃).
    row("hanja", "侯漢敏", "wikinews-0020", name="Hou Hanmin"),
    row("hanja", "菅義偉 안중근", "wikinews-0280", name="Suga Yoshihide anjunggeun"),
    row("hanja", "新燃岳 화산 폭발", "wikinews-0078", name="Shinmoedake hwasan pokbal"),
    row("hanja", "禹範善", "wikinews-0077", name="U Beomseon"),
    row("hanja", "西北空心墩", "wikinews-0064", name="Seobuk gongsimdon"),
    row("hanja", "藍藻類", "wikinews-0184", name="namjoryu"),
    row("hanja", "澎湃", "wikinews-0420", name="Pengpai"),
    # 볼라벤(BOLAVEN), 덴빈(TEMBIN), 한국과학기술원(KAIST), 미국 항공우주국(NASA),
    # 화학무기금지기구(OPCW), 사드(THAAD).
    row("acronym", "bolaven", "wikinews-0146"),
    row("acronym", "tembin", "wikinews-0154"),
    row("acronym", "kaist 수업료", "wikinews-0111"),
    row("acronym", "ｎａｓａ 디스커버리호", "wikinews-0044", name="fullwidth nasa diseukeobeoriho"),
    row("acronym", "opcw 집행이사국", "wikinews-0218"),
    row("acronym", "thaad 성주", "wikinews-0404"),
    # 0052 says only NASA, 0063 only 북방한계선, 0555 only WTO, 0453 only 사드, 0018 only NATO,
    # 0610 only IMF, 0478 only WHO, 0148 only 볼라벤.
    row("alias", "미국 항공우주국 달 균열", "wikinews-0052"),
    row("alias", "NLL 연평도 해상사격훈련", "wikinews-0063"),
    row("alias", "세계무역기구 사무총장", "wikinews-0555"),
    row("alias", "THAAD 거짓 보고", "wikinews-0453"),
    row("alias", "북대서양조약기구 아프간 공습", "wikinews-0018"),
    row("alias", "국제통화기금 블룸버그", "wikinews-0610"),
    row("alias", "세계보건기구 스포츠 대회", "wikinews-0478"),
    row("alias", "Bolaven 북상", "wikinews-0148"),
    row("number", "9억 9000만원", "wikinews-0089"),
    row("number", "1조 5천억원", "wikinews-0271"),
    row("number", "920hPa", "wikinews-0146"),
    row("number", "선거인단 332명", "wikinews-0211"),
    row("choseong", "ㅂㄹㅂ", "wikinews-0146"),
    row("choseong", "ㅁㅂㄹㅋ", "wikinews-0095"),
    row("choseong", "ㅋㄷㅍ", "wikinews-0101"),
    # 볼라벤 북상, 무바라크, 카다피, 사드 배치
    row("keyboard", "qhffkqps qnrtkd", "wikinews-0148"),
    row("keyboard", "anqkfkzm", "wikinews-0095"),
    row("keyboard", "zkekvl", "wikinews-0101"),
    row("keyboard", "tkem qocl", "wikinews-0403"),
    row("typo", "볼라밴", "wikinews-0146"),
    row("typo", "무바라그", "wikinews-0095"),
    row("typo", "카다파", "wikinews-0101"),
    row("spacing", "해상 사격 훈련", "wikinews-0063"),
    row("spacing", "코스트 코 의무 휴업일", "wikinews-0176"),
    row("spacing", "징벌적수업료", "wikinews-0111"),
    row("spacing", "점쟁이문어", "wikinews-0012"),
    row("exact", "THAAD", "wikinews-0403"),
    row("exact", "볼라벤", "wikinews-0146"),
    row("exact", "NASA", "wikinews-0044"),
]


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(sample_index: Path) -> Iterator[Index]:
    with open_index(sample_index) as index:
        yield index


@pytest.fixture(scope="module")
def with_synonyms(sample_index: Path, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[Index]:
    """The sample index opened with SYNONYMS as the user's synonyms file."""
    data = tmp_path_factory.mktemp("synonyms-data")
    (data / "kosearch").mkdir()
    (data / "kosearch" / "synonyms.txt").write_text(SYNONYMS, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_DATA_HOME", str(data))
        index = open_index(sample_index)  # reads the synonyms file now, once
    with index:
        assert index.synonyms_error is None
        yield index


@pytest.fixture(scope="module")
def wikinews(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    """An index of Wikinews, built once for this module (as tests/test_wikinews.py does)."""
    path = tmp_path_factory.mktemp("wikinews-table") / "index"
    report = index_paths([WIKINEWS], path)
    assert (report.added, report.failed) == (644, 0)
    with open_index(path) as index:
        yield index


# -- the checks -------------------------------------------------------------------------------


def check(idx: Index, query: str, capability: str, expected: str) -> None:
    results = idx.search(query, limit=3, snippet_count=0)
    top = [h.id for h in results.hits]
    fired = [(r.rule, r.original, r.replacement) for r in results.rewrites]
    assert expected in top, f"{query!r}: {expected} not in the top 3 {top}; rewrites {fired}"
    rule = RULE.get(capability)
    if rule:
        assert rule in {r for r, _, _ in fired}, f"{query!r}: no {rule} rewrite in {fired}"


def exact_first(idx: Index, query: str) -> None:
    literal = [h.id for h in idx.search(query, limit=50, snippet_count=0, forgiving=False).hits]
    wide = [h.id for h in idx.search(query, limit=50, snippet_count=0).hits]
    assert literal
    assert wide[:len(literal)] == literal


@pytest.mark.parametrize(("query", "capability", "expected"), SAMPLE)
def test_sample(sample: Index, with_synonyms: Index, query: str, capability: str,
                expected: str) -> None:
    check(with_synonyms if capability == "synonym" else sample, query, capability, expected)
    if capability == "exact":
        exact_first(sample, query)


@pytest.mark.parametrize(("query", "capability", "expected"),
                         [p for p in SAMPLE if p.values[1] == "synonym"])
def test_synonym_rows_need_the_synonyms_file(sample: Index, query: str, capability: str,
                                             expected: str) -> None:
    """Without the file, these articles are not found: the rows test the file, nothing else."""
    assert expected not in [h.id for h in sample.search(query, limit=3, snippet_count=0).hits]


@needs_wikinews
@pytest.mark.parametrize(("query", "capability", "expected"), WIKINEWS_ROWS)
def test_wikinews(wikinews: Index, query: str, capability: str, expected: str) -> None:
    check(wikinews, query, capability, expected)
    if capability == "exact":
        exact_first(wikinews, query)


def test_every_capability_has_three_rows() -> None:
    sample = Counter(p.values[1] for p in SAMPLE)
    assert set(sample) == set(CAPABILITIES)
    assert min(sample.values()) >= 3, sample
    assert len(SAMPLE) >= 50
    wiki = Counter(p.values[1] for p in WIKINEWS_ROWS)
    assert len(WIKINEWS_ROWS) >= 15
    assert min(wiki[c] for c in ("particle", "hanja", "acronym", "alias")) >= 3, wiki


def test_ids_are_unique() -> None:
    ids = [p.id for p in SAMPLE + WIKINEWS_ROWS]
    assert len(ids) == len(set(ids)), Counter(ids).most_common(3)

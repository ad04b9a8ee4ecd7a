"""Forgiving rewrites over the sample corpus's vocabulary: 초성, keyboard layout, jamo typos,
spacing and alias expansion, each naming the rule that fired, and the rewritten queries finding
what the originals missed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from index.aliases import AliasTable, harvest, load_synonyms
from index.analysis import normalize
from index.sample import SAMPLE_FILE
from search import Index, Rewrite, open_index
from search.forgiving import apply_rewrites, rewrites
from search.suggest import Vocabulary, vocabulary


@pytest.fixture(scope="module")
def idx(sample_index: Path) -> Iterator[Index]:
    with open_index(sample_index) as index:
        yield index


@pytest.fixture(scope="module")
def vocab(idx: Index) -> Vocabulary:
    return vocabulary(idx._searcher)


@pytest.fixture(scope="module")
def aliases() -> AliasTable:
    table = AliasTable()
    for doc in map(orjson.loads, SAMPLE_FILE.read_bytes().splitlines()):
        table.add(doc["id"], harvest(normalize(doc["title"])) + harvest(normalize(doc["body"])))
    return table


def rules(found: list[Rewrite]) -> list[tuple[str, str, str]]:
    return [(r.rule, r.original, r.replacement) for r in found]


@pytest.mark.parametrize(("query", "expected"), [
    # 초성
    ("ㅅㅈㅍ", [("choseong", "ㅅㅈㅍ", "시진핑")]),
    ("ㅂㄷㅊ 수출", [("choseong", "ㅂㄷㅊ", "반도체")]),
    ("ㄱㅈㅇㅈㄹㄱㄱ", [("choseong", "ㄱㅈㅇㅈㄹㄱㄱ", "국제원자력기구")]),
    ("ㅋㅋㅋㅋㅋ", []),
    # keyboard layout
    ("tlwlsvld", [("keyboard", "tlwlsvld", "시진핑")]),
    ("qksehcp", [("keyboard", "qksehcp", "반도체")]),
    ("qksehcpdml", [("keyboard", "qksehcpdml", "반도체의")]),
    ("rudwn APEC", [("keyboard", "rudwn", "경주")]),
    ("xkatjwndfl", []),
    ("hello", []),
    ("waico", []),
    # jamo typos
    ("시진펑", [("typo", "시진펑", "시진핑")]),
    ("반도채", [("typo", "반도채", "반도체")]),
    ("탄소중닙", [("typo", "탄소중닙", "탄소중립")]),
    ("반도채를 수출", [("typo", "반도채를", "반도체를")]),
    ("nvidi", [("typo", "nvidi", "nvidia")]),
    ("12일", []),
    # spacing
    ("반도체수출", [("spacing", "반도체수출", "반도체 수출")]),
    ("시 진핑", [("spacing", "시 진핑", "시진핑")]),
    ("엔비 디아 실적", [("spacing", "엔비 디아", "엔비디아")]),
    # known words and query syntax are left alone
    ("시진핑 연설", []),
    ("탄소중립기본법", [("spacing", "탄소중립기본법", "탄소중립 기본법")]),  # in one article only
    ('"시진펑" 연설', []),
    ("-시진펑 연설", []),
    ("title:반도채", []),
    ("", []),
])
def test_corrections(vocab: Vocabulary, query: str, expected: list[tuple[str, str, str]]) -> None:
    assert rules(rewrites(query, vocab)) == expected


@pytest.mark.parametrize(("query", "expected"), [
    ("엔비디아", [("alias", "엔비디아", "Nvidia")]),
    ("엔비디아가 수출", [("alias", "엔비디아가", "Nvidia")]),
    ("Nvidia", [("alias", "Nvidia", "엔비디아")]),
    ("NASA", [("alias", "NASA", "미국 항공우주국")]),
    ("미국 항공우주국 예산", [("alias", "미국 항공우주국", "NASA")]),
    ("IAEA 사찰", [("alias", "IAEA", "국제원자력기구")]),
    ("WAICO", [("alias", "WAICO", "World Artificial Intelligence Cooperation Organization"),
               ("alias", "WAICO", "세계 인공지능 협력기구")]),
    ("경주 APEC", [("alias", "경주", "慶州"), ("alias", "APEC", "아시아태평양경제협력체")]),
    ("ㅅㅈㅍ", [("choseong", "ㅅㅈㅍ", "시진핑"), ("alias", "시진핑", "習近平")]),
    ("tlwlsvld", [("keyboard", "tlwlsvld", "시진핑"), ("alias", "시진핑", "習近平")]),
    ("시진펑", [("typo", "시진펑", "시진핑"), ("alias", "시진핑", "習近平")]),
    ("엔비 디아", [("spacing", "엔비 디아", "엔비디아"), ("alias", "엔비디아", "Nvidia")]),
    ("반도체 수출", []),
])
def test_aliases(vocab: Vocabulary, aliases: AliasTable, query: str,
                 expected: list[tuple[str, str, str]]) -> None:
    assert rules(rewrites(query, vocab, aliases)) == expected


@pytest.mark.parametrize(("word", "without_known"), [
    ("선전", [("typo", "선전", "선정")]),
    ("탄소중립기본법", [("spacing", "탄소중립기본법", "탄소중립 기본법")]),
])
def test_a_rare_known_word_is_not_corrected(idx: Index, vocab: Vocabulary, word: str,
                                            without_known: list[tuple[str, str, str]]) -> None:
    """Words of one document are too rare for the vocabulary, so alone they look like typos."""
    assert rules(rewrites(word, vocab)) == without_known
    known = lambda w: idx._searcher.doc_frequency("words", w) > 0  # noqa: E731
    assert rewrites(word, vocab, known=known) == []


@pytest.mark.parametrize(("query", "found", "expected"), [
    ("반도채 수출", [Rewrite("typo", "반도채", "반도체")], "반도체 수출"),
    ("시 진핑 연설", [Rewrite("spacing", "시 진핑", "시진핑")], "시진핑 연설"),
    ("엔비디아 실적", [Rewrite("alias", "엔비디아", "Nvidia")], "(엔비디아 OR Nvidia) 실적"),
    ("NASA", [Rewrite("alias", "NASA", "미국 항공우주국")], '(NASA OR "미국 항공우주국")'),
    ("tlwlsvld", [Rewrite("keyboard", "tlwlsvld", "시진핑"), Rewrite("alias", "시진핑", "習近平")],
     "(시진핑 OR 習近平)"),
    ("소형모듈원전", [Rewrite("alias", "소형모듈원전", "i-SMR")], '(소형모듈원전 OR "i-SMR")'),
    ("수출", [], "수출"),
])
def test_apply_rewrites(query: str, found: list[Rewrite], expected: str) -> None:
    assert apply_rewrites(query, found) == expected


@pytest.mark.parametrize(("query", "before", "after"), [
    ("Nvidia", {"sample-009"}, {"sample-007", "sample-008", "sample-009", "sample-011",
                                "sample-013"}),
    ("IAEA", {"sample-035", "sample-037"}, {"sample-035", "sample-036", "sample-037"}),
    ("WAICO", {"sample-001", "sample-002", "sample-029"},
     {"sample-001", "sample-002", "sample-003", "sample-004", "sample-029"}),
    ("DeepSeek", {"sample-013", "sample-015"},
     {"sample-013", "sample-014", "sample-015", "sample-016"}),
    ("tlwlsvld", set(), {"sample-001", "sample-002", "sample-003", "sample-006", "sample-020",
                         "sample-025", "sample-027"}),
])
def test_rewritten_queries_find_more(idx: Index, vocab: Vocabulary, aliases: AliasTable,
                                     query: str, before: set[str], after: set[str]) -> None:
    def found(text: str) -> set[str]:
        return {h.id for h in idx.search(text, limit=50)}

    assert found(query) >= before
    assert found(apply_rewrites(query, rewrites(query, vocab, aliases))) == after


def test_user_synonyms_reach_what_no_gloss_links(idx: Index, vocab: Vocabulary,
                                                 aliases: AliasTable, tmp_path: Path) -> None:
    """Article 043 says only 나사; no gloss in the corpus ties it to NASA."""
    path = tmp_path / "synonyms.txt"
    path.write_text("NASA = 나사\n", encoding="utf-8")
    table = AliasTable.from_json(aliases.to_json())
    table.use_synonyms(load_synonyms(path))
    query = apply_rewrites("NASA", rewrites("NASA", vocab, table))
    assert query == '(NASA OR 나사 OR "미국 항공우주국")'
    assert {h.id for h in idx.search(query)} == {"sample-042", "sample-043", "sample-044"}


def test_a_keystroke_analyses_nothing_it_has_seen(vocab: Vocabulary, aliases: AliasTable) -> None:
    """Rewrites run on every keystroke, so what keeps them cheap is that a query seen once is
    not analysed again: every analysis comes from the analyzer's cache, none from Kiwi, and
    the rewrites are the same."""
    from index.analysis import current_analyzer

    queries = ["엔비디아가 반도채 수출", "ㅅㅈㅍ 연설", "tlwlsvld APEC", "미국 항공우주국 예산"]
    first = [rules(rewrites(q, vocab, aliases)) for q in queries]
    cache = current_analyzer().analyze
    before = cache.cache_info()  # type: ignore[attr-defined]
    again = [rules(rewrites(q, vocab, aliases)) for _ in range(50) for q in queries]
    after = cache.cache_info()  # type: ignore[attr-defined]
    assert after.misses == before.misses
    assert after.hits - before.hits >= 200  # at least one analysis per query, all cached
    assert again == first * 50
    assert first == [
        [("typo", "반도채", "반도체"), ("alias", "엔비디아가", "Nvidia")],
        [("choseong", "ㅅㅈㅍ", "시진핑"), ("alias", "시진핑", "習近平")],
        [("keyboard", "tlwlsvld", "시진핑"), ("alias", "시진핑", "習近平"),
         ("alias", "APEC", "아시아태평양경제협력체")],
        [("alias", "미국 항공우주국", "NASA")],
    ]

"""Words mixing Latin and Hangul match whatever their letter case.

Kiwi's dictionary holds names with Latin in them (`LG전자`, `판도라TV`, `LNG선`) that it reads
as one morpheme in some contexts, and as Latin + Hangul in others (alone, or written in lower
case: `lg전자` is lg/SL + 전자/NNG). Such a name is indexed and searched as its Latin, lowered,
and its other letters, so every spelling meets the others and the Latin alone finds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace

import orjson
import pytest

from index import index_paths
from index.terms import units_and_words
from search import open_index

ARTICLES = [
    {"id": "m-1", "title": "조선소 소식", "body": "한 조선소가 올해 LNG선을 열두 척 건조했다고 밝혔다."},
    {"id": "m-2", "title": "중계 안내", "body": "우리 팀 경기는 판도라TV에서 다시 볼 수 있다."},
    {"id": "m-3", "title": "가전 소식", "body": "LG전자는 새 냉장고를 내놓았다."},
    {"id": "m-4", "title": "채널 소식", "body": "자빱TV 채널이 새 영상을 올렸다."},
    {"id": "m-5", "title": "이적 소식", "body": "구단은 팔레르모 FC와 계약했다."},
]


def _tokens(*toks: tuple[str, str, int, int]) -> Sequence[SimpleNamespace]:
    return [SimpleNamespace(form=f, tag=t, start=s, end=e) for f, t, s, e in toks]


def test_a_dictionary_name_with_latin_is_its_latin_lowered_and_its_hangul() -> None:
    # As Kiwi reads `LNG선을 샀다` in context: one morpheme LNG선.
    text = "LNG선을 샀다"
    analysis = units_and_words(text, _tokens(("LNG선", "NNP", 0, 4), ("을", "JKO", 4, 5),
                                             ("사", "VV", 6, 7), ("았", "EP", 6, 7),
                                             ("다", "EF", 7, 8)), {})
    assert [u[:3] for u in analysis.units] == [("lng", 0, 3), ("선", 3, 4), ("사", 6, 7)]
    assert analysis.words == (("lng선", 0, 4), ("샀", 6, 7))


def test_punctuation_inside_such_a_name_is_no_term_and_spaced_names_lower_their_latin() -> None:
    text = "A-특공대와 팔레르모 FC"
    analysis = units_and_words(text, _tokens(("A-특공대", "NNP", 0, 5), ("와", "JKB", 5, 6),
                                             ("팔레르모 FC", "NNP", 7, 14)), {})
    assert [u[:3] for u in analysis.units] == [("a", 0, 1), ("특공대", 2, 5), ("팔레르모", 7, 11),
                                              ("fc", 12, 14)]


def test_a_name_kiwi_gives_as_a_lemma_is_lowered_whole() -> None:
    # The form differs from the text under it: its pieces cannot be located.
    analysis = units_and_words("ABC사의", _tokens(("ABC사", "NNP", 0, 3), ("의", "JKG", 4, 5)), {})
    assert [u[:3] for u in analysis.units] == [("abc사", 0, 3)]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mixed")
    source = folder / "articles.jsonl"
    source.write_bytes(b"\n".join(orjson.dumps(a) for a in ARTICLES) + b"\n")
    report = index_paths([source], folder / "index")
    assert report.failed == 0, report.problems
    return folder / "index"


def _found(path: Path, query: str) -> list[tuple[str, list[str]]]:
    with open_index(path) as ix:
        results = ix.search(query)
        return [(h.id, [s.text[a:b] for s in h.snippets for a, b in s.marks])
                for h in results.hits]


@pytest.mark.parametrize(("query", "expected"), [
    ("LNG선", [("m-1", ["LNG선"])]),
    ("lng선", [("m-1", ["LNG선"])]),
    ("LNG", [("m-1", ["LNG"])]),
    ("판도라tv", [("m-2", ["판도라TV"])]),
    ("판도라TV", [("m-2", ["판도라TV"])]),
    ("lg전자", [("m-3", ["LG전자"])]),
    ("LG전자", [("m-3", ["LG전자"])]),
    ("fc", [("m-5", ["FC"])]),
])
def test_each_spelling_finds_the_name(index: Path, query: str,
                                      expected: list[tuple[str, list[str]]]) -> None:
    assert _found(index, query) == expected

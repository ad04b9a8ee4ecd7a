"""One word in quotation marks is that word as written: its morphemes together, or the whole
word, never its pieces anywhere. The same holds for an alias of one word of several
morphemes, which the search quotes (THAAD's 종말단계고고도지역방어: a QA pass on Wikinews saw
a lone 지역 and 방어 marked in an article that only says THAAD). Whoosh made a quoted single
word a plain term before the phrase was read.

On three articles written for these tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from written_articles import article_index

from search import Index

ARTICLES = [
    ("w1", "인수위 출범", "대통령직 인수위원회가 출범했다. 위원회는 다음 주 첫 회의를 연다."),
    ("w2", "합병 검토", "회사는 인수 합병을 검토하는 위원회를 꾸렸다. 인수 대금은 밝히지 않았다."),
    ("w3", "날씨", "맑은 날씨가 이어졌다."),
]


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    with article_index(tmp_path_factory.mktemp("quoted"), ARTICLES) as index:
        yield index


def marks(index: Index, query: str) -> dict[str, list[str]]:
    return {h.id: [s.text[a:b] for s in h.snippets for a, b in s.marks]
            for h in index.search(query)}


def test_a_quoted_word_finds_and_marks_only_the_word(three: Index) -> None:
    assert marks(three, '"인수위원회"') == {"w1": ["인수위원회"]}
    doc = three.document("w1", '"인수위원회"')
    assert doc is not None
    assert [doc.body[a:b] for a, b in doc.body_marks] == ["인수위원회"]


def test_unquoted_the_pieces_still_count(three: Index) -> None:
    """Without quotes a compound also finds its morphemes apart, after the word itself."""
    assert [h.id for h in three.search("인수위원회")] == ["w1", "w2"]


def test_a_quoted_word_among_others_and_an_or_group(three: Index) -> None:
    assert marks(three, '"인수위원회" 회의') == {"w1": ["인수위원회", "회의"]}
    assert sorted(marks(three, '(날씨 OR "인수위원회")')) == ["w1", "w3"]
    assert marks(three, '(날씨 OR "인수위원회")')["w1"] == ["인수위원회"]

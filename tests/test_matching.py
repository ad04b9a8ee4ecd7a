"""One answer to "which words does a prefix stand for": ranking, the marks of search results and
the marks of a whole document agree, even when the prefix stands for more terms than are kept
(the most frequent are), so a hit found through a term never comes back unmarked."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

import search.matching
from index import index_paths
from search import Index, open_index

# 71 terms starting with "kora": 70 found once, in alphabetical order before the one found in
# three documents ("korazz", the last alphabetically and the most frequent).
RARE = ["kora" + a + b for a, b in itertools.product("abcdefgh", "abcdefghi")][:70]
FREQUENT_BODY = "정부는 korazz 계획을 발표했다. 시민들은 korazz 소식을 반겼다."
FREQUENT_MARKS = ((4, 10), (26, 32))


@pytest.fixture(scope="module")
def prefixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("prefix")
    docs = [{"id": f"r{i}", "title": f"기록 {i}", "body": f"오늘 회의에서 {word} 안건을 다뤘다."}
            for i, word in enumerate(RARE)]
    docs += [{"id": f"f{i}", "title": f"보고 {i}", "body": FREQUENT_BODY} for i in range(3)]
    (folder / "docs.jsonl").write_bytes(b"\n".join(orjson.dumps(d) for d in docs))
    assert index_paths([folder / "docs.jsonl"], folder / "index").added == 73
    return folder / "index"


@pytest.fixture
def index(prefixed: Path) -> Iterator[Index]:
    with open_index(prefixed) as opened:
        yield opened


def result_marks(index: Index, query: str) -> dict[str, tuple[tuple[int, int], ...]]:
    """Each hit's body marks as offsets into the whole body (snippets hold the short bodies
    whole)."""
    out = {}
    for hit in index.search(query, limit=100).hits:
        out[hit.id] = tuple((hit.snippets[0].start + s, hit.snippets[0].start + e)
                            for s, e in hit.snippets[0].marks) if hit.snippets else ()
    return out


def document_marks(index: Index, doc_id: str, query: str) -> tuple[tuple[int, int], ...]:
    document = index.document(doc_id, query)
    assert document is not None
    return document.body_marks


def test_a_prefix_hit_is_marked_alike_in_results_and_documents(index: Index) -> None:
    """`kora*` finds all 73 documents; the three holding `korazz` (past the first 64 terms in
    alphabetical order) are marked, in results and in the document, at the same places."""
    found = result_marks(index, "kora*")
    assert len(found) == 73
    for doc_id in ("f0", "f1", "f2"):
        assert found[doc_id] == document_marks(index, doc_id, "kora*") == FREQUENT_MARKS
    assert found["r69"] == document_marks(index, "r69", "kora*") == ((8, 14),)


def test_past_the_cap_the_most_frequent_terms_stand_for_the_prefix(
        index: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    """With room for two terms, `kora*` stands for `korazz` (3 documents) and `koraaa` (the
    first of the terms found once): those are what it matches and what is marked, alike."""
    monkeypatch.setattr(search.matching, "MAX_EXPANSION", 2)
    found = result_marks(index, "kora*")
    assert sorted(found) == ["f0", "f1", "f2", "r0"]
    assert found["f0"] == document_marks(index, "f0", "kora*") == FREQUENT_MARKS
    assert found["r0"] == document_marks(index, "r0", "kora*") == ((8, 14),)
    assert document_marks(index, "r1", "kora*") == ()  # koraab: not among the two


def test_a_pattern_expands_most_frequent_first_only_past_the_cap(
        index: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    reader = index._searcher.reader()
    assert search.matching.pattern_terms(reader, "body", "kora*") == sorted(RARE + ["korazz"])
    assert search.matching.pattern_terms(reader, "body", "korazz") == ["korazz"]
    assert search.matching.pattern_terms(reader, "body", "없는말*") == []
    monkeypatch.setattr(search.matching, "MAX_EXPANSION", 3)
    assert search.matching.pattern_terms(reader, "body", "kora*") == ["korazz", "koraaa", "koraab"]

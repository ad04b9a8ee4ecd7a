"""An index written by an earlier kosearch keeps working: it opens, searches with its learned
aliases, and takes new documents.

`tests/data/index-v1/` was built by kosearch at commit 6370ba4 (format 1, analyzer 2) from
`tests/data/index-v1-articles.jsonl`; Whoosh pickled `index.store.KoreanText` and
`index.analysis.KiwiTokenizer` into it, so those import paths must stay.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index import index_paths
from search import open_index

DATA = Path(__file__).parent / "data"


@pytest.fixture
def legacy(tmp_path: Path) -> Path:
    """A copy of the old index (tests never write into the committed one)."""
    path = tmp_path / "index"
    shutil.copytree(DATA / "index-v1", path)
    return path


def _found(path: Path, query: str) -> list[tuple[str, list[str]]]:
    with open_index(path) as ix:
        results = ix.search(query)
        return [(h.id, [s.text[a:b] for s in h.snippets for a, b in s.marks]) for h in results.hits]


@pytest.mark.parametrize(("query", "expected"), [
    ("엔비디아", [("legacy-1", ["엔비디아", "Nvidia"])]),
    ("Nvidia", [("legacy-1", ["엔비디아", "Nvidia"])]),
    ("習近平", [("legacy-3", ["시진핑", "習近平"])]),
    ("탄소 국경 조정 제도", [("legacy-2", ["탄소국경조정제도", "CBAM"])]),
    ("공급망", [("legacy-3", ["공급망"])]),
])
def test_an_old_index_opens_and_searches(legacy: Path, query: str,
                                         expected: list[tuple[str, list[str]]]) -> None:
    assert _found(legacy, query) == expected


def test_an_old_index_shows_a_document_with_its_marks(legacy: Path) -> None:
    with open_index(legacy) as ix:
        doc = ix.document("legacy-2", "탄소국경조정제도")
    assert doc is not None
    assert [doc.body[a:b] for a, b in doc.body_marks] == ["탄소국경조정제도", "CBAM"]


SOURCE = "/tmp/legacy-src/articles.jsonl"
"""Where the old index was built from (its documents' `path`): that file is gone on other
machines, and a run removes the documents of files that are gone."""


def test_an_old_index_takes_new_documents(legacy: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Its source file still in place (as `index.plan.gone` sees it), the old documents stay."""
    import index.plan

    real_gone = index.plan.gone
    monkeypatch.setattr(index.plan, "gone", lambda path: path != SOURCE and real_gone(path))
    more = tmp_path / "more.jsonl"
    more.write_text('{"id": "new-1", "title": "공급망 점검 회의", "body": "정부는 반도체 공급망 '
                    '점검 회의를 열었다."}\n', encoding="utf-8")
    report = index_paths([more], legacy)
    assert (report.added, report.failed) == (1, 0)
    assert sorted(hit for hit, _ in _found(legacy, "공급망")) == ["legacy-3", "new-1"]
    assert _found(legacy, "Nvidia") == [("legacy-1", ["엔비디아", "Nvidia"])]

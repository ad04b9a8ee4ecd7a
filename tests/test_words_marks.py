"""Every document a search finds shows why: a word found through the `words` view alone (Kiwi
reads it one way in the query and another in the document) is marked where it stands, in the
results' snippets, in the whole document and in the preview's match count."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from test_tui_support import pilot_test
from textual.app import App, ComposeResult
from textual.widgets import Static

from index import index_paths
from search import Index, Results, open_index
from tui.preview import Preview

DOCS = [
    ("w01", "기차 여행", "기차는 대전광역시에서 부산광역시까지 세 시간을 달렸다. 창밖으로 들판이 지나갔다."),
    ("w02", "도서관 개관", "올해 가을 부산광역시 해운대구에 새 도서관이 문을 연다."),
    ("w03", "공사 소식", "현재 공사는 절반쯤 끝났다. 다리는 내년 봄에 열린다."),
    ("w04", "학교 소식", "그 학교는 2019년에 문을 닫았다. 10월에는 마을 10 곳에서 100명이 모였다."),
    ("w05", "바닷가 축제", "시청 앞 광장에서 밤늦게까지 축제가 열렸다."),
]


@pytest.fixture(scope="module")
def idx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    base = tmp_path_factory.mktemp("words-marks")
    source = base / "docs.jsonl"
    source.write_bytes(b"".join(
        orjson.dumps({"id": i, "title": t, "body": b, "date": f"2025-03-{n + 1:02d}"}) + b"\n"
        for n, (i, t, b) in enumerate(DOCS)))
    report = index_paths([source], base / "index")
    assert (report.added, report.failed) == (len(DOCS), 0)
    with open_index(Path(base / "index")) as index:
        yield index


def marked(results: Results) -> list[tuple[str, list[str]]]:
    """Each hit's id and the marked text of its snippets, by id."""
    return sorted((h.id, [s.text[a:b] for s in h.snippets for a, b in s.marks]) for h in results)


def test_a_name_kiwi_splits_in_the_text_is_marked_whole(idx: Index) -> None:
    """부산광역시 alone is one noun; in these sentences Kiwi reads 부산 + 광역시."""
    assert marked(idx.search("부산광역시")) == [("w01", ["부산광역시"]), ("w02", ["부산광역시"])]
    document = idx.document("w02", "부산광역시")
    assert document is not None
    assert document.body_marks == ((6, 11),)


def test_a_word_without_a_morpheme_to_mark_is_marked(idx: Index) -> None:
    """현재 alone is an adverb (no content morpheme): found through the words view only."""
    assert marked(idx.search("현재")) == [("w03", ["현재"])]
    document = idx.document("w03", "현재")
    assert document is not None
    assert document.body_marks == ((0, 2),)


def test_a_range_found_by_its_first_number_marks_that_number(idx: Index) -> None:
    """A range the document does not hold (2019년~2021년) marks the number it does, as a whole
    word: not 10 inside 10월 or 100명 for a range of 10."""
    document = idx.document("w04", "2019년~2021년")
    assert document is not None
    assert [document.body[a:b] for a, b in document.body_marks] == ["2019년"]
    document = idx.document("w04", "10~20명")
    assert document is not None
    assert document.body_marks == ((30, 32),)


class _PreviewApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Preview()


@pytest.mark.parametrize(("doc_id", "query", "label"), [
    ("w02", "부산광역시", "match 1/1"),
    ("w05", "바닷가", "match in the title"),
])
def test_the_preview_never_says_a_found_document_has_no_match(
        idx: Index, doc_id: str, query: str, label: str) -> None:
    """The preview counts the words view's marks, and a document found by its title says so."""
    assert doc_id in [h.id for h in idx.search(query)]
    document = idx.document(doc_id, query)

    @pilot_test
    async def check() -> None:
        app = _PreviewApp()
        async with app.run_test(size=(80, 20)) as pilot:
            app.query_one(Preview).show(document)
            await pilot.pause()
            shown = str(app.query_one("#doc-matches", Static).render())
            assert label in shown
            assert "no match" not in shown

    check()

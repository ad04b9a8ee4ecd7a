"""TUI: the preview of a document, as a screen (narrow terminals) or a side pane (wide ones)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from test_tui_support import open_preview, pilot_test, ready, search, wait_for

from tui.app import make_app
from tui.preview import DocumentView, Preview
from tui.render import wrap_offsets
from tui.screens import PreviewScreen
from tui.widgets import ResultList, SearchInput


def _visible(view: DocumentView) -> bool:
    line = view.current_line
    top = round(view.scroll_y)
    return line is not None and top <= line < top + view.scrollable_content_region.height


@pilot_test
async def test_enter_opens_preview_with_every_match_marked(sample_index: Path) -> None:
    """Enter on a result pushes a preview: header, whole body, every match marked, first current."""
    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "인공지능")
        hit = app.query_one("#results", ResultList).current
        assert hit is not None
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PreviewScreen))
        await pilot.pause()
        view = app.screen.query_one(DocumentView)
        assert view.has_focus
        assert view.document is not None and view.document.id == hit.id
        assert view.marks and view.current == 0
        body = view.document.body
        assert all("인공지능" in body[a:b] or body[a:b] in "인공지능" for a, b in view.marks)
        header = str(app.screen.query_one("#doc-header").render())
        assert hit.title[:10] in header
        assert f"match 1/{len(view.marks)}" in str(app.screen.query_one("#doc-matches").render())


@pilot_test
async def test_n_and_N_move_between_matches_and_scroll_them_into_view(sample_index: Path) -> None:
    """n goes to the next match and N to the previous one, wrapping, each scrolled into view."""
    app = make_app(sample_index)
    async with app.run_test(size=(80, 16)) as pilot:  # short: matches below the fold
        await open_preview(pilot, "AI")
        await pilot.pause()
        view = app.screen.query_one(DocumentView)
        total = len(view.marks)
        assert total >= 2
        seen_lines: list[int] = []
        scrolled = 0.0
        for expected in range(1, total):
            await pilot.press("n")
            assert view.current == expected
            assert _visible(view) and view.current_line is not None
            seen_lines.append(view.current_line)
            scrolled = max(scrolled, view.scroll_y)
        assert seen_lines == sorted(seen_lines)
        assert scrolled > 0, "no match was below the first screen"
        await pilot.press("n")
        assert view.current == 0 and _visible(view)
        await pilot.press("N")
        assert view.current == total - 1 and _visible(view)


@pilot_test
async def test_preview_scrolls_by_keys(sample_index: Path) -> None:
    """j, space and end scroll the body; home goes back to the top."""
    app = make_app(sample_index)
    async with app.run_test(size=(80, 16)) as pilot:
        await open_preview(pilot, "인공지능")
        await pilot.pause()
        view = app.screen.query_one(DocumentView)
        view.scroll_to(y=0, animate=False)
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        assert view.scroll_y == 1
        await pilot.press("end")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y > 1
        await pilot.press("home")
        await pilot.pause()
        assert view.scroll_y == 0


@pilot_test
async def test_escape_returns_from_the_preview(sample_index: Path) -> None:
    """Esc closes the preview screen and leaves the results as they were."""
    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "출산율")
        await pilot.press("down", "j")
        highlighted = app.query_one("#results", ResultList).highlighted
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PreviewScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, PreviewScreen))
        results = app.query_one("#results", ResultList)
        assert results.highlighted == highlighted


@pilot_test
async def test_wide_terminal_previews_in_a_side_pane(sample_index: Path) -> None:
    """At 120 columns and more the highlighted result is previewed beside the list."""
    app = make_app(sample_index)
    async with app.run_test(size=(140, 36)) as pilot:
        await search(pilot, "APEC")
        pane = app.query_one("#preview-pane", Preview)
        assert pane.display
        first = app.results.hits[0].id  # type: ignore[union-attr]
        await wait_for(pilot, lambda: pane.body.document is not None and pane.body.document.id == first)
        await pilot.press("down", "j")
        second = app.results.hits[1].id  # type: ignore[union-attr]
        await wait_for(pilot, lambda: pane.body.document.id == second)  # type: ignore[union-attr]
        await pilot.press("enter")
        assert pane.body.has_focus and not isinstance(app.screen, PreviewScreen)
        current = pane.body.current
        await pilot.press("n")
        assert pane.body.current == (current + 1) % len(pane.body.marks)
        await pilot.press("escape")
        assert app.query_one("#results").has_focus


@pytest.mark.parametrize("width", [10, 31, 40, 77])
def test_korean_text_wraps_within_the_width(width: int) -> None:
    """Wrapped lines never exceed the width in cells (Hangul is two cells) and lose no text."""
    body = (
        "세계인공지능협력기구(WAICO) 참여 여부를 두고 정부와 산업계가 엇갈린 목소리를 낸다.\n\n"
        "초거대AI모델개발경쟁이가속화되는가운데 한국 기업들은 GPU 26만 장을 확보했다."
    )
    lines = wrap_offsets(body, width)
    assert all(cell_len(body[line.start : line.end].rstrip()) <= width for line in lines)
    assert "".join(body[line.start : line.end] for line in lines) == body.replace("\n", "")


@pytest.mark.parametrize(("text", "width", "lines"), [
    ("가나다 라마바 사아", 8, [(0, 4), (4, 8), (8, 10)]),
    ("  앞에 빈칸이 있는 줄", 10, [(0, 5), (5, 9), (9, 13)]),  # leading spaces stay with the word
    ("첫 문단\n\n셋째 문단입니다", 6, [(0, 2), (2, 4), (5, 5), (6, 9), (9, 12), (12, 14)]),
    ("탄소국경조정제도를 보라", 6, [(0, 3), (3, 6), (6, 9), (9, 12)]),  # a long word folded
    ("WAICO proposal at APEC summit", 10, [(0, 6), (6, 15), (15, 23), (23, 29)]),
    ("xxxxxxxxxxxxxxxxxxxx 끝", 7, [(0, 7), (7, 14), (14, 21), (21, 22)]),
    ("習近平 주석과 \u3000 회담", 9, [(0, 4), (4, 10), (10, 12)]),  # an ideographic space
    ("zero\u200bwidth 공백\u200b포함", 8, [(0, 9), (9, 11), (11, 16)]),  # zero-width
    ("tab\there and 다음", 7, [(0, 9), (9, 13), (13, 15)]),
    ("반도체  수출   통제", 5, [(0, 2), (2, 5), (5, 10), (10, 12)]),
    ("é café 1 B", 4, [(0, 2), (2, 7), (7, 10)]),
    ("한。글。마침표", 5, [(0, 2), (2, 4), (4, 6), (6, 7)]),
    ("끝에 빈칸   ", 6, [(0, 3), (3, 8)]),  # trailing spaces stay on the last line
    ("", 5, [(0, 0)]),
    ("\n\n", 4, [(0, 0), (1, 1), (2, 2)]),
])
def test_body_wraps_where_rich_wraps(text: str, width: int, lines: list[tuple[int, int]]) -> None:
    """The preview's own wrapping (per-character widths looked up at once, for bodies of
    300,000 characters) breaks lines where rich breaks them (these offsets are rich 15.0's
    breaks of these texts, written out): at spaces, with leading spaces, blank paragraphs, wide
    and zero-width characters, and words longer than a line folded."""
    assert [tuple(line) for line in wrap_offsets(text, width)] == lines


def test_random_bodies_wrap_within_the_width_at_spaces() -> None:
    """For any mix of the characters above, lines fit the width, lose no text, and end
    inside a word only when that word alone is wider than the line."""
    import random

    pieces = ["가", "나", "한", "習", "a", "B", "1", "é", " ", " ", "  ", "\n", "\u3000",
              "\u200b", "。", "WAICO", "탄소국경조정제도"]
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        width = rng.randint(2, 30)
        lines = [(line.start, line.end) for line in wrap_offsets(text, width)]
        assert "".join(text[a:b] for a, b in lines) == text.replace("\n", ""), (text, width)
        assert all(cell_len(text[a:b].rstrip()) <= width for a, b in lines), (text, width)
        for (a, b), (c, _) in zip(lines, lines[1:], strict=False):
            if b == c and b < len(text) and not text[b - 1].isspace():  # broken inside a word
                assert cell_len(text[a:b + 1]) > width, (text, width, a, b)


async def _shown(pilot: Any, document: Any) -> DocumentView:
    """A bare document view mounted on the app's screen, showing `document`."""
    await ready(pilot)
    view = DocumentView()
    await pilot.app.screen.mount(view)
    view.show(document)
    await pilot.pause()
    return view


@pilot_test
async def test_marks_stay_on_their_words_after_carriage_returns(sample_index: Path) -> None:
    """A body with \\r\\n line ends and tabs (rich drops the one, gives the other no width)
    shows each mark on the word it marks."""
    import datetime as dt

    from search.types import Document
    from tui.render import CURRENT_MARK as CURRENT
    from tui.render import MARK

    body = "첫 줄\r\n\t둘째 줄에 반도체\r\n셋째 줄 반도체 수출"
    marks = tuple((m, m + 3) for m in (body.index("반도체"), body.rindex("반도체")))
    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await _shown(pilot, Document("d", "t", body, dt.date(2025, 1, 1), "s", "",
                                            body_marks=marks))
        marked_texts = [
            segment.text
            for y in range(len(view.lines))
            for segment in view.render_line(y)
            if segment.style is not None and segment.style.bgcolor in (MARK.bgcolor, CURRENT.bgcolor)
        ]
        assert marked_texts == ["반도체", "반도체"]


@pilot_test
async def test_wide_preview_pane_follows_the_results(sample_index: Path) -> None:
    """The side pane is hidden on the start screen (no "no match in the body" beside the
    hint) and empties when a query matches nothing, instead of keeping the last document."""
    app = make_app(sample_index)
    async with app.run_test(size=(140, 36)) as pilot:
        await ready(pilot)
        pane = app.query_one("#preview-pane", Preview)
        assert not pane.display
        await search(pilot, "WAICO")
        assert pane.display
        await wait_for(pilot, lambda: pane.body.document is not None)
        await search(pilot, "zzqxjv")
        await pilot.pause()
        assert pane.body.document is None
        assert "match" not in str(pane.query_one("#doc-matches").render())


@pilot_test
async def test_a_document_still_being_read_when_a_key_comes_is_not_drawn(
    sample_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typing makes the pane's pending document stale: it is not drawn when it arrives."""
    import threading

    import search as search_api

    original = search_api.Index.document
    reading, release = threading.Event(), threading.Event()

    returned = threading.Event()

    def slow_document(self: search_api.Index, *args: object, **kwargs: object) -> object:
        reading.set()
        release.wait(60)
        try:
            return original(self, *args, **kwargs)  # type: ignore[arg-type]
        finally:
            returned.set()

    app = make_app(sample_index)
    async with app.run_test(size=(140, 36)) as pilot:
        await search(pilot, "APEC")
        pane = app.query_one("#preview-pane", Preview)
        await wait_for(pilot, lambda: pane.body.document is not None)
        monkeypatch.setattr(search_api.Index, "document", slow_document)
        await pilot.press("down", "down")  # into the list, then to the second result
        await wait_for(pilot, reading.is_set)
        shown = pane.body.document
        reader = [w for w in app.workers if w.group == "document" and not w.is_finished]
        app.query_one("#search").focus()
        await pilot.press("x")
        assert len(reader) == 1 and reader[0].is_cancelled  # what keeps it off the screen
        release.set()
        box = app.query_one("#search", SearchInput)
        await wait_for(pilot, lambda: app.settled and app.rendered[0] == box.value.strip() != "APEC")
        await wait_for(pilot, returned.is_set)
        await pilot.pause()  # a document handed back to the app would be drawn by now
        assert pane.body.document is shown or pane.body.document is None


@pilot_test
async def test_narrowing_the_terminal_moves_focus_out_of_the_hidden_pane(sample_index: Path) -> None:
    """Resizing below 120 columns while reading in the side pane gives the focus to the
    results, instead of leaving it in a pane that is no longer shown."""
    app = make_app(sample_index)
    async with app.run_test(size=(140, 36)) as pilot:
        await search(pilot, "APEC")
        pane = app.query_one("#preview-pane", Preview)
        await wait_for(pilot, lambda: pane.body.document is not None)
        await pilot.press("down", "enter")
        assert pane.body.has_focus
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: not pane.display)
        assert app.query_one("#results", ResultList).has_focus


@pilot_test
async def test_results_show_as_many_snippets_as_the_height_allows_after_a_resize(
    sample_index: Path,
) -> None:
    """Hits get two snippets in a tall terminal and one in a short one, also when the
    terminal is resized after the results came."""
    app = make_app(sample_index)
    async with app.run_test(size=(140, 45)) as pilot:
        await search(pilot, "WAICO")
        results = app.query_one("#results", ResultList)
        assert results.snippets == 2
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: results.snippets == 1)


@pilot_test
async def test_the_preview_footer_keeps_help_in_80_columns(sample_index: Path) -> None:
    """The preview's footer fits "? Help" at 80 columns; n/N are on the match line instead."""
    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_preview(pilot, "인공지능")
        await pilot.pause()
        palette = app.screen.query_one("FooterKey.-command-palette").region.x
        keys = [key.key for key in app.screen.query("FooterKey")  # type: ignore[attr-defined]
                if key.region.right <= palette]
        assert "question_mark" in keys  # not under the "^p palette" key docked on the right
        assert "n/N" in str(app.screen.query_one("#doc-matches").render())


@pilot_test
async def test_the_preview_marks_where_each_pdf_page_starts(sample_index: Path) -> None:
    """A PDF's body is shown with the line where each later page starts ruled off and labelled,
    after characters removed for the terminal moved the offsets."""
    import datetime as dt

    from search.types import Document
    from tui.preview import PAGE_BREAK

    body = "\x1b[2J첫 쪽 하천 정비\n둘째 쪽 예산 배정\n셋째 쪽 결산"
    pages = (0, body.index("둘째"), body.index("셋째"))
    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await _shown(pilot, Document("d", "t", body, dt.date(2025, 1, 1), "s", "",
                                            pages=pages))
        lines = ["".join(segment.text for segment in view.render_line(y)).rstrip()
                 for y in range(len(view.lines))]
        ruled = [y for y in range(len(view.lines))
                 if any(s.style is not None and s.style.overline for s in view.render_line(y))]
        assert lines == ["첫 쪽 하천 정비", "둘째 쪽 예산 배정  p. 2", "셋째 쪽 결산  p. 3"]
        assert ruled == [1, 2] and PAGE_BREAK.overline

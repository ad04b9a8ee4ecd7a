"""TUI: searching as you type, the results list, suggestions and start-up."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from rich.console import Console, Group
from rich.padding import Padding
from rich.text import Text
from test_tui_support import make_hit, pilot_test, ready, search, wait_for
from textual.widgets import Button, Static

from search.notices import shown_suggestion
from search.types import Results, Rewrite, Snippet
from tui.app import PAGE, KosearchApp, make_app
from tui.render import MARK, hit_text
from tui.screens import PreviewScreen
from tui.widgets import ResultList, SearchInput, StatusBar


@pilot_test
async def test_typing_updates_results(sample_index: Path) -> None:
    """Typing a query shows its hits, their count and the time the search took."""
    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "인공지능")
        results = app.query_one("#results", ResultList)
        status = app.query_one("#status", StatusBar)
        assert app.results is not None and app.results.total > 0
        assert [hit.id for hit in app.results.hits] == [hit.id for hit in results.hits]
        assert results.display and results.has_focus is False
        assert status.total == app.results.total
        assert status.elapsed == app.results.elapsed
        assert "matches" in str(status.render())

        await pilot.press("backspace", "backspace")
        await wait_for(pilot, lambda: app.rendered[0] == "인공")
        assert app.results.query == "인공"


@pilot_test
async def test_each_keystroke_cancels_the_stale_search(sample_index: Path) -> None:
    """Only the results of the last query reach the screen, however fast the typing."""
    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press(*"탄소 국경")
        await wait_for(pilot, lambda: app.rendered[0] == "탄소 국경")
        await wait_for(pilot, lambda: app._searches_running == 0)  # none left to answer
        assert app.results is not None and app.results.query == "탄소 국경"


@pilot_test
async def test_keys_typed_during_a_search_become_one_search(
    sample_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At most one search runs; keys typed meanwhile are searched together once it ends, and
    the stale results are never drawn."""
    import search as search_api

    original = search_api.Index.search
    searched: list[str] = []
    running = 0
    overlapped = False
    release = threading.Event()

    def held_search(self: search_api.Index, text: str, *args: object, **kwargs: object) -> Results:
        nonlocal running, overlapped
        running += 1
        overlapped |= running > 1
        searched.append(text)
        if len(searched) == 1:
            release.wait(60)  # the first key's search lasts until every key is typed
        try:
            return original(self, text, *args, **kwargs)  # type: ignore[arg-type]
        finally:
            running -= 1

    app = make_app(sample_index)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(pilot)
            monkeypatch.setattr(search_api.Index, "search", held_search)
            drawn: list[str] = []
            show = app._show_results
            monkeypatch.setattr(app, "_show_results",
                                lambda r, *a: (drawn.append(r.query), show(r, *a)))
            await pilot.press(*"탄소 국경")
            assert app._searches_running == 1  # every key handled, the first search held
            release.set()
            await wait_for(pilot, lambda: app.settled and app.rendered[0] == "탄소 국경")
    finally:
        release.set()
    assert searched == ["탄", "탄소 국경"]  # the first key's search, then the rest at once
    assert drawn == ["탄소 국경"] and not overlapped


@pilot_test
async def test_garbage_collection_waits_for_the_results_of_a_key(
    sample_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From a key to its results on screen the collector is held off (its passes took tens of
    ms); it is back once they are painted, and after `GC_HOLD_LIMIT` when none come."""
    import gc

    import search as search_api
    from tui.pacing import GC_HOLD_LIMIT

    original = search_api.Index.search
    during: list[bool] = []

    def watched(self: search_api.Index, *args: object, **kwargs: object) -> Results:
        during.append(gc.isenabled())
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    app = make_app(sample_index)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(pilot)
            monkeypatch.setattr(search_api.Index, "search", watched)
            await pilot.press(*"탄소")
            await wait_for(pilot, lambda: app.settled and app.rendered[0] == "탄소")
            await pilot.pause()
            assert during and not any(during)
            assert gc.isenabled()

            timers: list[tuple[float, object]] = []
            set_timer = app.set_timer

            def watched_timer(delay: float, callback: Any, *args: Any, **kwargs: Any) -> Any:
                timers.append((delay, callback))
                return set_timer(delay, callback, *args, **kwargs)

            monkeypatch.setattr(app, "set_timer", watched_timer)
            release = threading.Event()
            monkeypatch.setattr(search_api.Index, "search", lambda *a, **k: release.wait(60) and None)
            await pilot.press("x")
            assert not gc.isenabled()
            assert (GC_HOLD_LIMIT, app._release_gc) in timers
            await wait_for(pilot, gc.isenabled)
            assert app._searches_running == 1 and app.rendered[0] == "탄소"  # no results came
            release.set()
    finally:
        release.set()
        gc.enable()


@pilot_test
async def test_garbage_collection_comes_back_after_the_first_frame(sample_index: Path) -> None:
    """`kosearch` opens the app with the collector off (start-up imports); the app turns it
    back on once its first frame is drawn, before the index has even opened."""
    import gc

    app = make_app(sample_index)
    gc.disable()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, gc.isenabled)
            assert app.screen.query_one("#search").has_focus
    finally:
        gc.enable()


def test_the_tui_command_starts_with_the_collector_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """The collector is off while `kosearch` imports Textual and builds the app, and on again
    when the app returns."""
    import gc

    import tui.app
    from tui import cli

    seen: list[bool] = []

    class FakeApp:
        def run(self) -> None:
            seen.append(gc.isenabled())

    monkeypatch.setenv("KOSEARCH_FORCE_TUI", "1")
    monkeypatch.setattr(tui.app, "make_app", lambda index: FakeApp())
    assert cli.main(["tui"]) == 0
    assert seen == [False]
    assert gc.isenabled()


@pilot_test
async def test_a_query_longer_than_the_box_scrolls_to_the_cursor(sample_index: Path) -> None:
    """Typing past the box's width scrolls the box so the cursor and the last words show (the
    box repaints without asking for a layout of the whole screen)."""
    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        box = app.query_one(SearchInput)
        words = "인공지능 규범 협력 기구 설립 제안 " * 4 + "마지막"
        await pilot.press(*words)
        await wait_for(pilot, lambda: app.settled and app.rendered[0] == words)
        assert cell_len(words) > box.content_size.width
        assert box.scroll_x > 0 and box.cursor_position == len(words)
        line = "".join(segment.text for segment in box.render_line(0))
        assert "마지막" in line
        await pilot.press("home")
        await pilot.pause()
        assert box.scroll_x == 0
        assert "인공지능" in "".join(segment.text for segment in box.render_line(0))


@pilot_test
async def test_clearing_the_query_shows_the_start_screen(sample_index: Path) -> None:
    """Esc in the search box clears it and brings back the hint instead of results."""
    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "출산율")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.results is None)
        assert app.query_one("#search", SearchInput).value == ""
        assert not app.query_one("#results").display
        assert app.query_one("#empty").display
        assert app.query_one("#status", StatusBar).total is None


@pilot_test
async def test_arrows_and_jk_move_through_results(sample_index: Path) -> None:
    """Down from the search box enters the list; j/k and arrows move the highlight."""
    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "APEC")
        results = app.query_one("#results", ResultList)
        await pilot.press("down")
        assert results.has_focus and results.highlighted == 0
        await pilot.press("j")
        second = results.current
        assert second is not None and second.id == app.results.hits[1].id  # type: ignore[union-attr]
        await pilot.press("k")
        assert results.current is not None and results.current.id == app.results.hits[0].id  # type: ignore[union-attr]
        await pilot.press("escape")
        assert app.query_one("#search").has_focus


@pilot_test
async def test_no_match_says_so(sample_index: Path) -> None:
    """A query that matches nothing says so instead of showing an empty list."""
    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "zzqxjv")
        assert app.results is not None and app.results.total == 0
        assert not app.query_one("#results").display
        assert "No matches for" in str(app.query_one("#empty").render())


@pilot_test
async def test_query_typed_before_the_analyzer_is_ready_runs_when_it_is(
    sample_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first screen shows a loading indicator; a query typed meanwhile runs once loaded."""
    from search import Index, tuning

    release = threading.Event()
    original = tuning.warm_up

    def slow_warm_up(index: Index) -> None:
        release.wait(60)
        original(index)

    monkeypatch.setattr(tuning, "warm_up", slow_warm_up)
    app = make_app(sample_index)
    started: list[str] = []
    start = app._start_search

    def watched_start(page: int) -> None:
        started.append(app._query)
        start(page)

    monkeypatch.setattr(app, "_start_search", watched_start)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            assert app.query_one("#loading").display
            assert "loading analyzer" in str(app.query_one("#status", StatusBar).render())
            await pilot.press(*"인공지능")
            assert app._query == "인공지능" and started == []  # every key handled, none searched
            assert app.results is None and not app.analyzer_ready
            release.set()
            await wait_for(pilot, lambda: app.rendered[0] == "인공지능")
            assert not app.query_one("#loading").display
            assert app.results is not None and app.results.total > 0
            assert started == ["인공지능"]
    finally:
        release.set()


@pilot_test
async def test_first_screen_appears_at_once(sample_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app is on screen and taking keys before the index is even opened: opening it and
    loading the analyzer happen in a worker (held here until the screen has been checked)."""
    import search as search_api

    release = threading.Event()
    opened: list[Path] = []
    original = search_api.open_index

    def held_open(path: Path) -> search_api.Index:
        release.wait(60)
        opened.append(path)
        return original(path)

    monkeypatch.setattr(search_api, "open_index", held_open)
    app = make_app(sample_index)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            assert app.query_one("#search").has_focus
            await pilot.press(*"인공")
            assert app.query_one("#search", SearchInput).value == "인공"
            assert app.query_one("#loading").display
            assert str(app.query_one("#empty", Static).render()) == "Opening the index…"
            assert opened == [] and app.index is None
            release.set()
            await wait_for(pilot, lambda: app.settled and app.rendered[0] == "인공")
            assert opened == [sample_index]
    finally:
        release.set()


def test_hits_render_marks_as_styles() -> None:
    """Title and snippet marks become highlighted spans at the marked offsets."""
    hit = make_hit(
        title="서울 날씨",
        snippets=(Snippet("오늘 서울은 맑음.", ((3, 5),)),),
        title_marks=((0, 2),),
    )
    group = hit_text(hit)
    assert isinstance(group, Group)
    title, _meta, padded = group.renderables
    assert isinstance(title, Text) and isinstance(padded, Padding)
    assert [(s.start, s.end, s.style) for s in title.spans] == [(0, 2, MARK)]
    snippet = padded.renderable
    assert isinstance(snippet, Text)
    assert [(s.start, s.end, s.style) for s in snippet.spans] == [(3, 5, MARK)]
    assert snippet.plain[3:5] == "서울"


@pilot_test
async def test_a_hit_draws_what_its_rich_renderable_draws(sample_index: Path) -> None:
    """The results list draws a hit from its parts wrapped once per width; height, text and
    styles are those of the same hit rendered through rich, at any width: Korean and Latin,
    long titles, no date or source, no snippet, one or two, plain and highlighted."""
    import datetime as dt

    from textual.app import App
    from textual.color import Color
    from textual.style import Style
    from textual.visual import RenderOptions, RichVisual

    from tui.render import hit_text
    from tui.widgets import HitVisual

    def cells(strips: list) -> list[list[tuple[str, object]]]:
        """Each line as (character, style) cells, without the blank cells at its end."""
        out = []
        for strip in strips:
            line = [(ch, seg.style) for seg in strip for ch in seg.text]
            while line and line[-1][0] == " ":
                line.pop()
            out.append(line)
        return out

    long = "탄소국경조정제도(CBAM) 시행을 앞두고 철강·알루미늄 수출 기업의 부담이 커졌다는 분석이 나왔다 " * 3
    hits = [
        make_hit(title="엔비디아 분기 매출", date=dt.date(2025, 8, 28),
                 snippets=(Snippet(long, ((0, 8), (30, 33))), Snippet("짧은 문장.", ()))),
        make_hit(title=long, source="", snippets=()),
        make_hit(title="WAICO proposal at APEC " * 6, source="정책브리핑",
                 snippets=(Snippet("World AI Cooperation Organization " * 5, ((0, 5),)),)),
        make_hit(id="x", title="", source="", snippets=(Snippet("", ()),)),
    ]
    app = App()
    async with app.run_test(size=(80, 24)):
        widget = app.screen
        options = RenderOptions(widget._get_style, widget.styles, None, None)
        for hit in hits:
            for snippets in (1, 2):
                visual = HitVisual(hit, snippets, app.console)
                drawn = RichVisual(widget, hit_text(hit, snippets))
                for width in (8, 20, 37, 60, 79, 118):
                    for style in (Style(foreground=Color.parse("#dddddd")),  # a list's, a highlighted hit's
                                  Style(background=Color.parse("#334455"), bold=True)):
                        where = (hit.title[:10], snippets, width, style)
                        assert visual.get_height({}, width) == drawn.get_height({}, width), where
                        ours = visual.render_strips(width, None, style, options)
                        rich = drawn.render_strips(width, None, style, options)
                        assert cells(ours) == cells(rich), where
                        assert all(strip.cell_length <= width for strip in ours), where


def _answer(app: KosearchApp, results: Results) -> None:
    """Put `results` on screen as if the engine had returned them for the current query."""
    app._query = results.query
    app._show_results(results, app._generation, 1)


@pilot_test
async def test_did_you_mean_is_shown_and_selectable(sample_index: Path) -> None:
    """Results.suggestion appears as "Did you mean"; ctrl+y searches for the suggestion."""
    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        _answer(app, Results(query="출산뉼", hits=(), total=0, suggestion="출산율"))
        await pilot.pause()
        button = app.query_one("#suggestion", Button)
        assert button.display and "출산율" in str(button.label)
        assert "ctrl+y" in str(app.query_one("#empty").render())
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: app.settled and app.rendered[0] == "출산율")
        assert app.query_one(SearchInput).value == "출산율"
        assert app.results is not None and app.results.total > 0


def _footer_keys(app: KosearchApp) -> set[str]:
    """The keys the footer shows (its key widgets, found by their CSS type name: the class
    itself lives in a private Textual module)."""
    return {key.key for key in app.screen.query("FooterKey")}  # type: ignore[attr-defined]


@pilot_test
async def test_footer_offers_ctrl_y_only_while_there_is_a_suggestion(sample_index: Path) -> None:
    """The footer shows ctrl+y with a suggestion and drops it with the next results or an
    emptied search box (the bindings are refreshed only when that changes)."""
    app = make_app(sample_index)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        assert "ctrl+y" not in _footer_keys(app)
        refreshes: list[int] = []
        refresh = app.refresh_bindings
        app.refresh_bindings = lambda: (refreshes.append(1), refresh())[1]  # type: ignore[method-assign]
        for query in ("출산", "출산율"):  # no suggestion, as before: the footer is left alone
            _answer(app, Results(query=query, hits=(), total=0))
        assert refreshes == []
        _answer(app, Results(query="출산뉼", hits=(), total=0, suggestion="출산율"))
        await wait_for(pilot, lambda: "ctrl+y" in _footer_keys(app))
        _answer(app, Results(query="출산율", hits=(), total=0))
        await wait_for(pilot, lambda: "ctrl+y" not in _footer_keys(app))
        _answer(app, Results(query="출산뉼", hits=(), total=0, suggestion="출산율"))
        await wait_for(pilot, lambda: "ctrl+y" in _footer_keys(app))
        app._query = ""  # as an emptied search box leaves it
        app._search_now()
        await wait_for(pilot, lambda: "ctrl+y" not in _footer_keys(app))


@pilot_test
async def test_clicking_the_suggestion_searches_for_it(sample_index: Path) -> None:
    """The "Did you mean" button can be clicked too."""
    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        _answer(app, Results(query="인공지눙", hits=(), total=0, suggestion="인공지능"))
        await pilot.pause()
        await pilot.click("#suggestion")
        await wait_for(pilot, lambda: app.settled and app.rendered[0] == "인공지능")


@pilot_test
async def test_rewrites_and_partial_matches_are_explained(sample_index: Path) -> None:
    """Results.rewrites read "Showing results for …"; a match of only some words says so."""
    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        notice = app.query_one("#rewrites", Static)
        rewrite = Rewrite("typo", "출산뉼", "출산율")
        _answer(app, Results(query="출산뉼", hits=(), total=0, rewrites=(rewrite,)))
        await pilot.pause()
        assert notice.display
        assert "Showing results for 출산율 (typo: 출산뉼 → 출산율)" == str(notice.render())
        assert not app.query_one("#suggestion", Button).display  # no suggestion: no button

        _answer(app, Results(query="인공지능 zzqxjv", hits=(), total=3, mode="any"))
        await pilot.pause()
        assert notice.display
        assert str(notice.render()) == (
            "No document has every word: ranked by how many of them each holds.")

        _answer(app, Results(query="WAICO를 제안한 곳은?", hits=(), total=3, mode="any",
                             kind="question"))
        await pilot.pause()
        assert str(notice.render()) == ("Ranked by the words each document shares with the "
                                        "query (some may hold only some of them).")


@pilot_test
async def test_the_notice_follows_what_the_engine_says(sample_index: Path) -> None:
    """For real queries the notice shows exactly when there is a rewrite, suggestion or
    partial match to explain."""
    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        for query in ("출산뉼", "인공지능 zzqxjv", "인공지능"):
            await search(pilot, query)
            results = app.results
            assert results is not None
            explain = (
                bool(results.rewrites)
                or shown_suggestion(results) is not None
                or (results.mode == "any" and results.total > 0)
            )
            assert app.query_one("#notice").display == explain, query


def test_importing_the_app_does_not_load_the_search_engine() -> None:
    """The first screen does not wait for Whoosh or Kiwi: `tui.app` imports neither."""
    code = "import sys, tui.app; print(sorted({'search.api', 'whoosh', 'kiwipiepy'} & set(sys.modules)))"
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


@pilot_test
async def test_the_last_line_loads_the_next_page(sample_index: Path) -> None:
    """With more matches than a page, the list ends in "… shown"; moving onto it appends the
    next page, with the highlight on the first new result, and only once."""
    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "반도체 수출 통제 한국 메모리 산업 파장 미국 HBM")
        results = app.query_one("#results", ResultList)
        total = app.results.total  # type: ignore[union-attr]
        assert total > 2 * PAGE and len(results.hits) == PAGE
        await pilot.press("down", "end")
        await wait_for(pilot, lambda: len(results.hits) == 2 * PAGE)
        assert len({hit.id for hit in results.hits}) == len(results.hits)
        current = results.current
        assert current is not None and current.id == results.hits[PAGE].id
        assert not isinstance(app.screen, PreviewScreen)
        await pilot.press("end", "enter")  # Enter on the last line asks for the same page once
        await wait_for(pilot, lambda: len(results.hits) == min(total, 3 * PAGE))
        await wait_for(pilot, lambda: app._searches_running == 0)  # no second request pending
        assert len(results.hits) == min(total, 3 * PAGE)
        assert len({hit.id for hit in results.hits}) == len(results.hits)


@pytest.mark.parametrize("width", [21, 40, 41, 79])
def test_results_wrap_korean_within_the_width(width: int) -> None:
    """A result's lines fit the width in cells at odd and even widths; no text is lost."""
    snippet = "중국이 제안한 세계인공지능협력기구(WAICO)를 둘러싼 외교전이 빨라지고 있다. 베이징은 최근"
    hit = make_hit(
        title="[사설] 세계인공지능협력기구 참여 여부, 실익부터 냉정히 따져야",
        source="한빛일보",
        snippets=(Snippet(snippet, ((9, 13),)),),
        title_marks=((9, 13),),
    )
    console = Console(width=width, legacy_windows=False)
    lines = console.render_lines(hit_text(hit), console.options, pad=False)
    texts = ["".join(segment.text for segment in line) for line in lines]
    assert all(cell_len(text) <= width for text in texts)
    shown = hit.title + hit.source + snippet + "…"  # the snippet stops mid-sentence
    assert "".join(texts).replace(" ", "") == shown.replace(" ", "")


@pilot_test
async def test_a_long_notice_wraps_instead_of_being_cut(sample_index: Path) -> None:
    """At 80 columns a long "also searched" line and the suggestion stay whole on screen:
    the explanation wraps, the suggestion keeps its own room and names its key."""
    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        rewrites = (
            Rewrite("alias", "WAICO", "World Artificial Intelligence Cooperation Organization"),
            Rewrite("alias", "WAICO", "세계 인공지능 협력기구"),
        )
        _answer(
            app,
            Results(query="WAICO 수츌", hits=(), total=0, rewrites=rewrites, suggestion="WAICO 수출"),
        )
        await pilot.pause()
        label = app.query_one("#rewrites", Static)
        button = app.query_one("#suggestion", Button)
        text = str(label.render())
        assert text.endswith("(for WAICO)")  # each original named once
        assert label.region.right <= 80 and label.region.height >= 2
        assert button.region.right <= 80 and button.region.width >= cell_len(str(button.label))
        assert "ctrl+y" in str(button.label)


@pytest.mark.parametrize(
    ("text", "start", "shown"),
    [
        (
            "본지는 전문가 세 명에게 이 제안이 지닌 의미와",
            120,
            "본지는 전문가 세 명에게 이 제안이 지닌 의미와…",
        ),
        ("수요가 얼어붙었기 때문이다.", 40, "수요가 얼어붙었기 때문이다."),
        ("“구체적인 규칙은 앞으로의 협상에 달려 있다”", 0, "“구체적인 규칙은 앞으로의 협상에 달려 있다”"),
    ],
)
def test_a_snippet_cut_mid_sentence_ends_with_an_ellipsis(text: str, start: int, shown: str) -> None:
    """Snippets that stop inside a sentence ('…의미와') end in '…', so two snippets of one
    hit do not read as one run-on passage; a snippet ending a sentence is left as it is."""
    hit = make_hit(
        snippets=(Snippet(text, ((0, 3),), start=start),),
    )
    padded = hit_text(hit).renderables[2]
    assert isinstance(padded, Padding) and isinstance(padded.renderable, Text)
    assert padded.renderable.plain == shown


@pilot_test
async def test_a_failed_search_is_an_error_not_no_matches(
        sample_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fault inside the engine is shown as an error (not "no matches", not a query syntax
    notice), and the next search after it is fixed shows results again."""
    from search.engine import Engine

    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)

        def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError("injected")

        monkeypatch.setattr(Engine, "run", broken)
        await search(pilot, "반도체")
        assert [(n.title, n.severity, n.message) for n in app._notifications] == [
            ("Search failed", "error", "search failed (RuntimeError: injected)")]
        empty = app.query_one("#empty", Static)
        assert str(empty.render()) == \
            "The search for 반도체 failed: search failed (RuntimeError: injected)"
        monkeypatch.undo()
        await search(pilot, "반도체 수출")
        assert app.results is not None and app.results.total > 0


@pilot_test
async def test_documents_indexed_elsewhere_appear_at_the_next_search(
        sample_index: Path, tmp_path: Path) -> None:
    """Another run adding documents to the open index: the next query finds them and the
    status bar counts them, without a restart."""
    import shutil

    import orjson

    from index import index_paths

    path = tmp_path / "index"
    shutil.copytree(sample_index, path)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "두루미떼")
        assert app.results is not None and "new-1" not in [h.id for h in app.results]
        new = tmp_path / "new.jsonl"
        new.write_bytes(orjson.dumps({"id": "new-1", "title": "철원 평야에 두루미떼 도착",
                                      "body": "겨울 철새인 두루미떼가 올해도 철원에 왔다."}))
        assert index_paths([new], path).added == 1
        await search(pilot, "철원 두루미떼")
        assert app.results is not None and [h.id for h in app.results] == ["new-1"]
        assert app.query_one("#status", StatusBar).documents == 45

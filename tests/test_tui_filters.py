"""TUI: filters (date range, source), sort order, the timeline, and removing filters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from test_tui_support import pilot_test, search, wait_for
from textual.widgets import SelectionList

from search.types import Facet
from tui.app import make_app
from tui.filters import Filters
from tui.screens import FilterScreen
from tui.widgets import FilterBar, Timeline


@pilot_test
async def test_source_filter_narrows_results_and_its_chip_removes_it(sample_index: Path) -> None:
    """Choosing a source in the filter dialog keeps only its hits; clicking its chip removes it."""
    app = make_app(sample_index)
    async with app.run_test(size=(100, 30)) as pilot:
        await search(pilot, "AI")
        before = app.results.total  # type: ignore[union-attr]
        source = app.results.sources[0]  # type: ignore[union-attr]
        assert source.count < before
        await pilot.press("down", "f")
        await wait_for(pilot, lambda: isinstance(app.screen, FilterScreen))
        sources = app.screen.query_one("#sources")
        sources.select(source.value)  # type: ignore[attr-defined]
        await pilot.click("#apply")
        await wait_for(pilot, lambda: app.filters.sources == (source.value,))
        await wait_for(pilot, lambda: app.results is not None and app.results.total == source.count)
        assert {hit.source for hit in app.results.hits} == {source.value}  # type: ignore[union-attr]
        bar = app.query_one("#filterbar", FilterBar)
        assert bar.display
        await pilot.pause()
        await pilot.click("#chip-sources")
        await wait_for(pilot, lambda: app.filters == Filters())
        await wait_for(pilot, lambda: app.results.total == before)  # type: ignore[union-attr]
        assert not bar.display


@pilot_test
async def test_date_range_from_the_filter_dialog(sample_index: Path) -> None:
    """Dates typed in the dialog (YYYY-MM allowed) limit results to that range."""
    app = make_app(sample_index)
    async with app.run_test(size=(100, 30)) as pilot:
        await search(pilot, "AI")
        before = app.results.total  # type: ignore[union-attr]
        await pilot.press("down", "f")
        await wait_for(pilot, lambda: isinstance(app.screen, FilterScreen))
        await pilot.click("#since")
        await pilot.press(*"2025-11")
        await pilot.click("#until")
        await pilot.press(*"2025-12", "enter")
        await wait_for(pilot, lambda: app.filters.since == dt.date(2025, 11, 1))
        assert app.filters.until == dt.date(2025, 12, 31)
        await wait_for(pilot, lambda: app.results.total < before)  # type: ignore[union-attr]
        for hit in app.results.hits:  # type: ignore[union-attr]
            assert hit.date is not None and dt.date(2025, 11, 1) <= hit.date <= dt.date(2025, 12, 31)


@pilot_test
async def test_a_bad_date_is_reported_not_applied(sample_index: Path) -> None:
    """An unreadable date keeps the dialog open with an error notification."""
    app = make_app(sample_index)
    async with app.run_test(size=(100, 30)) as pilot:
        await search(pilot, "AI")
        await pilot.press("down", "f")
        await wait_for(pilot, lambda: isinstance(app.screen, FilterScreen))
        await pilot.click("#since")
        await pilot.press(*"yesterday", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FilterScreen)
        assert any(n.severity == "error" for n in app._notifications)
        assert app.filters == Filters()


@pilot_test
async def test_sort_toggles_between_relevance_and_newest_first(sample_index: Path) -> None:
    """s orders hits newest first, shows it as a filter, and toggles back."""
    app = make_app(sample_index)
    async with app.run_test(size=(100, 30)) as pilot:
        await search(pilot, "AI")
        await pilot.press("down", "s")
        await wait_for(pilot, lambda: app.filters.sort == "date" and app.results.query == "AI")  # type: ignore[union-attr]
        await wait_for(pilot, lambda: app.settled)
        dates = [hit.date for hit in app.results.hits]  # type: ignore[union-attr]
        assert dates == sorted(dates, reverse=True)  # type: ignore[type-var]
        assert "newest first" in [label for _, label in app.filters.chips()]
        await pilot.press("s")
        await wait_for(pilot, lambda: app.filters.sort == "relevance")


@pilot_test
async def test_timeline_shows_months_and_filters_to_one(sample_index: Path) -> None:
    """The timeline has a bar per month of the matches; Enter on one filters to that month."""
    app = make_app(sample_index)
    async with app.run_test(size=(100, 30)) as pilot:
        await search(pilot, "AI")
        timeline = app.query_one("#timeline", Timeline)
        assert timeline.display
        assert timeline.months == app.results.months  # type: ignore[union-attr]
        await pilot.press("down", "t")
        assert timeline.has_focus
        await pilot.press("home")
        first = app.results.months[0]  # type: ignore[union-attr]
        await pilot.press("enter")
        year, month = map(int, first.value.split("-"))
        await wait_for(pilot, lambda: app.filters.since == dt.date(year, month, 1))
        await wait_for(pilot, lambda: app.results.total == first.count)  # type: ignore[union-attr]
        for hit in app.results.hits:  # type: ignore[union-attr]
            assert hit.date is not None and (hit.date.year, hit.date.month) == (year, month)
        await pilot.press("x")
        await wait_for(pilot, lambda: app.filters == Filters())


def test_filters_as_search_arguments() -> None:
    """Filters become the keyword arguments of Index.search, sources None when there are none."""
    filters = Filters(since=dt.date(2025, 1, 1), sources=("정책브리핑",), sort="date")
    assert filters.search_kwargs() == {
        "since": dt.date(2025, 1, 1),
        "until": None,
        "sources": ["정책브리핑"],
        "sort": "date",
    }
    assert Filters().search_kwargs()["sources"] is None
    assert filters.without("sources") == Filters(since=dt.date(2025, 1, 1), sort="date")


@pilot_test
async def test_clicking_a_timeline_bar_filters_to_its_month(sample_index: Path) -> None:
    """A click on the first bar of the timeline filters to the first month with matches."""
    app = make_app(sample_index)
    async with app.run_test(size=(100, 30)) as pilot:
        await search(pilot, "AI")
        first = app.results.months[0]  # type: ignore[union-attr]
        await pilot.click("#timeline", offset=(1, 0))  # the padding is one cell
        await wait_for(pilot, lambda: app.settled and app.filters.since is not None)
        year, month = map(int, first.value.split("-"))
        assert app.filters.since == dt.date(year, month, 1)
        assert app.results.total == first.count  # type: ignore[union-attr]


@pilot_test
async def test_filter_dialog_is_usable_from_the_keyboard_at_once(sample_index: Path) -> None:
    """The dialog opens with the cursor in "From", so a date can be typed straight away; Tab
    reaches the sources, where Space ticks the first one without an arrow key first."""
    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "AI")
        first = app.results.sources[0].value  # type: ignore[union-attr]
        await pilot.press("down", "f")
        await wait_for(pilot, lambda: isinstance(app.screen, FilterScreen))
        await pilot.pause()
        assert app.focused is app.screen.query_one("#since")
        await pilot.press(*"2024", "tab", "tab")
        sources = app.screen.query_one("#sources", SelectionList)
        assert sources.has_focus
        await pilot.press("space", "ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, FilterScreen))
        assert app.filters.since == dt.date(2024, 1, 1)
        assert app.filters.sources == (first,)


@pilot_test
async def test_timeline_keys_skip_months_without_matches(sample_index: Path) -> None:
    """←/→ move between months that have matches, so Enter never filters to an empty month."""
    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "AI")
        timeline = app.query_one("#timeline", Timeline)
        timeline.months = (Facet("2024-01", 2), Facet("2024-03", 1), Facet("2024-04", 0))
        timeline.focus()
        await pilot.pause()
        assert timeline.current is not None and timeline.current.label == "2024-03"
        await pilot.press("left")
        assert timeline.current.label == "2024-01"
        await pilot.press("right", "right")
        assert timeline.current.label == "2024-03"


@pilot_test
async def test_timeline_cursor_starts_at_the_latest_month_after_being_hidden(sample_index: Path) -> None:
    """After a query without matches hid the timeline, t starts again at the latest month,
    not the earliest (the hidden strip had no width to count its bars in)."""
    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "AI")
        last = app.results.months[-1].value  # type: ignore[union-attr]
        await search(pilot, "zzqxjv")
        await search(pilot, "AI")
        await pilot.press("down", "t")
        timeline = app.query_one("#timeline", Timeline)
        assert timeline.has_focus
        assert timeline.current is not None and timeline.current.last == last


@pilot_test
async def test_documents_without_a_source_are_a_source_named_as_such(sample_index: Path) -> None:
    """Documents that name no source are counted under "(no source)" in the dialog (their
    value is "", which `--source ''` selects too) and in the filter's chip, not as a blank."""
    app = make_app(sample_index)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.filters = Filters(sources=("",))
        app.sources_in_index = (Facet("한빛일보", 3), Facet("", 2))
        app.action_filters()  # before any search: the sources of the index
        await wait_for(pilot, lambda: isinstance(app.screen, FilterScreen))
        await pilot.pause()
        options = app.screen.query_one("#sources", SelectionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert prompts == ["한빛일보  (3)", "(no source)  (2)"]
        assert list(options.selected) == [""]
    assert Filters(sources=("",)).chips() == [("sources", "source: (no source)")]

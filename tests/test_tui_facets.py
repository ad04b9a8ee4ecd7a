"""TUI: the timeline and the source filter work for questions and rewritten queries too, and the
banner under the search box says what the library's notices say."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from test_tui_support import pilot_test, search, wait_for
from textual.widgets import SelectionList, Static

from tui.app import make_app
from tui.filters import Filters
from tui.screens import FilterScreen
from tui.widgets import Timeline

QUESTION = "WAICO를 제안한 사람은?"


@pytest.mark.parametrize(("query", "months", "source", "kept"), [
    (QUESTION, ["2024-01", "2024-08", "2024-12", "2025-06", "2025-11", "2025-12", "2026-03",
                "2026-06", "2026-10"], "과학기술신문", 3),
    ("엔비디야", ["2024-12", "2025-01", "2025-07", "2025-08", "2025-10"], "국제뉴스통신", 1),
])
@pilot_test
async def test_source_filter_lists_and_keeps_the_matches_sources(
        sample_index: Path, query: str, months: list[str], source: str, kept: int) -> None:
    """A question (ranked by shared words) and a corrected query show a timeline, and their
    filter dialog lists the sources of their matches; choosing one keeps only its hits."""
    app = make_app(sample_index)
    async with app.run_test(size=(100, 30)) as pilot:
        await search(pilot, query)
        timeline = app.query_one("#timeline", Timeline)
        assert timeline.display
        assert [m.value for m in timeline.months] == months
        await pilot.press("down", "f")
        await wait_for(pilot, lambda: isinstance(app.screen, FilterScreen))
        options = app.screen.query_one("#sources", SelectionList)
        values = [options.get_option_at_index(i).value for i in range(options.option_count)]
        assert source in values
        options.select(source)
        await pilot.click("#apply")
        await wait_for(pilot, lambda: app.filters.sources == (source,))
        await wait_for(pilot, lambda: app.settled and app.results is not None
                       and app.results.total == kept)
        assert {hit.source for hit in app.results.hits} == {source}  # type: ignore[union-attr]


@pilot_test
async def test_the_timeline_of_a_question_filters_to_a_month(sample_index: Path) -> None:
    """Enter on the question's busiest month (2025-11, five matches) keeps only those."""
    app = make_app(sample_index)
    async with app.run_test(size=(100, 30)) as pilot:
        await search(pilot, QUESTION)
        await pilot.press("down", "t")
        timeline = app.query_one("#timeline", Timeline)
        assert timeline.has_focus
        await pilot.press("home", *["right"] * 4, "enter")
        await wait_for(pilot, lambda: app.filters.since == dt.date(2025, 11, 1))
        assert app.filters.until == dt.date(2025, 11, 30)
        await wait_for(pilot, lambda: app.settled and app.results is not None
                       and app.results.total == 5)
        assert {h.date.strftime("%Y-%m") for h in app.results.hits if h.date} == {"2025-11"}  # type: ignore[union-attr]
        await pilot.press("x")
        await wait_for(pilot, lambda: app.filters == Filters())


@pytest.mark.parametrize(("query", "banner"), [
    ("엔비디야", "Showing results for 엔비디아 (typo: 엔비디야 → 엔비디아) · also searched Nvidia "
                "(for 엔비디아)"),
    ("인공지눙", "Showing results for 인공지능 (typo: 인공지눙 → 인공지능)"),
    (QUESTION, "Ranked by the words each document shares with the query (some may hold only "
               "some of them)."),
    ("엔비디아 삼성", "Also searched Nvidia (for 엔비디아) · No document has every word: ranked "
                   "by how many of them each holds."),
])
@pilot_test
async def test_the_banner_says_what_the_notices_say(sample_index: Path, query: str,
                                                    banner: str) -> None:
    app = make_app(sample_index)
    async with app.run_test(size=(120, 30)) as pilot:
        await search(pilot, query)
        label = app.query_one("#rewrites", Static)
        assert label.display and str(label.render()) == banner
        assert not app.query_one("#suggestion").display  # the correction is not suggested again

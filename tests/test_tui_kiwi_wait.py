"""TUI: while Kiwi loads in its child process, a query that needs it waits without holding up
the queries typed after it, and runs when Kiwi is ready if it is still the query typed.

Kiwi's child here is a `HeldChild` (tests/test_analyzer.py): it reports ready when the test
releases it, so each interleaving is exact; no clock is read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_analyzer import KNOWN, UNSEEN, HeldChild
from test_tui_support import pilot_test, ready, wait_for
from textual.pilot import Pilot
from textual.widgets import Static

from index import kiwis
from index.analysis import Analyzer
from search import open_index
from tui.app import KosearchApp, make_app
from tui.kiwi_wait import KiwiWait
from tui.widgets import SearchInput


@pytest.fixture
def held(sample_index: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldChild]:
    """The app's Kiwi loading in a child the test releases, none in this process."""
    with open_index(sample_index) as index:
        words = index._analyzer.words
    kid = HeldChild(words)
    monkeypatch.setattr(kiwis, "_children", {words: kid})
    monkeypatch.setattr(Analyzer, "loaded", property(lambda self: False))
    yield kid
    if kid.loading:
        kid.release()  # the thread reading its first line ends


async def type_query(pilot: Pilot[None], query: str) -> KosearchApp:
    """Empty the box and type `query` key by key."""
    app = await ready(pilot)
    app.query_one("#search", SearchInput).value = ""
    await pilot.press(*query)
    return app


def empty_text(app: KosearchApp) -> str:
    return str(app.query_one("#empty", Static).render())


async def held_on_screen(pilot: Pilot[None], app: KosearchApp, query: str) -> None:
    await wait_for(pilot, lambda: app.held is not None and app._searches_running == 0
                   and app._query == query and empty_text(app).startswith(query))
    assert empty_text(app) == (
        f"{query} needs the Korean model, which is still loading (once per start): it is "
        "searched as soon as the model is ready.\nQueries of words this index holds are "
        "searched meanwhile.")
    assert not app.query_one("#results").display and app.results is None
    assert not app.settled


@pilot_test
async def test_a_query_that_needs_kiwi_waits_while_known_words_answer(
        sample_index: Path, held: HeldChild) -> None:
    app = make_app(sample_index)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_query(pilot, UNSEEN)
        await held_on_screen(pilot, app, UNSEEN)
        assert held.asked == []  # nothing waited in the child's pipe

        await type_query(pilot, KNOWN)  # answered by the lexicon while Kiwi still loads
        await wait_for(pilot, lambda: app.settled and app.rendered[0] == KNOWN)
        assert app.results is not None and app.results.total == 4
        assert app.query_one("#results").display and held.loading and app.held is None

        await type_query(pilot, UNSEEN)  # held again, and still the query when Kiwi is ready
        await held_on_screen(pilot, app, UNSEEN)
        held.release()
        await wait_for(pilot, lambda: app.settled and app.rendered[0] == UNSEEN)
        assert app.results is not None and app.results.query == UNSEEN
        assert app.results.failure is None and UNSEEN in held.asked
        assert app.held is None


@pilot_test
async def test_a_held_query_no_longer_typed_is_dropped(
        sample_index: Path, held: HeldChild, monkeypatch: pytest.MonkeyPatch) -> None:
    told: list[object] = []
    on_ready = KiwiWait.on_kiwi_wait_ready

    def watched(self: KosearchApp, message: KiwiWait.Ready) -> None:
        on_ready(self, message)
        told.append((self.held, self._searches_running))

    monkeypatch.setattr(KiwiWait, "on_kiwi_wait_ready", watched)
    app = make_app(sample_index)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_query(pilot, UNSEEN)
        await held_on_screen(pilot, app, UNSEEN)
        await type_query(pilot, KNOWN)
        await wait_for(pilot, lambda: app.settled and app.rendered[0] == KNOWN)
        shown = app.results
        generation = app.rendered_generation
        held.release()
        await wait_for(pilot, lambda: told)
        assert told == [(None, 0)]  # told once, and no search started for the old query
        assert app.settled and app.results is shown and app.rendered_generation == generation
        assert held.asked == []


"""Queries that wait for Kiwi while it loads, without holding up the queries typed after them.

A mixin of `KosearchApp`. Kiwi loads in a child process for seconds after the app opens an
index (`index.kiwis.KiwiChild`); meanwhile the index's lexicon reads the word forms the index
holds. The app searches under `index.analysis.no_wait()`, so a search that would need Kiwi
(an unseen word form, or a correction or suggestion it tries) ends at once with
`KiwiNotReady` instead of waiting in the child's pipe, and the one search the app runs at a
time is free for the next key. The query is held, with a notice saying so, and searched again
when the child reports that Kiwi has loaded, if it is still what the box holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.message import Message

from .banner import Banner
from .preview import Preview
from .render import flat
from .terminal import clean
from .widgets import StatusBar

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from index.kiwis import KiwiChild
    from search.types import Results

    _Base = App[None]
else:
    _Base = object

HELD = (" needs the Korean model, which is still loading (once per start): it is searched "
        "as soon as the model is ready.\nQueries of words this index holds are searched "
        "meanwhile.")
"""What the results area says while a query waits for Kiwi (after the query)."""


class KiwiWait(_Base):
    """Holding a query that needs Kiwi until Kiwi has loaded in its child process."""

    held: tuple[int, int] | None = None
    """(generation, page) of the search that waits for Kiwi, if one does."""
    _waited_for: KiwiChild | None = None
    """The child whose news the app has asked for (once per child)."""

    if TYPE_CHECKING:
        main: Screen[object]
        results: Results | None
        _query: str
        _generation: int
        _pending: bool

        def _search_now(self, page: int = 1) -> None: ...
        def _set_display(self, *, has_results: bool, has_query: bool) -> None: ...
        def _show_message(self, text: Text | str) -> None: ...
        def _release_gc(self) -> None: ...

    class Ready(Message):
        """Kiwi has loaded in its child process (or the child is gone: then Kiwi loads here)."""

    def _hold(self, child: KiwiChild, generation: int, page: int) -> None:
        """The search of `generation` needs Kiwi, still loading in `child`: say so, and search
        again when it has loaded."""
        if generation != self._generation:
            return
        self.held = (generation, page)
        self.results = None
        self.main.query_one("#status", StatusBar).total = None
        self.main.query_one("#notice", Banner).show(None)
        self.main.query_one("#preview-pane", Preview).show(None)  # not an earlier query's
        self._set_display(has_results=False, has_query=True)
        self._show_message(Text.assemble((flat(clean(self._query)), "bold"), HELD))
        self.call_after_refresh(self._release_gc)
        if child is not self._waited_for:
            self._waited_for = child
            child.when_ready(self._tell_ready)

    def _tell_ready(self) -> None:
        """From the thread reading the child: queue `Ready` for the app."""
        try:
            self.post_message(self.Ready())
        except RuntimeError:  # the app has closed
            pass

    def on_kiwi_wait_ready(self, message: KiwiWait.Ready) -> None:
        """Search the held query, if the box still holds it (with the same filters)."""
        self._waited_for = None
        held, self.held = self.held, None
        if held is not None and held[0] == self._generation and not self._pending:
            self._search_now(held[1])

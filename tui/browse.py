"""Moving through results and opening them: the preview pane or screen, n/N, focus and Esc.

A mixin of `KosearchApp`; documents are fetched with `Index.document` in a thread worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.widgets import Input, OptionList
from textual.worker import get_current_worker

from .preview import DocumentView, Preview
from .widgets import ResultList, SearchInput, Timeline

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen
    from textual.timer import Timer

    from search import Index
    from search.types import Document, Hit, Results

    from .screens import PreviewScreen

    _Base = App[None]
else:
    _Base = object

WIDE = 120
"""Columns from which the preview is a pane beside the results instead of its own screen."""
PANE_DELAY = 0.12
"""Seconds the highlight must rest on a result before the pane loads it: typing and holding an
arrow key move it faster than that, and each load would hold up the next search."""


class BrowseActions(_Base):
    """Opening the highlighted result, jumping between matches, and where focus goes."""

    if TYPE_CHECKING:
        index: Index | None
        main: Screen[object]
        results: Results | None
        _query: str

    _pane_timer: Timer | None = None

    @property
    def wide(self) -> bool:
        """True when the preview is a pane beside the results."""
        return self.size.width >= WIDE

    # Named handlers, not @on: Textual collects @on handlers only from DOM classes, not mixins.

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if not isinstance(event.option_list, ResultList):
            return
        hit = event.option_list.current
        if hit is not None and self.wide:
            self._cancel_preview()
            self._pane_timer = self.set_timer(PANE_DELAY, lambda: self._load_document(hit, "pane"))

    def _cancel_preview(self) -> None:
        """Forget a pane load (a new search makes it stale): one waiting for the highlight to
        rest, and one being read, whose document is then never drawn (drawing a long one
        holds the screen and the next search for tens of ms)."""
        if self._pane_timer is not None:
            self._pane_timer.stop()
            self._pane_timer = None
        self.workers.cancel_group(self, "document")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if isinstance(event.option_list, ResultList):
            self.action_open()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if isinstance(event.input, SearchInput):
            self.action_open()

    def action_open(self) -> None:
        """Open the highlighted result: focus the side pane, or push a preview screen."""
        hit = self.main.query_one("#results", ResultList).current
        if hit is None:
            return
        if self.wide:
            self._cancel_preview()
            pane = self.main.query_one("#preview-pane", Preview)
            if pane.body.document is None or pane.body.document.id != hit.id:
                self._load_document(hit, "pane")
            pane.body.focus()
        else:
            self._load_document(hit, "screen")

    @work(thread=True, exclusive=True, group="document", exit_on_error=False)
    def _load_document(self, hit: Hit, where: str) -> None:
        index, query = self.index, self.results.query if self.results is not None else self._query
        if index is None:
            return
        document = index.document(hit.id, query)
        if get_current_worker().is_cancelled:
            return
        if document is None:
            self.call_from_thread(
                self.notify, f"Document {hit.id} is no longer in the index", severity="warning"
            )
        else:
            self.call_from_thread(self._document_loaded, document, where)

    def _document_loaded(self, document: Document, where: str) -> None:
        if where == "pane":
            self.main.query_one("#preview-pane", Preview).show(document)
        elif self._preview_screen() is None:
            from .screens import PreviewScreen

            self.push_screen(PreviewScreen(document))

    def _preview_screen(self) -> PreviewScreen | None:
        """The preview screen if it is the one shown."""
        # Screens are imported when first used, not before the first frame (about 10 ms).
        from .screens import PreviewScreen

        return self.screen if isinstance(self.screen, PreviewScreen) else None

    def _visible_document_view(self) -> DocumentView | None:
        if screen := self._preview_screen():
            return screen.query_one(DocumentView)
        pane = self.main.query_one("#preview-pane", Preview)
        return pane.body if self.wide and pane.body.document else None

    def action_next_match(self) -> None:
        if view := self._visible_document_view():
            view.action_next_match()

    def action_previous_match(self) -> None:
        if view := self._visible_document_view():
            view.action_previous_match()

    def current_document(self) -> Hit | Document | None:
        """The document commands act on: the one previewed, else the highlighted result."""
        if screen := self._preview_screen():
            return screen.document
        focused = self.focused
        pane = self.main.query_one("#preview-pane", Preview)
        if focused is pane.body and pane.body.document:
            return pane.body.document
        return self.main.query_one("#results", ResultList).current

    def _leave_preview(self) -> None:
        """Close the preview screen, for keys that act on the search screen under it."""
        if self._preview_screen():
            self.pop_screen()

    def action_focus_search(self) -> None:
        self._leave_preview()
        self.main.query_one("#search").focus()

    def action_focus_results(self) -> None:
        results = self.main.query_one("#results", ResultList)
        if results.display and results.option_count:
            results.focus()

    def action_focus_timeline(self) -> None:
        self._leave_preview()
        timeline = self.main.query_one("#timeline", Timeline)
        if timeline.display:
            timeline.focus()

    def action_go_back(self) -> None:
        """Esc: from the preview pane to the results, from elsewhere to the search box."""
        focused = self.focused
        search = self.main.query_one("#search", SearchInput)
        if isinstance(focused, DocumentView):
            self.action_focus_results()
        elif focused is search:
            if search.value:
                search.value = ""
        else:
            search.focus()

    def action_help(self) -> None:
        from .screens import HelpScreen

        self.push_screen(HelpScreen())

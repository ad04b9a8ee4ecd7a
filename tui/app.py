"""The kosearch terminal UI: search as you type, preview with marked matches, filters, timeline.

`make_app()` builds it for the command line and the tests. All searching goes through
`search.Index`; this module only decides when to call it and where the answer is shown.
"""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Label, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from .actions import DocumentActions
from .banner import Banner
from .browse import WIDE, BrowseActions
from .commands import KosearchCommands
from .filters import Filters
from .indexing import IndexingActions
from .kiwi_wait import KiwiWait
from .pacing import GcPacing
from .preview import Preview
from .refine import RefineActions
from .render import KEYS_HINT
from .widgets import FilterBar, ResultList, SearchInput, StatusBar, Timeline

if TYPE_CHECKING:
    from index.kiwis import KiwiChild
    from search import Index
    from search.types import Facet, Results

PAGE = 10
"""Results fetched and drawn per query: more than a tall terminal shows, so the first screen
costs as little as it can; reaching the end of the list fetches the next page."""
DEBOUNCE = 0.0
"""Seconds of quiet typing before a search starts. None by default: a key typed while no search
runs starts one at once, and keys typed while one runs are gathered into one search of the
latest text, started the moment the running one ends (its results, stale by then, are never
drawn). So at most one search runs, and the last key waits for at most the rest of one."""
SAMPLE_HINT = (
    "This is the sample corpus: {docs} Korean news articles, searchable now.\n"
    "Try 인공지능, 탄소 국경 or 출산율 — or English words such as APEC.\n\n"
    "To search your own documents, index a folder: press ctrl+p and choose “Index a folder…”."
)


FIRST_RUN = "Indexing the sample corpus for its first use (a few seconds, once)…"


class KosearchApp(RefineActions, BrowseActions, IndexingActions, DocumentActions, GcPacing,
                  KiwiWait, App[None]):
    """Search an index as you type; see `make_app`."""

    TITLE = "kosearch"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {KosearchCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", id="app.search", tooltip="Type a query"),
        Binding("escape", "go_back", "Back", id="app.back", tooltip="Preview → results → search box"),
        Binding("f", "filters", "Filters", id="app.filters", tooltip="Date range, sources, sort order"),
        Binding("s", "toggle_sort", "Sort", id="app.sort", tooltip="Relevance or newest first"),
        Binding(
            "t",
            "focus_timeline",
            "Timeline",
            id="app.timeline",
            show=False,
            tooltip="Pick a month to filter to",
        ),
        Binding(
            "x",
            "clear_filters",
            "Clear filters",
            id="app.clear",
            show=False,
            tooltip="Remove every filter",
        ),
        Binding(
            "ctrl+y",
            "accept_suggestion",
            "Did you mean",
            id="app.suggestion",
            tooltip="Search the suggested query",
        ),
        Binding("n", "next_match", "Next match", id="app.next_match", show=False),
        Binding("N", "previous_match", "Prev match", id="app.previous_match", show=False),
        # ? is a character in the search box, so F1 is the help key there (the footer shows it).
        Binding("question_mark,f1", "help", "Help", id="app.help", tooltip="Keys and commands"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer (in the footer) only keys that do something where the user is."""
        if action == "focus_search":
            return self.focused is not self.main.query_one("#search")
        if action == "accept_suggestion":
            return self._suggestion is not None
        return True

    main: Screen[object]
    """The search screen (set on mount); previews and dialogs go on top of it."""

    def __init__(self, index_path: Path | None = None, *, debounce: float = DEBOUNCE) -> None:
        super().__init__()
        self.index_path = index_path
        self.debounce = debounce
        self.index: Index | None = None
        self.analyzer_ready = False
        """True once the index is open and its analyzer loaded."""
        self.filters = Filters()
        self.results: Results | None = None
        self.sources_in_index: tuple[Facet, ...] = ()
        self.rendered: tuple[str, float] = ("", 0.0)
        """(query, time.perf_counter()) of the last results put on screen (for the benchmark)."""
        self._query = ""
        self._page = 1
        self._generation = 0
        self.rendered_generation = 0
        self._pending = False
        self._timer: Timer | None = None
        self._searches_running = 0
        """Searches started and not yet finished."""
        self._rerun = False
        """A newer query waits for the running search to end."""
        self._suggestion_offered = False
        self._failure_shown: str | None = None
        """The failure of the last search put on screen (told once while it repeats)."""

    # Layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield SearchInput(placeholder="Search… (Korean or English)", id="search")
        yield Static(
            "⏳ Loading the Korean analyzer… type away, your query runs when it is ready.",
            id="loading",
        )
        yield Banner(id="notice")
        yield FilterBar(id="filterbar")
        with Horizontal(id="indexing"):
            yield Label("Indexing…", id="indexing-label")
            yield ProgressBar(id="indexing-progress", show_eta=False)
        with Horizontal(id="body"):
            with Vertical(id="results-pane"):
                yield Timeline(id="timeline")
                yield Static(id="empty")
                yield ResultList(id="results")
            yield Preview(id="preview-pane")
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self._pace_gc()  # see tui.pacing
        self.main = self.screen
        self.main.query_one("#search").focus()
        self.main.query_one("#status", StatusBar).busy = "loading analyzer…"
        self._show_idle()
        # After the first frame: the worker's imports (Whoosh, Kiwi) would compete with it.
        self.call_after_refresh(self._first_frame)
        self.call_after_refresh(self._open, self.index_path)

    # Opening an index -----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def _open(self, path: Path | None) -> None:
        """Open the index and load the analyzer off the UI thread, so the screen appears at once."""
        try:
            from search import open_index, tuning

            if path is None and self._first_run():
                self.call_from_thread(self._show_message, FIRST_RUN)
            index = open_index(path)
            self.call_from_thread(self._opened, index)
            # With the index's lexicon, Kiwi loads in a child process: a thread here would
            # hold the GIL for seconds and freeze the keys; queries of known words run now.
            tuning.warm_up(index)
        except Exception as error:  # an unreadable index must not end the app
            self.call_from_thread(self._failed, f"Could not open the index {path or ''}", error)
            return
        self.call_from_thread(self._warmed, index)
        # Only the filter dialog needs these (before any query), so they come last.
        self.sources_in_index = index.stats().sources
        # Frequent terms' postings, read ahead while the user types (searches interleave).
        tuning.prefetch(index)

    @staticmethod
    def _first_run() -> bool:
        """True when `open_index()` is about to index the sample corpus (no index yet)."""
        from index.sample import sample_index_dir
        from index.store import MARKER, default_index_dir

        return not os.environ.get("KOSEARCH_INDEX") and not any(
            (folder / MARKER).exists() for folder in (default_index_dir(), sample_index_dir())
        )

    def _opened(self, index: Index) -> None:
        old, self.index, self.analyzer_ready = self.index, index, False
        if old is not None and old is not index:
            self._close(old)
        status = self.main.query_one("#status", StatusBar)
        status.path, status.documents, status.is_sample = (
            index.path,
            index.doc_count,
            index.is_sample,
        )
        self._show_idle()

    def _warmed(self, index: Index) -> None:
        if index is not self.index:
            return
        self.analyzer_ready = True
        gc.freeze()  # the index, analyzer and vocabulary stay for the session: never walk them
        self.main.query_one("#loading").display = False
        self.main.query_one("#status", StatusBar).busy = ""
        self._search_now()

    def _failed(self, what: str, error: BaseException) -> None:
        self._release_gc()
        self.main.query_one("#loading").display = False
        self.main.query_one("#status", StatusBar).busy = ""
        self.notify(f"{what}: {error}", title="Error", severity="error", timeout=10)
        if self.index is None:
            self._show_idle()
        # else the open index, its query and results stay as they were

    def _close(self, index: Index) -> None:
        try:
            index.close()
        except Exception as error:
            self.log.warning(f"closing {index.path}: {error}")

    def on_unmount(self) -> None:
        if self.index is not None:
            self._close(self.index)
        self._stop_pacing_gc()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Report any worker that failed unexpectedly as a notification, not a traceback."""
        if event.state == WorkerState.ERROR:
            self.notify(str(event.worker.error), title=f"{event.worker.name} failed", severity="error")

    # Searching ------------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self._query = event.value.strip()
        self._pending = True
        self._cancel_preview()
        self._hold_gc()
        self._cancel_tidy()
        if self._timer is not None:
            self._timer.stop()
        if self.debounce > 0:
            self._timer = self.set_timer(self.debounce, self._search_now)
        else:
            self._search_now()

    def _search_now(self, page: int = 1) -> None:
        """Search for the current query and filters, or show the idle screen when there is none."""
        if self._query and self._searches_running:
            self._rerun = True  # `_search_done` starts it
            return
        self._pending = False
        self._rerun = False
        self._generation += 1
        self.held = None  # a query waiting for Kiwi and no longer the current one is dropped
        if not self._query:
            self.workers.cancel_group(self, "search")
            self.results = None
            self._show_idle()
            self.rendered_generation = self._generation
            return
        if self.index is None or not self.analyzer_ready:
            return  # `_warmed` searches for it
        self._page = page
        self._start_search(page)

    def _start_search(self, page: int) -> None:
        assert self.index is not None
        self._searches_running += 1
        self._cancel_preview()
        self._search(self.index, self._query, self.filters, page, self._generation)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, index: Index, query: str, filters: Filters, page: int, generation: int) -> None:
        from index.analysis import KiwiNotReady, no_wait

        results: Results | None = None
        waits: KiwiChild | None = None
        try:
            if not get_current_worker().is_cancelled:
                with no_wait():  # a query that needs Kiwi while it loads is held (tui.kiwi_wait)
                    results = index.search(query, limit=PAGE, page=page, **filters.search_kwargs())  # type: ignore[arg-type]
        except KiwiNotReady as held:
            waits = held.child
        finally:
            if get_current_worker().is_cancelled:
                results = waits = None
            try:
                self.call_from_thread(self._search_done, results, generation, page, waits)
            except RuntimeError:  # the app is closing
                pass

    def _search_done(self, results: Results | None, generation: int, page: int,
                     waits: KiwiChild | None = None) -> None:
        self._searches_running = max(0, self._searches_running - 1)
        if self._rerun:  # a newer query waited: these results are stale
            if not self._searches_running:
                self._search_now()
            return
        if waits is not None:
            self._hold(waits, generation, page)
        elif results is not None:
            self._show_results(results, generation, page)

    def _show_results(self, results: Results, generation: int, page: int) -> None:
        if generation != self._generation:
            return
        results_list = self.main.query_one("#results", ResultList)
        results_list.show(results, append=page > 1)
        if page == 1:
            self.results = results
            self.main.query_one("#timeline", Timeline).months = results.months
            self.main.query_one("#notice", Banner).show(results)
        status = self.main.query_one("#status", StatusBar)
        status.total, status.elapsed = results.total, results.elapsed
        if self.index is not None:  # a search follows commits made by other processes
            status.documents = self.index.doc_count
        self._set_display(has_results=bool(results.hits) or page > 1, has_query=True)
        if not results.hits and page == 1:
            self._show_message(self._no_match_text(results))
            self.main.query_one("#preview-pane", Preview).show(None)  # not the last query's
        if results.failure and results.failure != self._failure_shown:  # once, not per key
            self.notify(results.failure, title="Search failed",
                        severity="error", timeout=15, markup=False)
        self._failure_shown = results.failure
        if results.error:
            self.notify(results.error, title="Query read as plain words", severity="warning",
                        markup=False)
        self._offer_suggestion()
        self.rendered = (results.query, time.perf_counter())
        self.rendered_generation = generation
        self.call_after_refresh(self._release_gc)
        self._arm_tidy()

    def _offer_suggestion(self) -> None:
        """Show ctrl+y in the footer while the results have a suggestion. Only on a change:
        the footer rebuilds its keys (a dozen widgets, mounted and styled) on every refresh of
        the bindings, which cost each search's results 10-20 ms."""
        offered = self._suggestion is not None
        if offered != self._suggestion_offered:
            self._suggestion_offered = offered
            self.refresh_bindings()

    @property
    def settled(self) -> bool:
        """True when the screen shows the results of the current query and filters."""
        return self.analyzer_ready and not self._pending and self.rendered_generation == self._generation

    def _no_match_text(self, results: Results) -> Text:
        if results.failure:  # not "no matches": nothing was searched
            return Text.assemble("The search for ", (results.query, "bold"),
                                 " failed: ", results.failure)
        text = Text.assemble("No matches for ", (results.query, "bold"), ".")
        if self._suggestion:
            text.append("  Did you mean the suggestion above? (ctrl+y)")
        if self.filters.chips():
            text.append("\nSome filters are on: press x to clear them, or click one to remove it.")
        return text

    def on_result_list_more(self, event: ResultList.More) -> None:
        if self.index is not None and self.analyzer_ready and self._query:
            self._page += 1
            self._start_search(self._page)

    # What is shown when -------------------------------------------------------------------------

    def _set_display(self, *, has_results: bool, has_query: bool) -> None:
        self.main.query_one("#results").display = has_results
        self.main.query_one("#timeline").display = (
            has_results and self.results is not None and bool(self.results.months)
        )
        self.main.query_one("#empty").display = not has_results
        # The start screen's hint gets the whole width; the side pane comes with a query.
        self.main.query_one("#preview-pane").set_class(not has_query, "-idle")
        if not has_query:
            self.main.query_one("#notice", Banner).show(None)

    def _show_message(self, text: Text | str) -> None:
        self.main.query_one("#empty", Static).update(text)

    def _show_idle(self) -> None:
        """The screen before a query: what is being searched and how to index a folder."""
        self.main.query_one("#results", ResultList).clear_hits()
        self.main.query_one("#preview-pane", Preview).show(None)
        status = self.main.query_one("#status", StatusBar)
        status.total = None
        self._offer_suggestion()
        self._set_display(has_results=False, has_query=False)
        self.call_after_refresh(self._release_gc)
        self._arm_tidy()  # an emptied box is a pause too
        if self.index is None:
            self._show_message("Opening the index…")
        elif self.index.is_sample:
            self._show_message(SAMPLE_HINT.format(docs=self.index.doc_count))
        else:
            self._show_message(f"Type to search {self.index.doc_count:,} documents.\n\n{KEYS_HINT}")

    def on_resize(self, event: events.Resize) -> None:
        """Narrowed below the side pane's width: the focus may not stay in the hidden pane."""
        main: Screen[object] | None = getattr(self, "main", None)  # None before on_mount
        if main is None or event.size.width >= WIDE:  # (self.size is updated after this)
            return
        if main.focused is main.query_one("#preview-pane", Preview).body:
            results = main.query_one("#results", ResultList)
            main.set_focus(results if results.display else main.query_one("#search"))


def make_app(index_path: Path | None = None) -> KosearchApp:
    """Return the kosearch terminal UI over the index at `index_path`.

    :param index_path: None for `KOSEARCH_INDEX`, else the user's index, else the sample corpus.
    """
    return KosearchApp(index_path)

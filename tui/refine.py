"""Changing what the current search asks for: filters, sort order, a timeline month, the
suggested query.

A mixin of `KosearchApp`: each action sets the filters or the query and the app searches again.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from .banner import Banner
from .filters import Filters
from .widgets import FilterBar, SearchInput, Timeline

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from search.types import Facet, Results

    _Base = App[None]
else:
    _Base = object


class RefineActions(_Base):
    """Filters, sort and "did you mean": the keys and clicks that change the current search."""

    if TYPE_CHECKING:
        main: Screen[object]
        filters: Filters
        results: Results | None
        sources_in_index: tuple[Facet, ...]

        def _search_now(self, page: int = 1) -> None: ...
        def _leave_preview(self) -> None: ...

    def set_filters(self, filters: Filters | None) -> None:
        """Search again with `filters` (None: keep the current ones)."""
        if filters is None or filters == self.filters:
            return
        self.filters = filters
        self.main.query_one("#filterbar", FilterBar).filters = filters
        self._search_now()

    def action_filters(self) -> None:
        self._leave_preview()
        sources = self.results.sources if self.results is not None else self.sources_in_index
        from .screens import FilterScreen

        self.push_screen(FilterScreen(self.filters, sources), self.set_filters)

    def action_toggle_sort(self) -> None:
        self._leave_preview()
        self.set_filters(
            replace(self.filters, sort="date" if self.filters.sort == "relevance" else "relevance")
        )

    def action_clear_filters(self) -> None:
        self._leave_preview()
        self.set_filters(Filters())

    def on_filter_bar_removed(self, event: FilterBar.Removed) -> None:
        self.set_filters(self.filters.without(event.key))

    def on_timeline_chosen(self, event: Timeline.Chosen) -> None:
        self.set_filters(replace(self.filters, since=event.period.since, until=event.period.until))

    def on_banner_accepted(self, event: Banner.Accepted) -> None:
        self._use_query(event.query)

    @property
    def _suggestion(self) -> str | None:
        """The "did you mean" query on screen (not one that repeats a correction)."""
        return (self.main.query_one("#notice", Banner).suggestion
                if self.results is not None else None)

    def action_accept_suggestion(self) -> None:
        if self._suggestion:
            self._use_query(self._suggestion)

    def _use_query(self, query: str) -> None:
        search = self.main.query_one("#search", SearchInput)
        search.value = query
        search.cursor_position = len(query)
        search.focus()

"""The filters and sort order the user has set, as one frozen value the app passes to search."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from search.types import SortOrder


FilterKey = Literal["since", "until", "sources", "sort"]

NO_SOURCE = "(no source)"
"""How the source of documents that name none (the value "") is shown."""


def source_label(value: str) -> str:
    """A source as shown in the filters: its name, or `NO_SOURCE` for "".

    >>> source_label("한빛일보"), source_label("")
    ('한빛일보', '(no source)')
    """
    return value or NO_SOURCE



@dataclass(frozen=True)
class Filters:
    """Date range, sources and sort order, passed to `Index.search` as they are."""

    since: dt.date | None = None
    until: dt.date | None = None
    sources: tuple[str, ...] = ()
    sort: SortOrder = "relevance"

    def chips(self) -> list[tuple[FilterKey, str]]:
        """Return the active filters as (key, label) pairs, in display order.

        >>> Filters(since=dt.date(2024, 1, 1), sort="date").chips()
        [('since', 'from 2024-01-01'), ('sort', 'newest first')]
        >>> Filters(sources=("한빛일보", "")).chips()
        [('sources', 'source: 한빛일보, (no source)')]
        """
        out: list[tuple[FilterKey, str]] = []
        if self.since:
            out.append(("since", f"from {self.since.isoformat()}"))
        if self.until:
            out.append(("until", f"until {self.until.isoformat()}"))
        if self.sources:
            out.append(("sources", "source: " + ", ".join(map(source_label, self.sources))))
        if self.sort == "date":
            out.append(("sort", "newest first"))
        return out

    def without(self, key: FilterKey) -> Filters:
        """Return these filters with `key` reset to its default."""
        default: dict[str, Any] = {key: getattr(Filters(), key)}
        return replace(self, **default)

    def search_kwargs(self) -> dict[str, object]:
        """Return the keyword arguments `Index.search` takes for these filters."""
        return {
            "since": self.since,
            "until": self.until,
            "sources": list(self.sources) or None,
            "sort": self.sort,
        }


def parse_date(text: str, *, end: bool = False) -> dt.date | None:
    """Read a date typed into a filter (`2024`, `2024-02`, `2024-02-29`, `2024.02.29.`); a
    year or month is its first day, or its last with `end` (`index.records.date_bound`).

    Returns None for empty text; raises ValueError for anything else that is not a date.

    >>> parse_date("2024-02", end=True)
    datetime.date(2024, 2, 29)
    >>> parse_date("2024")
    datetime.date(2024, 1, 1)
    """
    if not text.strip():
        return None
    from index.records import date_bound  # the library loads after the first screen

    date = date_bound(text.strip(), end=end)
    if date is None:
        raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD, YYYY-MM or YYYY)")
    return date

"""The filters and sort order the user has set, as one frozen value the app passes to search."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from search.types import SortOrder


FilterKey = Literal["since", "until", "sources", "sort"]

_DATE = re.compile(r"^\s*(\d{4})(?:[-./](\d{1,2})(?:[-./](\d{1,2}))?)?\s*$")


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
        """
        out: list[tuple[FilterKey, str]] = []
        if self.since:
            out.append(("since", f"from {self.since.isoformat()}"))
        if self.until:
            out.append(("until", f"until {self.until.isoformat()}"))
        if self.sources:
            out.append(("sources", "source: " + ", ".join(self.sources)))
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
    """Read `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; a partial date is its first day (last if `end`).

    Returns None for empty text; raises ValueError for anything else that is not a date.

    >>> parse_date("2024-02", end=True)
    datetime.date(2024, 2, 29)
    >>> parse_date("2024")
    datetime.date(2024, 1, 1)
    """
    if not text.strip():
        return None
    match = _DATE.match(text)
    if not match:
        raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if day is not None:
        return dt.date(year, month or 1, day)
    if month is None:
        return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    if not end:
        return dt.date(year, month, 1)
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)

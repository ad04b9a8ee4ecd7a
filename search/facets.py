"""Filters and facets over an index's columns: which documents a date range and a list of
sources keep, how many matches each source and month holds, and the figures `stats` shows.

They read whole columns (`Engine.column`) as arrays, so a filter or a count over every match
costs one pass of numpy, however many documents match.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from whoosh.util.times import datetime_to_long, long_to_datetime

from search.engine import Engine
from search.types import Facet

__all__ = ["allowed", "date_span", "facets", "month_of", "source_counts", "to_date"]

_MONTHS: weakref.WeakKeyDictionary[Engine, tuple[np.ndarray, list[str]]] = (
    weakref.WeakKeyDictionary())
"""Each engine's month of every document (codes into sorted labels), made at its first facet
count and dropped with the engine (a refresh makes a new one)."""


def allowed(engine: Engine, since: dt.date | None, until: dt.date | None,
            sources: Sequence[str] | str | None) -> np.ndarray | None:
    """The documents the filters keep, as a mask (None: no filter)."""
    keep = None
    if since or until:
        keys = engine.column("date")
        keep = keys > 0
        if since:
            keep &= keys >= datetime_to_long(dt.datetime.combine(since, dt.time.min))
        if until:
            keep &= keys <= datetime_to_long(dt.datetime.combine(until, dt.time.max))
    if sources:
        names = {sources} if isinstance(sources, str) else set(sources)
        codes, labels = engine.column("source")
        wanted = [i for i, label in enumerate(labels) if label in names]
        of_source = np.isin(codes, wanted)
        keep = of_source if keep is None else keep & of_source
    return keep


def facets(engine: Engine, mask: np.ndarray) -> tuple[tuple[Facet, ...], tuple[Facet, ...]]:
    """Matches per source (most first, then by name) and per month (`YYYY-MM`, oldest first,
    documents without a date left out). Facets need every match; ranked queries (mode "any")
    match most of the index loosely, where such counts mean little."""
    codes, labels = engine.column("source")
    per_source = np.bincount(codes[mask], minlength=len(labels))
    groups = {labels[i]: int(c) for i, c in enumerate(per_source) if c}
    month_codes, month_labels = _months(engine)
    per_month = np.bincount(month_codes[mask], minlength=len(month_labels))
    months = {month_labels[i]: int(c) for i, c in enumerate(per_month) if c}
    return (tuple(Facet(k, v) for k, v in sorted(groups.items(), key=lambda kv: (-kv[1], kv[0]))),
            tuple(Facet(k, v) for k, v in sorted(months.items()) if k))


def _months(engine: Engine) -> tuple[np.ndarray, list[str]]:
    got = _MONTHS.get(engine)
    if got is None:
        keys = engine.column("date")
        unique, inverse = np.unique(keys, return_inverse=True)
        names = [month_of(int(k)) if k > 0 else "" for k in unique]
        labels = sorted(set(names))
        index = {m: i for i, m in enumerate(labels)}
        got = (np.array([index[m] for m in names], dtype=np.int64)[inverse], labels)
        _MONTHS[engine] = got
    return got


def source_counts(engine: Engine) -> Counter[str]:
    """Live documents per source."""
    codes, labels = engine.column("source")
    per_source = np.bincount(codes[engine.live], minlength=len(labels))
    return Counter({labels[i]: int(c) for i, c in enumerate(per_source) if c})


def date_span(engine: Engine) -> tuple[dt.date | None, dt.date | None]:
    """The first and last date of the live documents that have one."""
    keys = engine.column("date")[engine.live]
    keys = keys[keys > 0]
    if not len(keys):
        return None, None
    return _key_date(int(keys.min())), _key_date(int(keys.max()))


def to_date(value: Any) -> dt.date | None:
    """A stored date field as a date (None when it is not one).

    >>> to_date(dt.datetime(2025, 11, 3, 9, 30)), to_date("2025-11-03")
    (datetime.date(2025, 11, 3), None)
    """
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _key_date(key: int) -> dt.date | None:
    """A date column's sort key as a date (None when it is not one)."""
    try:
        return long_to_datetime(key).date()
    except (OverflowError, ValueError):
        return None


def month_of(value: Any) -> str:
    """`YYYY-MM` of a date, a datetime or a date column's sort key (microseconds since year
    1); "" when it is none of them.

    >>> month_of(dt.date(2025, 11, 3)), month_of(None)
    ('2025-11', '')
    """
    if isinstance(value, int):
        try:
            value = long_to_datetime(value)
        except (OverflowError, ValueError):
            return ""
    date = to_date(value)
    return f"{date.year:04d}-{date.month:02d}" if date and date.year > 1 else ""

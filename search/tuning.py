"""Plumbing around an open index that benchmarks and front ends call, kept off `Index`'s
public surface: load the analyzer ahead of the first query, read postings ahead, rank
with other weights. A search works without any of these; they only move work earlier."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from search.api import Index
    from search.query import Weights

__all__ = ["prefetch", "set_weights", "warm_up"]


def warm_up(index: Index, *, background: bool = True) -> None:
    """Load the Korean analyzer and the suggestion vocabulary now rather than on the first
    query that needs them (see `Index.warm_up`)."""
    index.warm_up(background=background)


def prefetch(index: Index, share: float = 0.01) -> int:
    """Read ahead the postings of the terms found in more than `share` of the documents;
    returns how many terms were read (see `Index.prefetch`)."""
    return index.prefetch(share)


def set_weights(index: Index, weights: Weights) -> None:
    """Rank with other weights from now on (the quality benchmark tunes them)."""
    index.set_weights(weights)

"""Plumbing around an open index that benchmarks and front ends call, kept off `Index`'s
public surface: load the analyzer ahead of the first query, read postings ahead, rank
with other weights. A search works without any of these; they only move work earlier."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from search.engine import CACHE_POSTINGS, SCORED_FIELDS
from search.suggest import vocabulary

if TYPE_CHECKING:
    from search.api import Index
    from search.query import Weights

__all__ = ["model_loaded", "prefetch", "set_weights", "warm_up"]

PREFETCH_SHARE_OF_CACHE = 0.6
"""`prefetch` fills at most this share of the engine's postings cache, leaving room for the
terms queries bring."""


def warm_up(index: Index, *, background: bool = True) -> None:
    """Load the Korean analyzer (2-3 s) and the vocabulary for suggestions now, rather than
    on the first query that needs them.

    :param background: with the index's lexicon, load Kiwi in a child process instead (the
        default), which reads the words the lexicon does not know; this process never stops
        for it (kiwipiepy holds the GIL while it loads, so a thread would freeze a UI).
        False: in this process.
    """
    analyzer = index._analyzer
    if background and analyzer.lexicon is not None:
        analyzer.load_in_background()
    else:
        analyzer.kiwi()
    with index._lock:
        vocabulary(index._searcher)


def model_loaded(index: Index) -> bool:
    """Whether the index's Korean analyzer (Kiwi) is loaded in this process: a front end
    that times a call can then count a load that happened inside it as start-up."""
    return bool(index._analyzer.loaded)


def prefetch(index: Index, share: float = 0.01) -> int:
    """Read ahead the postings of the terms found in more than `share` of the documents
    (seconds on a large index; searches may run meanwhile, from another thread); returns the
    number of terms read. An index whose segments all have posting files (`index.postings`)
    needs none of that: their files are read once into the system's cache instead, and the
    count is of the terms they hold."""
    with index._lock:
        engine = index._engine()
        sidecars = list(engine.sidecars)
        if sidecars and all(s is not None for s in sidecars):
            scans = []
        else:
            scans = [(field, engine.scan_terms(field)) for field in SCORED_FIELDS]
    ready = [s for s in sidecars if s is not None]
    if not scans:  # every segment has its posting file: have the system read it ahead
        for sidecar in ready:
            sidecar.warm()
        return sum(len(s.keys) for s in ready)
    least = max(2, int(engine.n * share))
    found: list[tuple[int, str, str]] = []
    for field, scan in scans:
        # The term list of a large index takes seconds to walk: a slice at a time, so
        # searches from another thread wait for one slice at most.
        while True:
            with index._lock:
                if engine is not index._engine_:  # refreshed meanwhile: its reader is closed
                    return 0
                chunk = list(itertools.islice(scan, 4096))
            found += [(-df, field, text) for text, df in chunk if df >= least]
            if not chunk:
                break
    terms = [(field, text) for _, field, text in sorted(found)]
    done = 0
    for field, text in terms:
        with index._lock:
            if engine is not index._engine_ or engine.cached > PREFETCH_SHARE_OF_CACHE * \
                    CACHE_POSTINGS:  # refreshed meanwhile, or enough memory spent
                break
            engine.postings(field, text)
            done += 1
    return done


def set_weights(index: Index, weights: Weights) -> None:
    """Rank with other weights from now on (the quality benchmark tunes them); the postings
    read so far are kept, the documents being the same."""
    with index._lock:
        index.weights = weights
        index._searcher = index._ix.searcher(weighting=index._weighting())
        if index._engine_ is not None:
            index._engine_.searcher = index._searcher
            index._engine_.weights = weights

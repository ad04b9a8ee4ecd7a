"""Query evaluation over postings held as numpy arrays.

Whoosh walks a query's matcher tree one posting at a time in Python: a pasted paragraph (an OR of
~100 terms) over 12,000 court decisions took seconds. The engine reads each term's postings once
(`search.engine_data`) and evaluates the same query trees with array operations: BM25 for every
document of a term at once (`search.engine_scoring`), AND/OR/NOT as boolean masks (here). Term
scores are Whoosh's, so without phrases the engine ranks exactly as the Whoosh searcher it
replaces; the tests check it. Phrases need positions, read only where they can matter, and score
by how often they occur (`search.engine_phrases`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from index.postings import SegmentPostings
from search.engine_data import CACHE_POSTINGS, IndexData
from search.engine_phrases import Phrases, needs_positions
from search.engine_scoring import BM25, Node
from search.matching import MAX_EXPANSION, Mark, expand
from search.query import Weights

__all__ = ["CACHE_POSTINGS", "MAX_EXPANSION", "SCORED_FIELDS", "Engine", "Ranked"]

SCORED_FIELDS = ("title", "body", "words")


@dataclass
class Ranked:
    """The outcome of a query: every match, and the best ones in order."""

    docnums: np.ndarray
    """The requested top documents, best first (or newest first when sorting by date)."""
    scores: np.ndarray
    total: int
    mask: np.ndarray
    """Every matching document (for facets)."""


class Engine:
    """Evaluates Whoosh queries over one reader generation of an index. Not thread-safe by itself:
    the `Index` that owns it serialises searches.

    Three parts, one job each: `data` reads and caches postings, lengths and columns; `bm25`
    scores; `phrases` handles what needs positions. The engine evaluates query trees over them."""

    def __init__(self, searcher: Searcher, weights: Weights, folder: Path | None = None) -> None:
        """`folder`: the index's folder, where the segments' posting files (see
        `index.postings`) are looked for."""
        self.data = IndexData(searcher, folder)
        self.bm25 = BM25(self.data, weights)
        self.phrases = Phrases(self.data, self.bm25)

    # -- what the index and front ends read (delegated to the parts) ------------------------

    @property
    def searcher(self) -> Searcher:
        return self.data.searcher

    @searcher.setter
    def searcher(self, searcher: Searcher) -> None:
        """A searcher of the same generation (new weights): what was read so far stays valid."""
        self.data.searcher = searcher

    @property
    def weights(self) -> Weights:
        return self.bm25.weights

    @weights.setter
    def weights(self, weights: Weights) -> None:
        self.bm25.weights = weights

    @property
    def reader(self) -> Any:
        return self.data.reader

    @property
    def leaves(self) -> list[tuple[Any, int]]:
        return self.data.leaves

    @property
    def n(self) -> int:
        """Documents in this generation, deleted included (document numbers run below it)."""
        return self.data.n

    @property
    def live(self) -> np.ndarray:
        """Which documents are not deleted."""
        return self.data.live

    @property
    def sidecars(self) -> list[SegmentPostings | None]:
        return self.data.sidecars

    @property
    def cached(self) -> int:
        """Postings held in memory."""
        return self.data.cached

    def postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Document numbers (ascending) and frequencies of `text` in `field`, deleted included."""
        return self.data.postings(field, text)

    def scan_terms(self, field: str) -> Iterator[tuple[str, int]]:
        """(term, document frequency) of every term of `field`, lazily (see `Index.prefetch`)."""
        return self.data.scan_terms(field)

    def column(self, name: str) -> Any:
        """A whole column (source names as codes, or date sort keys) as arrays, read once."""
        return self.data.column(name)

    def idf(self, field: str, text: str) -> float:
        return self.bm25.idf(field, text)

    def proximity(self, field: str, terms: list[tuple[str, float]], docs: np.ndarray,
                  width: int) -> np.ndarray:
        """See `Phrases.proximity`."""
        return self.phrases.proximity(field, terms, docs, width)

    def marks(self, field: str, terms: Iterable[str], docnums: Iterable[int]
              ) -> dict[int, list[Mark]]:
        """For each document, the (start, end, term) of every occurrence of `terms` in `field`
        (a prefix stands for the terms it stands for in ranking: see `search.matching`)."""
        return self.phrases.marks(field, terms, docnums)

    # -- evaluation ---------------------------------------------------------------------------

    def run(self, q: wq.Query, *, allowed: np.ndarray | None, limit: int,
            sort_key: np.ndarray | None = None, bm25: tuple[float, float] | None = None
            ) -> Ranked:
        """Evaluate `q`; keep documents in `allowed` (a mask, or None for all); return the top
        `limit` by score, or by `sort_key` (descending, ties by score) when given. `bm25`:
        (k1, b) for this query instead of the weights' (titles keep their own b)."""
        self.data.trim()  # what earlier searches left mapped (and their snippets read)
        self.bm25.params = bm25
        try:
            return self._run(q, allowed, limit, sort_key)
        finally:
            self.bm25.params = None

    def _run(self, q: wq.Query, allowed: np.ndarray | None, limit: int,
             sort_key: np.ndarray | None) -> Ranked:
        # Outside `allowed` nothing matters: a required phrase reads positions only within.
        node = self.evaluate(q) if allowed is None else self.evaluate(q, within=allowed)
        mask = node.mask & self.live
        if allowed is not None:
            mask &= allowed
        self.phrases.rerank(q, node, mask, limit if sort_key is None else None)
        found = np.flatnonzero(mask)
        total = len(found)
        scores = node.score[found]
        if sort_key is None:
            if total > limit:
                # Everything tied with the limit-th score stays, so that ties are broken by
                # document number (below), not by where argpartition happened to put them.
                nth = np.partition(scores, total - limit)[total - limit]
                keep = scores >= nth
                found, scores = found[keep], scores[keep]
            order = np.lexsort((found, -scores))
        else:
            order = np.lexsort((found, -scores, -sort_key[found]))[:limit]
        top = found[order][:limit]
        return Ranked(top, scores[order][:limit], total, mask)

    def evaluate(self, q: wq.Query, optional: bool = False,
                 within: np.ndarray | None = None) -> Node:
        """Dense masks and scores for every document. A phrase that only adds to a score
        (`optional`, under AndMaybe) is left out here and added by `Phrases.rerank` for the best
        documents; a required phrase is checked here for every candidate in `within`.

        `within` (a mask, None for all): the documents whose outcome can still matter, because
        an enclosing AND already excludes the rest; outside it the node's mask and scores are
        left incomplete. An AND evaluates its phrase-free parts first and checks phrases only
        where those matched: a phrase of two common words costs its positions in thousands of
        documents otherwise."""
        n = self.n
        if isinstance(q, wq.Term):
            ids, sc = self.bm25.term(q.fieldname, q.text, q.boost)
            return self.phrases.sparse(ids, sc)
        if isinstance(q, wq.Or):
            mask = np.zeros(n, dtype=bool)
            score = np.zeros(n)
            for child in q.subqueries:
                if isinstance(child, wq.Term):
                    ids, sc = self.bm25.term(child.fieldname, child.text, child.boost)
                    mask[ids] = True
                    score[ids] += sc
                else:
                    sub = self.evaluate(child, optional, within)
                    mask |= sub.mask
                    score += np.where(sub.mask, sub.score, 0.0)
            return Node(mask, score * q.boost if q.boost != 1.0 else score)
        if isinstance(q, wq.And):
            mask = np.ones(n, dtype=bool) if within is None else within.copy()
            score = np.zeros(n)
            for child in sorted(q.subqueries, key=lambda c: needs_positions(c, optional)):
                sub = self.evaluate(child, optional, mask)
                mask &= sub.mask
                score += sub.score
            return Node(mask, score * q.boost if q.boost != 1.0 else score)
        if isinstance(q, wq.AndMaybe):
            a = self.evaluate(q.a, optional, within)
            b = self.evaluate(q.b, True, a.mask)
            return Node(a.mask, a.score + np.where(a.mask & b.mask, b.score, 0.0))
        if isinstance(q, wq.AndNot):
            a = self.evaluate(q.a, optional, within)
            b = self.evaluate(q.b, within=a.mask)
            return Node(a.mask & ~b.mask, a.score)
        if isinstance(q, wq.Not):
            sub = self.evaluate(q.query, within=within)
            # Whoosh scores a NOT match with its weight, 1 (times the boost): so do we.
            return Node(~sub.mask, np.where(sub.mask, 0.0, q.boost))
        if isinstance(q, wq.Phrase):
            if optional:
                return self.phrases.empty()
            if within is None:
                return self.phrases.phrase(q)
            docs = self.phrases.candidates(q)
            return self.phrases.phrase(q, among=docs[within[docs]] if len(docs) else docs)
        if isinstance(q, (wq.Prefix, wq.Wildcard, wq.FuzzyTerm, wq.Regex)):
            terms = [wq.Term(q.fieldname, t, boost=q.boost) for t in expand(self.reader, q)]
            return self.evaluate(wq.Or(terms) if terms else wq.NullQuery, optional, within)
        if isinstance(q, wq.DateRange) and q.fieldname == "date":
            return self._date_range(q)
        if isinstance(q, wq.Every):
            return Node(np.ones(n, dtype=bool), np.zeros(n))
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return Node(np.zeros(n, dtype=bool), np.zeros(n))
        return self._whoosh(q)

    def _date_range(self, q: wq.DateRange) -> Node:
        from whoosh.util.times import datetime_to_long

        keys = self.data.column("date")
        mask = keys > 0
        if q.startdate is not None:
            mask &= keys >= datetime_to_long(q.startdate)
        if q.enddate is not None:
            mask &= keys <= datetime_to_long(q.enddate)
        return Node(mask, np.zeros(self.n))

    def _whoosh(self, q: wq.Query) -> Node:
        """Anything else (rare syntax): Whoosh's own matcher, one posting at a time."""
        mask = np.zeros(self.n, dtype=bool)
        score = np.zeros(self.n)
        try:
            m = q.matcher(self.data.searcher)
        except Exception:
            return Node(mask, score)
        while m.is_active():
            d = m.id()
            mask[d] = True
            score[d] = m.score()
            m.next()
        return Node(mask, score)

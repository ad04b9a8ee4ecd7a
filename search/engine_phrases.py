"""What the engine needs positions for: phrases, the proximity of a query's words, and marks.

Unlike terms, these are not evaluated for every document at once: positions are read only for
the documents that can still matter (those holding every word of a phrase and, when the phrase
is an optional boost, only those that can still reach the top results). A phrase matches where
Whoosh's phrase matcher does and scores BM25 of how often it occurs, its idf the sum of its
words' (Whoosh's span matcher would sum its words' own scores instead).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

import numpy as np
from whoosh import query as wq

from index.lru import LRU
from search import matching
from search.engine_data import IndexData
from search.engine_scoring import BM25, Node
from search.query import RangePhrase
from search.query_text import RANGE_BETWEEN

__all__ = ["PHRASE_MEMO", "PHRASE_RERANK", "Phrases", "needs_positions", "optional_phrases"]

PHRASE_RERANK = 100
"""An optional phrase boost is computed for this many of the best documents, not for all."""
PHRASE_MEMO = 500_000
"""(phrase, document) counts remembered: a query typed word by word asks for the same phrases
in mostly the same documents at every key, and its reading with aliases asks again."""
RANGED = -1
"""The `slop` under which `Phrases.counts` counts a `RangePhrase`."""
POSITION_STRIDE = 1 << 32
"""Document slot times this plus a position: one sorted key per occurrence (see `_count`)."""


class Phrases:
    """Phrase matches and boosts, proximity and marks over one `IndexData`."""

    def __init__(self, data: IndexData, bm25: BM25) -> None:
        self.data = data
        self.bm25 = bm25
        self.prune = True
        """Count optional phrases only where they can change the top results (tests turn it
        off to compare)."""
        self._memo: LRU[tuple[str, tuple[str, ...], int], dict[int, int]] = LRU(PHRASE_MEMO)

    def empty(self) -> Node:
        return Node(np.zeros(self.data.n, dtype=bool), np.zeros(self.data.n))

    def sparse(self, ids: np.ndarray, scores: np.ndarray) -> Node:
        node = self.empty()
        node.mask[ids] = True
        node.score[ids] = scores
        return node

    def candidates(self, q: wq.Phrase) -> np.ndarray:
        """The documents holding every word of the phrase `q` (ascending)."""
        docs: np.ndarray | None = None
        for word in q.words:
            ids = self.data.postings(q.fieldname, word)[0]
            docs = ids if docs is None else np.intersect1d(docs, ids, assume_unique=True)
            if not len(docs):
                break
        return docs if docs is not None else np.empty(0, dtype=np.int64)

    def phrase(self, q: wq.Phrase, *, among: np.ndarray | None = None) -> Node:
        """Documents where the words of `q` occur in order (within `slop`), scored by BM25 of
        the phrase count. `among` limits the documents checked (a boost needs only the best)."""
        docs = self.candidates(q) if among is None else among
        docs = docs[self.data.live[docs]] if len(docs) else docs
        if not len(q.words) or not len(docs):
            return self.empty()
        slop = RANGED if isinstance(q, RangePhrase) else max(1, q.slop)
        counts = self.counts(q.fieldname, list(q.words), docs, slop)
        hit = counts > 0
        docs, counts = docs[hit], counts[hit].astype(np.float64)
        if not len(docs):
            return self.sparse(docs, counts)
        scores = q.boost * self.bm25.score(q.fieldname, self.idf(q), counts, docs)
        return self.sparse(docs, scores)

    def counts(self, field: str, words: list[str], docs: np.ndarray, slop: int) -> np.ndarray:
        """How often the words occur in order within `slop` in each of `docs` (ascending),
        remembered per document (see `PHRASE_MEMO`); with `slop` `RANGED`, the two numbers of
        a range as a range (see `ranges`)."""
        key = (field, tuple(words), slop)
        memo = self._memo.get(key)
        new = memo is None
        if memo is None:
            memo = {}
        wanted = docs.tolist()
        todo = [d for d in wanted if d not in memo]
        if todo:
            count = self.ranges if slop == RANGED else self._count
            counts = count(field, words, np.array(todo, dtype=np.int64), slop)
            memo.update(zip(todo, counts.tolist(), strict=True))
        if new or todo:
            self._memo.put(key, memo, cost=len(memo))
        return np.array([memo[d] for d in wanted], dtype=np.int64)

    def _count(self, field: str, words: list[str], docs: np.ndarray, slop: int) -> np.ndarray:
        """`counts` without the memo, as array operations: every occurrence is one key
        (document slot, position); from each occurrence of the first word, each next word is
        the nearest occurrence at most `slop` positions further on, as Whoosh's phrase matcher
        steps."""
        starts: np.ndarray | None = None
        for word in words:
            per_doc = self.data.positions(field, word, docs)
            lengths = [len(p) for p in per_doc]
            flat = np.fromiter(chain.from_iterable(per_doc), dtype=np.int64, count=sum(lengths))
            keys = np.repeat(np.arange(len(docs), dtype=np.int64) * POSITION_STRIDE, lengths)
            keys += flat
            if starts is None:
                starts = at = keys
                continue
            nearest = np.searchsorted(keys, at, side="right")
            ok = nearest < len(keys)
            ok[ok] = keys[nearest[ok]] <= at[ok] + slop
            starts, at = starts[ok], keys[nearest[ok]]
            if not len(starts):
                break
        if starts is None or not len(starts):
            return np.zeros(len(docs), dtype=np.int64)
        return np.bincount(starts // POSITION_STRIDE, minlength=len(docs)).astype(np.int64)

    def ranges(self, field: str, words: list[str], docs: np.ndarray, _slop: int = RANGED
               ) -> np.ndarray:
        """How often the two numbers `words` of a range (6 and 8일) stand next to each other
        in each of `docs` (ascending) with a range sign between them (`RANGE_BETWEEN`, spaces
        aside), read in the stored text: the bare 6 is indexed inside 6월 too, at its place,
        so positions alone take 6월 8일 for 6~8일. Texts are read only where the positions
        fit."""
        first, last = words
        out = np.zeros(len(docs), dtype=np.int64)
        starts = self.data.decoded(field, last, docs, "characters")
        for i, ends in enumerate(self.data.decoded(field, first, docs, "characters")):
            after = {pos: start for pos, start, _ in starts[i]}
            pairs = [(end, after[pos + 1]) for pos, _, end in ends if pos + 1 in after]
            if pairs:
                text = self.data.reader.stored_fields(int(docs[i])).get(field) or ""
                out[i] = sum(text[end:start].strip() in RANGE_BETWEEN for end, start in pairs)
        return out

    def rerank(self, q: wq.Query, node: Node, mask: np.ndarray, limit: int | None = None) -> None:
        """Add the optional phrase boosts (`AndMaybe(words, phrase...)`) for the best matches.

        With `limit` (ranking by score), only as many documents as can still reach the top
        `limit` are counted: a phrase occurs in a document at most as often as its first word
        (its rarest word when the words must be adjacent), which bounds its boost from the
        postings' frequencies alone. Documents are taken best bound first, and counting stops
        when the next one's score plus bound falls below the `limit`-th score known so far; the
        top `limit` are then exactly what counting every document would give."""
        boosts = list(optional_phrases(q))
        if not boosts:
            return
        found = np.flatnonzero(mask)
        if len(found) > PHRASE_RERANK:
            part = np.argpartition(-node.score[found], PHRASE_RERANK - 1)[:PHRASE_RERANK]
            found = np.sort(found[part])
        pending = [(phrase, among) for phrase in boosts
                   if len(among := np.intersect1d(found, self.candidates(phrase),
                                                  assume_unique=True))]
        if not pending:
            return
        if not self.prune or limit is None or limit >= len(found):
            for phrase, among in pending:
                node.score += self.phrase(phrase, among=among).score
            return
        bound = np.zeros(self.data.n)
        for phrase, among in pending:
            bound[among] += self.bound(phrase, among)
        order = found[np.argsort(-(node.score[found] + bound[found]), kind="stable")]
        order = order[bound[order] > 0]
        step = max(limit, 8)
        counted = 0
        while counted < len(order):
            nth = np.partition(node.score[found], len(found) - limit)[len(found) - limit]
            if node.score[order[counted]] + bound[order[counted]] < nth:
                break
            chunk = np.sort(order[counted:counted + step])
            for phrase, among in pending:
                docs = np.intersect1d(chunk, among, assume_unique=True)
                if len(docs):
                    node.score += self.phrase(phrase, among=docs).score
            counted += len(chunk)

    def bound(self, q: wq.Phrase, docs: np.ndarray) -> np.ndarray:
        """The most the phrase `q` can add to each of `docs` (which hold all its words)."""
        words = list(q.words) if max(1, q.slop) == 1 else list(q.words[:1])
        least: np.ndarray | None = None
        for word in words:
            ids, tfs = self.data.postings(q.fieldname, word)
            tf = tfs[np.searchsorted(ids, docs)].astype(np.float64)
            least = tf if least is None else np.minimum(least, tf)
        assert least is not None
        return q.boost * self.bm25.score(q.fieldname, self.idf(q), least, docs)

    def idf(self, q: wq.Phrase) -> float:
        """A phrase's idf: the sum of its distinct words' (as Whoosh's phrase scorer)."""
        return sum(self.bm25.idf(q.fieldname, w) for w in set(q.words))

    def proximity(self, field: str, terms: list[tuple[str, float]], docs: np.ndarray,
                  width: int) -> np.ndarray:
        """For each of `docs` (ascending), the largest total weight of distinct `terms`
        (term, weight) found together within `width` consecutive positions of `field`: a
        document that says the query's words in one sentence answers it better than one that
        scatters them over pages."""
        events: list[list[tuple[int, int]]] = [[] for _ in range(len(docs))]
        for k, (term, _weight) in enumerate(terms):
            for i, positions in enumerate(self.data.positions(field, term, docs)):
                events[i].extend((p, k) for p in positions)
        weights = [w for _, w in terms]
        best = np.zeros(len(docs))
        for i, seq in enumerate(events):
            if not seq:
                continue
            seq.sort()
            counts = [0] * len(terms)
            total = top = 0.0
            j = 0
            for pos, k in seq:
                if not counts[k]:
                    total += weights[k]
                counts[k] += 1
                while seq[j][0] <= pos - width:
                    gone = seq[j][1]
                    counts[gone] -= 1
                    if not counts[gone]:
                        total -= weights[gone]
                    j += 1
                top = max(top, total)
            best[i] = top
        return best

    def marks(self, field: str, terms: Iterable[str], docnums: Iterable[int]
              ) -> dict[int, list[matching.Mark]]:
        """For each document, the (start, end, term) of every occurrence of `terms` in `field`,
        from the character offsets stored in the postings (see `search.matching`)."""
        return matching.find_marks(self.data.reader, field, terms, docnums,
                                   lambda term, docs: self.data.characters(field, term, docs))


def optional_phrases(q: wq.Query) -> Iterable[wq.Phrase]:
    """Phrases that only add to a score (under AndMaybe's optional side), anywhere in `q`.
    The engine's evaluation leaves them out of scores; `Phrases.rerank` adds them for the best
    documents."""
    if isinstance(q, wq.AndMaybe):
        yield from optional_phrases(q.a)
        yield from _phrases_in(q.b)
        return
    if isinstance(q, (wq.AndNot,)):
        yield from optional_phrases(q.a)
        return
    if isinstance(q, wq.Not):
        return
    for child in q.children():
        yield from optional_phrases(child)


def needs_positions(q: wq.Query, optional: bool) -> bool:
    """Whether evaluating `q` reads positions (a required phrase somewhere in it)."""
    if isinstance(q, wq.Phrase):
        return not optional
    if isinstance(q, wq.AndMaybe):
        return needs_positions(q.a, optional)
    return any(needs_positions(child, optional) for child in q.children())


def _phrases_in(q: wq.Query) -> Iterable[wq.Phrase]:
    if isinstance(q, wq.Phrase):
        yield q
    elif not isinstance(q, (wq.Not, wq.AndNot)):
        for child in q.children():
            yield from _phrases_in(child)

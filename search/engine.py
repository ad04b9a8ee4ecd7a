"""Query evaluation over postings held as numpy arrays.

Whoosh walks a query's matcher tree one posting at a time in Python: a pasted paragraph (an OR of
~100 terms) over 12,000 court decisions took seconds. This module reads each term's postings once
from the index (document numbers and term frequencies, cached) and evaluates the same query trees
with array operations: BM25 for every document of a term at once, AND/OR/NOT as boolean masks.
Scores are Whoosh's (BM25F with `search.scoring.KoBM25`'s idf, boosts multiplied, AND/OR summed),
so the engine ranks exactly as the Whoosh searcher it replaces; the tests check it.

Phrases are the exception to "all at once": they need positions, which are read only for the
documents that can still matter (those holding every word of the phrase, and when the phrase is an
optional boost, only the best-scoring `PHRASE_RERANK` of those).
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from index.postings import SegmentPostings, sidecar_path
from index.postings import leaf_matcher as _leaf
from index.postings import read_all as _read_all
from index.segments import numeric_column as _numeric_column
from search.highlight import _expand
from search.query import Weights

__all__ = ["Engine", "Ranked"]

CACHE_POSTINGS = 60_000_000
"""Postings kept in memory (8 bytes each: int32 document, float32 frequency, so ~480 MB at
most): the terms a session uses again cost nothing to read."""
CACHE_BLOCK_BYTES = 64 << 20
"""Compressed size of the posting blocks (with positions and offsets) kept decoded: typing a
query word by word reads the same blocks again."""
PHRASE_RERANK = 100
"""An optional phrase boost is computed for this many of the best documents, not for all."""
CACHE_DIRECTORIES = 50_000
"""Terms whose block directory (see `Engine._directory`) is kept."""
PHRASE_MEMO = 500_000
"""(phrase, document) counts remembered: a query typed word by word asks for the same phrases
in mostly the same documents at every key, and its reading with aliases asks again."""
POSITION_STRIDE = 1 << 32
"""Document slot times this plus a position: one sorted key per occurrence (see `_count`)."""
MAX_EXPANSION = 512
"""A prefix or wildcard stands for at most this many of the index's terms (the most frequent)."""
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


@dataclass
class _Node:
    mask: np.ndarray
    score: np.ndarray


class Engine:
    """Evaluates Whoosh queries over one reader generation of an index. Not thread-safe by itself:
    the `Index` that owns it serialises searches."""

    def __init__(self, searcher: Searcher, weights: Weights, folder: Path | None = None) -> None:
        """`folder`: the index's folder, where the segments' posting files (see
        `index.postings`) are looked for."""
        self.searcher = searcher
        self.reader = searcher.reader()
        self.weights = weights
        self.leaves: list[tuple[Any, int]] = list(self.reader.leaf_readers())
        self.n = int(self.reader.doc_count_all())
        self.live = np.ones(self.n, dtype=bool)
        for leaf, offset in self.leaves:
            if leaf.has_deletions():
                for d in getattr(leaf, "_perdoc", leaf).deleted_docs():
                    self.live[offset + d] = False
        self._lengths: dict[str, np.ndarray] = {}
        self._avg: dict[str, float] = {}
        self._postings: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._cached = 0
        self._columns: dict[str, Any] = {}
        self._blocks: OrderedDict[tuple[Any, ...], tuple[np.ndarray, Any, int]] = OrderedDict()
        self._block_bytes = 0
        self._bm25_params: tuple[float, float] | None = None
        self._phrase_memo: OrderedDict[tuple[str, tuple[str, ...], int], dict[int, int]] = (
            OrderedDict())
        self._phrase_memo_size = 0
        self._directories: OrderedDict[tuple[Any, ...], tuple[np.ndarray, list[int]]] = (
            OrderedDict())
        self.prune_phrases = True
        """Count optional phrases only where they can change the top results (tests turn it
        off to compare)."""
        self._lock = threading.Lock()
        self.sidecars: list[SegmentPostings | None] = [
            _open_sidecar(folder, leaf) if folder is not None else None
            for leaf, _offset in self.leaves]

    # -- index data -------------------------------------------------------------------------

    def lengths(self, field: str) -> np.ndarray:
        """Each document's length in `field` as Whoosh stores it (quantised to a byte)."""
        got = self._lengths.get(field)
        if got is None:
            table = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
            got = np.zeros(self.n, dtype=np.float64)
            for leaf, offset in self.leaves:
                column = getattr(leaf, "_perdoc", leaf)._cached_reader(_lenfield(field), LENGTHS_COLUMN)
                if column is not None:
                    codes = _numeric_column(column, leaf.doc_count_all()).astype(np.intp)
                    got[offset: offset + len(codes)] = table[codes]
            self._lengths[field] = got
            total = self.reader.field_length(field)
            self._avg[field] = (total / self.n) if self.n and total else 1.0
        return got

    def postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Document numbers (ascending) and frequencies of `text` in `field`, deleted included."""
        key = (field, text)
        got = self._postings.get(key)
        if got is not None:
            self._postings.move_to_end(key)
            return got
        ids_parts: list[np.ndarray] = []
        tf_parts: list[np.ndarray] = []
        for (leaf, offset), sidecar in zip(self.leaves, self.sidecars, strict=True):
            found = sidecar.get(field, text) if sidecar is not None else None
            if found is None:
                try:
                    m = leaf.postings(field, text)
                except Exception:  # TermNotFound, or a field without postings
                    continue
                found = _read_all(m)
            ids, tfs = found
            if len(ids):
                ids_parts.append(ids + offset if offset else ids)
                tf_parts.append(tfs)
        if len(ids_parts) == 1:
            got = (ids_parts[0], tf_parts[0])
        elif ids_parts:
            got = (np.concatenate(ids_parts), np.concatenate(tf_parts))
        else:
            got = (np.empty(0, dtype=np.int32), np.empty(0, dtype=np.float32))
        self._postings[key] = got
        self._cached += len(got[0])
        while self._cached > CACHE_POSTINGS and len(self._postings) > 1:
            _, old = self._postings.popitem(last=False)
            self._cached -= len(old[0])
        return got

    @property
    def cached(self) -> int:
        """Postings held in memory."""
        return self._cached

    def scan_terms(self, field: str) -> Iterator[tuple[str, int]]:
        """(term, document frequency) of every term of `field`, lazily (see `Index.prefetch`)."""
        self.lengths(field)
        try:
            for btext, info in self.reader.iter_field(field):
                text = btext.decode("utf-8") if isinstance(btext, bytes) else btext
                yield text, info.doc_frequency()
        except Exception:  # a field this index does not have
            return

    def column(self, name: str) -> Any:
        """A whole column (source names as codes, or date sort keys) as arrays, read once."""
        got = self._columns.get(name)
        if got is not None:
            return got
        if name == "date":
            got = np.zeros(self.n, dtype=np.int64)
            for leaf, offset in self.leaves:
                if leaf.has_column(name):
                    keys = _numeric_column(leaf.column_reader(name, translate=False),
                                           leaf.doc_count_all())
                    got[offset: offset + len(keys)] = keys
        else:
            values = list(self.reader.column_reader(name)) if self.n else []
            labels: dict[Any, int] = {}
            codes = np.array([labels.setdefault(v or "", len(labels)) for v in values],
                             dtype=np.int32)
            got = (codes, list(labels))
        self._columns[name] = got
        return got

    # -- scoring ------------------------------------------------------------------------------

    def idf(self, field: str, text: str) -> float:
        df = self.reader.doc_frequency(field, text)
        return math.log(1.0 + (self.n - df + 0.5) / (df + 0.5))

    def _scorable(self, field: str) -> bool:
        schema = self.searcher.schema
        return field in schema and bool(schema[field].scorable)

    def _bm25(self, field: str, idf: float, tf: np.ndarray, docs: np.ndarray) -> np.ndarray:
        w = self.weights
        k1, b = self._bm25_params or (w.k1, w.b)
        if field == "title":
            b = w.title_b
        tf = tf.astype(np.float64)
        fl = self.lengths(field)[docs]
        avg = self._avg.get(field) or 1.0
        return idf * (tf * (k1 + 1.0)) / (tf + k1 * ((1.0 - b) + b * fl / avg))

    def term(self, field: str, text: str, boost: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        """The documents holding `text` in `field` and their scores."""
        ids, tfs = self.postings(field, text)
        if not self._scorable(field):  # an ID field: Whoosh scores its weight, as here
            return ids, boost * tfs
        if not len(ids):
            return ids, tfs
        return ids, boost * self._bm25(field, self.idf(field, text), tfs, ids)

    # -- evaluation ---------------------------------------------------------------------------

    def run(self, q: wq.Query, *, allowed: np.ndarray | None, limit: int,
            sort_key: np.ndarray | None = None, bm25: tuple[float, float] | None = None
            ) -> Ranked:
        """Evaluate `q`; keep documents in `allowed` (a mask, or None for all); return the top
        `limit` by score, or by `sort_key` (descending, ties by score) when given. `bm25`:
        (k1, b) for this query instead of the weights' (titles keep their own b)."""
        self._bm25_params = bm25
        try:
            return self._run(q, allowed, limit, sort_key)
        finally:
            self._bm25_params = None

    def _run(self, q: wq.Query, allowed: np.ndarray | None, limit: int,
             sort_key: np.ndarray | None) -> Ranked:
        node = self.evaluate(q)
        mask = node.mask & self.live
        if allowed is not None:
            mask &= allowed
        self._rerank_phrases(q, node, mask, limit if sort_key is None else None)
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
                 within: np.ndarray | None = None) -> _Node:
        """Dense masks and scores for every document. A phrase that only adds to a score
        (`optional`, under AndMaybe) is left out here and added by `_rerank_phrases` for the best
        documents; a required phrase is checked here for every candidate in `within`.

        `within` (a mask, None for all): the documents whose outcome can still matter, because
        an enclosing AND already excludes the rest; outside it the node's mask and scores are
        left incomplete. An AND evaluates its phrase-free parts first and checks phrases only
        where those matched: a phrase of two common words costs its positions in thousands of
        documents otherwise."""
        n = self.n
        if isinstance(q, wq.Term):
            ids, sc = self.term(q.fieldname, q.text, q.boost)
            return self._sparse(ids, sc)
        if isinstance(q, wq.Or):
            mask = np.zeros(n, dtype=bool)
            score = np.zeros(n)
            for child in q.subqueries:
                if isinstance(child, wq.Term):
                    ids, sc = self.term(child.fieldname, child.text, child.boost)
                    mask[ids] = True
                    score[ids] += sc
                else:
                    sub = self.evaluate(child, optional, within)
                    mask |= sub.mask
                    score += np.where(sub.mask, sub.score, 0.0)
            return _Node(mask, score * q.boost if q.boost != 1.0 else score)
        if isinstance(q, wq.And):
            mask = np.ones(n, dtype=bool) if within is None else within.copy()
            score = np.zeros(n)
            for child in sorted(q.subqueries, key=lambda c: _needs_positions(c, optional)):
                sub = self.evaluate(child, optional, mask)
                mask &= sub.mask
                score += sub.score
            return _Node(mask, score * q.boost if q.boost != 1.0 else score)
        if isinstance(q, wq.AndMaybe):
            a = self.evaluate(q.a, optional, within)
            b = self.evaluate(q.b, True, a.mask)
            return _Node(a.mask, a.score + np.where(a.mask & b.mask, b.score, 0.0))
        if isinstance(q, wq.AndNot):
            a = self.evaluate(q.a, optional, within)
            b = self.evaluate(q.b, within=a.mask)
            return _Node(a.mask & ~b.mask, a.score)
        if isinstance(q, wq.Not):
            sub = self.evaluate(q.query, within=within)
            # Whoosh scores a NOT match with its weight, 1 (times the boost): so do we.
            return _Node(~sub.mask, np.where(sub.mask, 0.0, q.boost))
        if isinstance(q, wq.Phrase):
            if optional:
                return _Node(np.zeros(n, dtype=bool), np.zeros(n))
            if within is None:
                return self._phrase(q)
            docs = self._candidates(q)
            return self._phrase(q, among=docs[within[docs]] if len(docs) else docs)
        if isinstance(q, (wq.Prefix, wq.Wildcard, wq.FuzzyTerm, wq.Regex)):
            return self.evaluate(self._expand(q), optional, within)
        if isinstance(q, wq.DateRange) and q.fieldname == "date":
            return self._date_range(q)
        if isinstance(q, wq.Every):
            return _Node(np.ones(n, dtype=bool), np.zeros(n))
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return _Node(np.zeros(n, dtype=bool), np.zeros(n))
        return self._whoosh(q)

    def _sparse(self, ids: np.ndarray, scores: np.ndarray) -> _Node:
        mask = np.zeros(self.n, dtype=bool)
        score = np.zeros(self.n)
        mask[ids] = True
        score[ids] = scores
        return _Node(mask, score)

    def _expand(self, q: wq.Query) -> wq.Query:
        """A prefix or wildcard as an OR of the index's terms it stands for."""
        field = q.fieldname
        try:
            texts = list(q._btexts(self.reader))
        except Exception:
            return wq.NullQuery
        if len(texts) > MAX_EXPANSION:
            texts.sort(key=lambda t: -self.reader.doc_frequency(field, t))
            texts = texts[:MAX_EXPANSION]
        terms = [wq.Term(field, t.decode("utf-8") if isinstance(t, bytes) else t, boost=q.boost)
                 for t in texts]
        return wq.Or(terms) if terms else wq.NullQuery

    def _date_range(self, q: wq.DateRange) -> _Node:
        from whoosh.util.times import datetime_to_long

        keys = self.column("date")
        mask = keys > 0
        if q.startdate is not None:
            mask &= keys >= datetime_to_long(q.startdate)
        if q.enddate is not None:
            mask &= keys <= datetime_to_long(q.enddate)
        return _Node(mask, np.zeros(self.n))

    def _whoosh(self, q: wq.Query) -> _Node:
        """Anything else (rare syntax): Whoosh's own matcher, one posting at a time."""
        mask = np.zeros(self.n, dtype=bool)
        score = np.zeros(self.n)
        try:
            m = q.matcher(self.searcher)
        except Exception:
            return _Node(mask, score)
        while m.is_active():
            d = m.id()
            mask[d] = True
            score[d] = m.score()
            m.next()
        return _Node(mask, score)

    # -- phrases ------------------------------------------------------------------------------

    def _candidates(self, q: wq.Phrase) -> np.ndarray:
        docs: np.ndarray | None = None
        for word in q.words:
            ids = self.postings(q.fieldname, word)[0]
            docs = ids if docs is None else np.intersect1d(docs, ids, assume_unique=True)
            if not len(docs):
                break
        return docs if docs is not None else np.empty(0, dtype=np.int64)

    def _phrase(self, q: wq.Phrase, *, among: np.ndarray | None = None) -> _Node:
        """Documents where the words of `q` occur in order (within `slop`), scored by BM25 of
        the phrase count. `among` limits the documents checked (a boost needs only the best)."""
        docs = self._candidates(q) if among is None else among
        docs = docs[self.live[docs]] if len(docs) else docs
        if not len(q.words) or not len(docs):
            return _Node(np.zeros(self.n, dtype=bool), np.zeros(self.n))
        counts = self._phrase_counts(q.fieldname, list(q.words), docs, max(1, q.slop))
        hit = counts > 0
        docs, counts = docs[hit], counts[hit].astype(np.float64)
        if not len(docs):
            return self._sparse(docs, counts)
        scores = q.boost * self._bm25(q.fieldname, self._phrase_idf(q), counts, docs)
        return self._sparse(docs, scores)

    def _phrase_counts(self, field: str, words: list[str], docs: np.ndarray, slop: int
                       ) -> np.ndarray:
        """How often the words occur in order within `slop` in each of `docs` (ascending),
        remembered per document (see `PHRASE_MEMO`)."""
        key = (field, tuple(words), slop)
        memo = self._phrase_memo.get(key)
        if memo is None:
            memo = self._phrase_memo[key] = {}
        else:
            self._phrase_memo.move_to_end(key)
        wanted = docs.tolist()
        todo = [d for d in wanted if d not in memo]
        if todo:
            counts = self._count(field, words, np.array(todo, dtype=np.int64), slop)
            memo.update(zip(todo, counts.tolist(), strict=True))
            self._phrase_memo_size += len(todo)
            while self._phrase_memo_size > PHRASE_MEMO and len(self._phrase_memo) > 1:
                _, old = self._phrase_memo.popitem(last=False)
                self._phrase_memo_size -= len(old)
        return np.array([memo[d] for d in wanted], dtype=np.int64)

    def _count(self, field: str, words: list[str], docs: np.ndarray, slop: int) -> np.ndarray:
        """`_phrase_counts` without the memo, as array operations: every occurrence is one key
        (document slot, position); from each occurrence of the first word, each next word is
        the nearest occurrence at most `slop` positions further on, as Whoosh's phrase matcher
        steps."""
        starts: np.ndarray | None = None
        for word in words:
            per_doc = self._positions(field, word, docs)
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

    def _positions(self, field: str, text: str, docs: np.ndarray) -> list[list[int]]:
        """Positions of `text` in each of `docs` (ascending document numbers)."""
        return self._decoded(field, text, docs, "positions")

    def _decoded(self, field: str, text: str, docs: np.ndarray, kind: str) -> list[Any]:
        """The posting values of `text` in each of `docs` decoded as `kind` ("positions" or
        "characters"; [] where the document lacks the term)."""
        out: list[Any] = [[] for _ in range(len(docs))]
        for k, (leaf, offset) in enumerate(self.leaves):
            lo = int(np.searchsorted(docs, offset))
            hi = int(np.searchsorted(docs, offset + leaf.doc_count_all()))
            if lo == hi:
                continue
            try:
                m = leaf.postings(field, text)
            except Exception:
                continue
            m = _leaf(m)
            decode = self.searcher.schema[field].format.decoder(kind)
            # Keyed by the leaf's place: this engine's leaves never change (a refresh makes a new engine).
            for i, value in self._values(m, (k, field, text), docs[lo:hi] - offset):
                out[lo + i] = decode(value)
        return out

    def _values(self, m: Any, key: tuple[Any, ...], docs: np.ndarray
                ) -> Iterable[tuple[int, bytes]]:
        """(i, raw value) for each of `docs` (local, ascending) that holds the term, reading
        only the blocks that hold one of them, through a cache of recently read blocks."""
        if not all(hasattr(m, a) for a in ("_read_ids", "_goto", "_baseoffset", "_lastblock")):
            # another kind of matcher
            for i, d in enumerate(docs.tolist()):
                m.skip_to(d)
                if m.is_active() and m.id() == d:
                    yield i, m.value()
            return
        maxids, offsets = self._directory(m, key)
        i = 0
        total = len(docs)
        while i < total:
            b = int(np.searchsorted(maxids, docs[i]))  # the first block that can hold it
            if b == len(maxids):
                break
            block_key = (*key, offsets[b])
            cached = self._blocks.get(block_key)
            if cached is None:
                m._goto(offsets[b])
                m._read_ids()
                m._read_values()
                cached = (np.asarray(m._ids, dtype=np.int64), m._values,
                          m._nextoffset - m._dataoffset)
                self._blocks[block_key] = cached
                self._block_bytes += cached[2]
                while self._block_bytes > CACHE_BLOCK_BYTES and len(self._blocks) > 1:
                    _, old = self._blocks.popitem(last=False)
                    self._block_bytes -= old[2]
            else:
                self._blocks.move_to_end(block_key)
            block, values, _size = cached
            end = int(np.searchsorted(docs, block[-1], side="right"))
            at = np.searchsorted(block, docs[i:end])
            ok = (at < len(block)) & (block[np.minimum(at, len(block) - 1)] == docs[i:end])
            for j in np.flatnonzero(ok).tolist():
                yield i + j, values[int(at[j])]
            i = max(end, i + 1)

    def _directory(self, m: Any, key: tuple[Any, ...]) -> tuple[np.ndarray, list[int]]:
        """The last document number and file offset of each posting block of a term, read
        once by walking the block headers (Whoosh links blocks one after another, without a
        table): later reads of the term go straight to the blocks they need."""
        got = self._directories.get(key)
        if got is not None:
            self._directories.move_to_end(key)
            return got
        maxids: list[int] = []
        offsets: list[int] = []
        at = m._baseoffset
        while True:
            m._goto(at)
            maxids.append(m._maxid)
            offsets.append(at)
            if m._lastblock:
                break
            at = m._nextoffset
        got = (np.array(maxids, dtype=np.int64), offsets)
        self._directories[key] = got
        if len(self._directories) > CACHE_DIRECTORIES:
            self._directories.popitem(last=False)
        return got

    def proximity(self, field: str, terms: list[tuple[str, float]], docs: np.ndarray,
                  width: int) -> np.ndarray:
        """For each of `docs` (ascending), the largest total weight of distinct `terms`
        (term, weight) found together within `width` consecutive positions of `field`: a
        document that says the query's words in one sentence answers it better than one that
        scatters them over pages."""
        events: list[list[tuple[int, int]]] = [[] for _ in range(len(docs))]
        for k, (term, _weight) in enumerate(terms):
            for i, positions in enumerate(self._decoded(field, term, docs, "positions")):
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
              ) -> dict[int, list[tuple[int, int, str]]]:
        """For each document, the (start, end, term) of every occurrence of `terms` in `field`,
        from the character offsets stored in the postings (as `highlight.find_marks`)."""
        found: dict[int, list[tuple[int, int, str]]] = {}
        docs = np.array(sorted(set(docnums)), dtype=np.int64)
        if not len(docs):
            return found
        for pattern in terms:
            for term in _expand(self.searcher, field, pattern):
                chars = self._decoded(field, term, docs, "characters")
                for d, occurrences in zip(docs.tolist(), chars, strict=True):
                    if occurrences:
                        found.setdefault(d, []).extend((a, b, term) for _p, a, b in occurrences)
        for marks in found.values():
            marks.sort()
        return found

    def _rerank_phrases(self, q: wq.Query, node: _Node, mask: np.ndarray,
                        limit: int | None = None) -> None:
        """Add the optional phrase boosts (`AndMaybe(words, phrase...)`) for the best matches.

        With `limit` (ranking by score), only as many documents as can still reach the top
        `limit` are counted: a phrase occurs in a document at most as often as its first word
        (its rarest word when the words must be adjacent), which bounds its boost from the
        postings' frequencies alone. Documents are taken best bound first, and counting stops
        when the next one's score plus bound falls below the `limit`-th score known so far; the
        top `limit` are then exactly what counting every document would give."""
        boosts = list(_optional_phrases(q))
        if not boosts:
            return
        found = np.flatnonzero(mask)
        if len(found) > PHRASE_RERANK:
            part = np.argpartition(-node.score[found], PHRASE_RERANK - 1)[:PHRASE_RERANK]
            found = np.sort(found[part])
        pending = [(phrase, among) for phrase in boosts
                   if len(among := np.intersect1d(found, self._candidates(phrase),
                                                  assume_unique=True))]
        if not pending:
            return
        if not self.prune_phrases or limit is None or limit >= len(found):
            for phrase, among in pending:
                node.score += self._phrase(phrase, among=among).score
            return
        bound = np.zeros(self.n)
        for phrase, among in pending:
            bound[among] += self._phrase_bound(phrase, among)
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
                    node.score += self._phrase(phrase, among=docs).score
            counted += len(chunk)

    def _phrase_bound(self, q: wq.Phrase, docs: np.ndarray) -> np.ndarray:
        """The most the phrase `q` can add to each of `docs` (which hold all its words)."""
        words = list(q.words) if max(1, q.slop) == 1 else list(q.words[:1])
        least: np.ndarray | None = None
        for word in words:
            ids, tfs = self.postings(q.fieldname, word)
            tf = tfs[np.searchsorted(ids, docs)].astype(np.float64)
            least = tf if least is None else np.minimum(least, tf)
        assert least is not None
        return q.boost * self._bm25(q.fieldname, self._phrase_idf(q), least, docs)

    def _phrase_idf(self, q: wq.Phrase) -> float:
        """A phrase's idf: the sum of its distinct words' (as Whoosh's phrase scorer)."""
        return sum(self.idf(q.fieldname, w) for w in set(q.words))


def _open_sidecar(folder: Path, leaf: Any) -> SegmentPostings | None:
    segment = getattr(leaf, "_segment", None)
    if segment is None:
        return None
    path = sidecar_path(folder, segment.segment_id())
    try:
        return SegmentPostings(path, leaf.doc_count_all())
    except (OSError, ValueError):  # none yet (an index written before them), or damaged
        return None


def _optional_phrases(q: wq.Query) -> Iterable[wq.Phrase]:
    """Phrases that only add to a score (under AndMaybe's optional side), anywhere in `q`.
    `evaluate` leaves them out of scores; `_rerank_phrases` adds them for the best documents."""
    if isinstance(q, wq.AndMaybe):
        yield from _optional_phrases(q.a)
        yield from _phrases_in(q.b)
        return
    if isinstance(q, (wq.AndNot,)):
        yield from _optional_phrases(q.a)
        return
    if isinstance(q, wq.Not):
        return
    for child in q.children():
        yield from _optional_phrases(child)


def _needs_positions(q: wq.Query, optional: bool) -> bool:
    """Whether evaluating `q` reads positions (a required phrase somewhere in it)."""
    if isinstance(q, wq.Phrase):
        return not optional
    if isinstance(q, wq.AndMaybe):
        return _needs_positions(q.a, optional)
    return any(_needs_positions(child, optional) for child in q.children())


def _phrases_in(q: wq.Query) -> Iterable[wq.Phrase]:
    if isinstance(q, wq.Phrase):
        yield q
    elif not isinstance(q, (wq.Not, wq.AndNot)):
        for child in q.children():
            yield from _phrases_in(child)


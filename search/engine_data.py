"""What the engine reads from one reader generation of an index, and the caches that keep it.

Postings come from each segment's posting file (`index.postings`, memory-mapped) or else from
Whoosh's blocks; lengths, columns and the posting values of chosen documents (positions,
character offsets) from Whoosh's storage. Everything that reads Whoosh's internals for this
lives in `index.segments`; this module decides what to keep.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.searching import Searcher

from index.lru import LRU
from index.postings import SegmentPostings, sidecar_path
from index.segments import (
    PostingValues,
    deleted_docs,
    field_lengths,
    mapped_resident,
    numeric_column,
    read_all,
    release_pages,
    segment_id,
)

__all__ = ["CACHE_BLOCK_BYTES", "CACHE_DIRECTORIES", "CACHE_POSTINGS", "MAPPED_BYTES", "IndexData"]

CACHE_POSTINGS = 60_000_000
"""Postings kept in memory (8 bytes each: int32 document, float32 frequency, so ~480 MB at
most): the terms a session uses again cost nothing to read."""
CACHE_BLOCK_BYTES = 64 << 20
"""Memory held by the posting blocks (with positions and offsets) kept decoded: typing a
query word by word reads the same blocks again."""
MAPPED_BYTES = 128 << 20
"""Pages of the mapped index files that searches may leave resident in the process before the
next search gives them back to the page cache (see `IndexData.trim`)."""
CACHE_DIRECTORIES = 50_000
"""Terms whose block directory (see `index.segments.PostingValues`) is kept."""

Postings = tuple[np.ndarray, np.ndarray]


class IndexData:
    """The postings, lengths and columns of one reader generation, read once and cached.
    Not thread-safe by itself (the `Index` that owns the engine serialises searches)."""

    def __init__(self, searcher: Searcher, folder: Path | None = None) -> None:
        """`folder`: the index's folder, where the segments' posting files are looked for."""
        self.searcher = searcher
        """Read for the schema; the `Index` may swap it for one of the same generation."""
        self.reader = searcher.reader()
        self.leaves: list[tuple[Any, int]] = list(self.reader.leaf_readers())
        self.n = int(self.reader.doc_count_all())
        self.live = np.ones(self.n, dtype=bool)
        for leaf, offset in self.leaves:
            for d in deleted_docs(leaf):
                self.live[offset + d] = False
        self.sidecars: list[SegmentPostings | None] = [
            _open_sidecar(folder, leaf) if folder is not None else None
            for leaf, _offset in self.leaves]
        self.columns: dict[str, Any] = {}
        self._lengths: dict[str, np.ndarray] = {}
        self._average: dict[str, float] = {}
        self._postings: LRU[tuple[str, str], Postings] = LRU(CACHE_POSTINGS)
        self._values = PostingValues(CACHE_BLOCK_BYTES, CACHE_DIRECTORIES)
        self._mapped_floor = mapped_resident()
        """Mapped bytes resident that are not index pages searches touched (libraries)."""

    def trim(self) -> bool:
        """Give back the pages of the mapped index files that searches touched, once more than
        `MAPPED_BYTES` of them are resident; returns whether it did. Without this a search
        process grows with the index (600 MB of mapped pages after 300 queries at 100k
        documents). The pages stay in the system's page cache: reading one again is a minor
        fault, not a disk read."""
        now = mapped_resident()
        if now is None or self._mapped_floor is None:
            return False
        if now - self._mapped_floor <= MAPPED_BYTES:
            return False
        release_pages(s.ids for s in self.sidecars if s is not None)
        self._mapped_floor = mapped_resident()
        return True

    def lengths(self, field: str) -> np.ndarray:
        """Each document's length in `field` as Whoosh stores it (quantised to a byte)."""
        got = self._lengths.get(field)
        if got is None:
            got = np.zeros(self.n, dtype=np.float64)
            for leaf, offset in self.leaves:
                lengths = field_lengths(leaf, field)
                if lengths is not None:
                    got[offset: offset + len(lengths)] = lengths
            self._lengths[field] = got
            total = self.reader.field_length(field)
            self._average[field] = (total / self.n) if self.n and total else 1.0
        return got

    def average_length(self, field: str) -> float:
        """The mean length of `field` over all documents (1 when unknown)."""
        self.lengths(field)
        return self._average.get(field) or 1.0

    def postings(self, field: str, text: str) -> Postings:
        """Document numbers (ascending) and frequencies of `text` in `field`, deleted included."""
        key = (field, text)
        got = self._postings.get(key)
        if got is not None:
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
                found = read_all(m)
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
        self._postings.put(key, got, cost=len(got[0]))
        return got

    @property
    def cached(self) -> int:
        """Postings held in memory."""
        return self._postings.cost

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
        got = self.columns.get(name)
        if got is not None:
            return got
        if name == "date":
            got = np.zeros(self.n, dtype=np.int64)
            for leaf, offset in self.leaves:
                if leaf.has_column(name):
                    keys = numeric_column(leaf.column_reader(name, translate=False),
                                          leaf.doc_count_all())
                    got[offset: offset + len(keys)] = keys
        else:
            values = list(self.reader.column_reader(name)) if self.n else []
            labels: dict[Any, int] = {}
            codes = np.array([labels.setdefault(v or "", len(labels)) for v in values],
                             dtype=np.int32)
            got = (codes, list(labels))
        self.columns[name] = got
        return got

    def positions(self, field: str, text: str, docs: np.ndarray) -> list[list[int]]:
        """Positions of `text` in each of `docs` (ascending document numbers)."""
        return self.decoded(field, text, docs, "positions")

    def characters(self, field: str, text: str, docs: Sequence[int]
                   ) -> list[list[tuple[int, int, int]]]:
        """(position, start, end) of each occurrence of `text` in each of `docs` (ascending)."""
        return self.decoded(field, text, np.asarray(docs, dtype=np.int64), "characters")

    def decoded(self, field: str, text: str, docs: np.ndarray, kind: str) -> list[Any]:
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
            decode = self.searcher.schema[field].format.decoder(kind)
            # Keyed by the leaf's place: these leaves never change (a refresh makes new data).
            for i, value in self._values.values(m, (k, field, text), docs[lo:hi] - offset):
                out[lo + i] = decode(value)
        return out


def _open_sidecar(folder: Path, leaf: Any) -> SegmentPostings | None:
    segment = segment_id(leaf)
    if segment is None:
        return None
    try:
        return SegmentPostings(sidecar_path(folder, segment), leaf.doc_count_all())
    except (OSError, ValueError):  # none yet (an index written before them), or damaged
        return None

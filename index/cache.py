"""Analyses of identical texts reused within one indexing run, so Kiwi analyses each text once.

Corpora repeat texts: a press release runs in several outlets, an article is republished under
a new address, a court decision is filed twice. Kiwi costs tens of microseconds per character,
while reading back a stored analysis costs well under one, so a run keeps the analyses it made,
compressed, keyed by a hash of the text, within a memory budget.
"""

from __future__ import annotations

import hashlib
import pickle
import zlib
from collections import deque
from collections.abc import Iterable, Iterator

from index.analysis import Analysis, analyze_many
from index.lru import LRU

__all__ = ["AnalysisCache", "CACHE_BYTES", "analyze_many_cached"]

CACHE_BYTES = 256 * 2**20
"""Default budget: compressed analyses take about 3.5 bytes per character of text, so this
holds some 70 million characters (the 12,000 precedents of the benchmark are 54 million)."""


class AnalysisCache:
    """Analyses by text, least recently used dropped first when over `max_bytes`.

    Valid for one list of user dictionary words: make one per indexing run.

    >>> cache = AnalysisCache()
    >>> key = cache.key("반도체 수출")
    >>> cache.put(key, Analysis((("반도체", 0, 3, (), ()),), (("반도체", 0, 3),)))
    >>> cache.get(key).units, cache.get(cache.key("반도체 수입"))
    ((('반도체', 0, 3, (), ()),), None)
    """

    def __init__(self, max_bytes: int = CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self.hits = 0
        self._entries: LRU[bytes, bytes] = LRU(max_bytes)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size(self) -> int:
        """Bytes of compressed analyses held."""
        return self._entries.cost

    @staticmethod
    def key(text: str) -> bytes:
        """The key of a normalised text: 128 bits of BLAKE2b over its UTF-8."""
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()

    def get(self, key: bytes) -> Analysis | None:
        blob = self._entries.get(key)
        if blob is None:
            return None
        return Analysis(*pickle.loads(zlib.decompress(blob)))

    def put(self, key: bytes, analysis: Analysis) -> None:
        if key in self._entries:
            return
        blob = zlib.compress(pickle.dumps((analysis.units, analysis.words),
                                          pickle.HIGHEST_PROTOCOL), 1)
        if len(blob) > self.max_bytes // 2:
            return  # one huge text would push out everything else
        self._entries.put(key, blob, cost=len(blob))


class _Entry:
    """One text on its way through: found in the cache, the same as an earlier text still
    being analysed (`source`), or waiting for Kiwi."""

    __slots__ = ("key", "analysis", "source")

    def __init__(self, key: bytes, analysis: Analysis | None = None,
                 source: _Entry | None = None) -> None:
        self.key = key
        self.analysis = analysis
        self.source = source


def analyze_many_cached(texts: Iterable[str], cache: AnalysisCache) -> Iterator[Analysis]:
    """`analyze_many` over normalised `texts`, in order, sending Kiwi only texts whose
    analysis is neither in `cache` nor already on its way; new analyses go into `cache`."""
    entries: deque[_Entry] = deque()
    waiting: dict[bytes, _Entry] = {}  # texts sent to Kiwi and not yet analysed

    def unseen() -> Iterator[str]:
        for text in texts:
            key = cache.key(text)
            found = cache.get(key)
            if found is not None:
                cache.hits += 1
                entries.append(_Entry(key, found))
                continue
            source = waiting.get(key)
            if source is not None:
                cache.hits += 1
                entries.append(_Entry(key, source=source))
                continue
            entry = _Entry(key)
            waiting[key] = entry
            entries.append(entry)
            yield text

    analysed = analyze_many(unseen())  # Kiwi pulls `unseen`, which fills `entries`
    ready: deque[Analysis] = deque()
    while True:
        if not entries:
            try:
                ready.append(next(analysed))
            except StopIteration:
                if entries:
                    continue  # the last texts were all known
                return
            continue
        entry = entries[0]
        if entry.source is not None:
            analysis = entry.source.analysis
        elif entry.analysis is None:
            if not ready:
                ready.append(next(analysed))
            analysis = entry.analysis = ready.popleft()
            cache.put(entry.key, analysis)
            if waiting.get(entry.key) is entry:
                del waiting[entry.key]
        else:
            analysis = entry.analysis
        entries.popleft()
        assert analysis is not None
        yield analysis

"""Which of the index's terms a query word stands for, and where they stand in a document.

A prefix (`반도*`) or wildcard stands for many terms. Ranking, the marks of search results and
the marks of a whole document must agree on which: a result matched by one of them and shown
without a mark looks like a false hit. So they all ask here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from whoosh import query as wq

__all__ = ["MAX_EXPANSION", "Mark", "expand", "find_marks", "pattern_terms"]

MAX_EXPANSION = 512
"""A prefix or wildcard stands for at most this many of the index's terms (the most frequent)."""
Mark = tuple[int, int, str]  # start, end, term
Characters = Callable[[str, Sequence[int]], Sequence[Sequence[tuple[int, int, int]]]]
"""(term, ascending documents) -> for each document, the term's (position, start, end)s."""


def expand(reader: Any, q: wq.Query) -> list[str]:
    """The terms a prefix, wildcard, fuzzy or regex query `q` stands for: all of them in the
    index's order, or when there are more than `MAX_EXPANSION`, that many of the most
    frequent (most frequent first, ties in the index's order)."""
    field = q.field()
    try:
        texts = [t for _f, t in q.expanded_terms(reader)]
    except Exception:  # a field this index does not have, or a pattern it cannot compile
        return []
    if len(texts) > MAX_EXPANSION:
        texts.sort(key=lambda t: -reader.doc_frequency(field, t))
        texts = texts[:MAX_EXPANSION]
    return [t.decode("utf-8") if isinstance(t, bytes) else t for t in texts]


def pattern_terms(reader: Any, field: str, pattern: str) -> list[str]:
    """The terms of `field` a query's term stands for: itself, or when it ends with `*`, what
    the prefix before it expands to (see `expand`)."""
    if pattern.endswith("*"):
        return expand(reader, wq.Prefix(field, pattern[:-1]))
    return [pattern]


def find_marks(reader: Any, field: str, patterns: Iterable[str], docnums: Iterable[int],
               characters: Characters) -> dict[int, list[Mark]]:
    """For each document, the (start, end, term) of every occurrence in `field` of the terms
    `patterns` stand for, sorted.

    :param characters: how the stored character offsets of a term are read (through the
        engine's block cache, or a plain Whoosh matcher).
    """
    found: dict[int, list[Mark]] = {}
    docs = sorted(set(docnums))
    if not docs:
        return found
    for pattern in patterns:
        for term in pattern_terms(reader, field, pattern):
            for d, occurrences in zip(docs, characters(term, docs), strict=True):
                if occurrences:
                    found.setdefault(d, []).extend((a, b, term) for _p, a, b in occurrences)
    for marks in found.values():
        marks.sort()
    return found

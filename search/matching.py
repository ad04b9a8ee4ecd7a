"""Which of the index's terms a query word stands for, and where they stand in a document.

A prefix (`반도*`) or wildcard stands for many terms. Ranking, the marks of search results and
the marks of a whole document must agree on which: a result matched by one of them and shown
without a mark looks like a false hit. So they all ask here. A phrase is marked where its
words stand together, a range's two numbers (6~8일) only with a range sign between them, as the
engine finds them (`search.engine_phrases.Phrases.ranges`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from whoosh import query as wq

from search.query_text import RANGE_BETWEEN

__all__ = ["MAX_EXPANSION", "Mark", "expand", "find_marks", "is_range", "join_phrase",
           "pattern_terms", "range_numbers"]

MAX_EXPANSION = 512
"""A prefix or wildcard stands for at most this many of the index's terms (the most frequent)."""
Mark = tuple[int, int, str]  # start, end, term
Characters = Callable[[str, Sequence[int]], Sequence[Sequence[tuple[int, int, int]]]]
"""(term, ascending documents) -> for each document, the term's (position, start, end)s."""
_NUMBER = re.compile(r"\d+(?:\.\d+)*")
_SERIAL = re.compile(rf"({_NUMBER.pattern})-({_NUMBER.pattern})")


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


def join_phrase(words: Sequence[str], occurrences: Sequence[Sequence[tuple[int, int, int]]],
                text: Callable[[], str] | None = None) -> list[Mark]:
    """One mark per place where `words` stand one after another, spanning them all.

    :param occurrences: for each word, its (position, start, end) in one document.
    :param text: the document's text, read only for a range's two numbers (see `is_range`):
        they must have a range sign between them there, as the engine's `RangePhrase` has.

    >>> join_phrase(["세계", "기구"], [[(0, 0, 2), (7, 20, 22)], [(1, 2, 4), (3, 9, 11)]])
    [(0, 4, '세계 기구')]
    >>> join_phrase(["6", "8일"], [[(0, 0, 1), (5, 12, 13)], [(1, 2, 4), (6, 15, 17)]],
    ...             lambda: "6~8일 휴관, 6월 8일 개관")
    [(0, 4, '6 8일')]
    """
    if not words or len(occurrences) != len(words):
        return []
    key = " ".join(words)
    at = [{pos: (start, end) for pos, start, end in occ} for occ in occurrences]
    ranged = text if is_range(words) else None
    out = []
    for pos, (start, end) in sorted(at[0].items()):
        last = at[-1].get(pos + len(words) - 1)
        if last and all(pos + i in at[i] for i in range(1, len(words) - 1)):
            if ranged is not None and ranged()[end:last[0]].strip() not in RANGE_BETWEEN:
                continue  # 6월 8일: the 6 of 6월 stands next to 8일, with no sign
            out.append((start, last[1], key))
    return out


def range_numbers(words: Sequence[str]) -> tuple[str, ...] | None:
    """The two numbers of a range's phrase (see `is_range`), or of the serial number Kiwi
    reads in 6-8일 (6-8 and 일); None for any other phrase.

    >>> range_numbers(["6", "8일"]), range_numbers(["6-8", "일"]), range_numbers(["6월", "8일"])
    (('6', '8'), ('6', '8'), None)
    """
    if is_range(words):
        return tuple(m[0] for w in words if (m := _NUMBER.match(w)))
    serial = _SERIAL.fullmatch(words[0]) if len(words) == 2 else None
    return (serial[1], serial[2]) if serial else None


def is_range(words: Sequence[str]) -> bool:
    """Whether a phrase's `words` are the two numbers of a range as a query's `RangePhrase`
    has them: the first bare or of the last's unit (6 and 8일, 6일 and 8일, 10 and 15%).

    >>> is_range(["6", "8일"]), is_range(["1.5", "2.5배"]), is_range(["6월", "8일"])
    (True, True, False)
    """
    if len(words) != 2:
        return False
    first, last = (_NUMBER.match(w) for w in words)
    if first is None or last is None:
        return False
    return words[0][first.end():] in ("", words[1][last.end():])

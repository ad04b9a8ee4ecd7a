"""Marks and snippets from the character offsets stored in the index's postings.

Highlighting never runs Kiwi over stored text (that costs ~8 ms per 1,000 characters): the
offsets of every matched term were recorded at indexing time, exact to the code point. The
`words` view (whole words without their particles) keeps no offsets: its words are found in the
text as that view spells them (`word_marks`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache, lru_cache
from operator import itemgetter

import numpy as np
from whoosh.searching import Searcher

from index.terms import fold
from search import matching
from search.matching import Mark, join_phrase
from search.types import Snippet, Span

__all__ = ["find_marks", "find_phrase_marks", "holding", "join_phrase", "merge_marks", "snippets",
           "word_marks"]

SNIPPET_CHARS = 120
_SLIDE_MARKS = 200
"""Up to this many marks a window is found by a Python loop; beyond, with numpy (whose
set-up costs more than the loop on the few marks of most documents)."""
# What `index.terms.fold` changes (tests/test_huge_record.py checks that the two agree).
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]+")
_SYLLABLES = re.compile("[\uac00-\ud7a3]+")


def find_marks(searcher: Searcher, field: str, terms: Iterable[str],
               docnums: Sequence[int]) -> dict[int, list[Mark]]:
    """For each document, the (start, end, term) of every occurrence of `terms` in `field`
    (a prefix stands for the terms it does in ranking and in results: see `search.matching`)."""
    def characters(term: str, docs: Sequence[int]) -> list[list[tuple[int, int, int]]]:
        found = _occurrences(searcher, field, term, docs)
        return [found.get(d, []) for d in docs]

    return matching.find_marks(searcher.reader(), field, terms, docnums, characters)


def find_phrase_marks(searcher: Searcher, field: str, phrases: Iterable[Sequence[str]],
                      docnums: Sequence[int], texts: Mapping[int, str] | None = None
                      ) -> dict[int, list[Mark]]:
    """For each document, one (start, end, phrase) mark per occurrence of each of `phrases`
    in `field`, its words adjacent; lone words of a phrase are not marked, nor the two numbers
    of a range without a range sign between them (6월 8일 for 6~8일: see `search.matching.join_phrase`).

    :param texts: the documents' texts of `field`, when they are at hand (else they are read
        from the index, only for a range whose numbers stand next to each other).
    """
    found: dict[int, list[Mark]] = defaultdict(list)
    for words in phrases:
        per_word = [_occurrences(searcher, field, w, docnums) for w in words]
        for docnum in docnums:
            occ = [p.get(docnum, []) for p in per_word]
            if all(occ):
                found[docnum].extend(join_phrase(words, occ, _text_of(searcher, field, docnum,
                                                                      texts)))
    for marks in found.values():
        marks.sort()
    return found


def _text_of(searcher: Searcher, field: str, docnum: int, texts: Mapping[int, str] | None
             ) -> Callable[[], str]:
    """Reads the text of `field` in `docnum` when called (once): from `texts`, else the
    index."""
    @cache
    def read() -> str:
        if texts is not None and docnum in texts:
            return texts[docnum]
        return searcher.stored_fields(docnum).get(field) or ""
    return read


def _occurrences(searcher: Searcher, field: str, term: str, docnums: Sequence[int]
                 ) -> dict[int, list[tuple[int, int, int]]]:
    out: dict[int, list[tuple[int, int, int]]] = {}
    try:
        m = searcher.postings(field, term)
    except Exception:  # TermNotFound: the term is not in this field
        return out
    for docnum in sorted(set(docnums)):
        if not m.is_active():
            break
        if m.id() < docnum:
            m.skip_to(docnum)
            if not m.is_active():
                break
        if m.id() == docnum:
            out[docnum] = list(m.value_as("characters"))
    return out


def holding(searcher: Searcher, field: str, term: str, docnums: Sequence[int]) -> set[int]:
    """Which of `docnums` hold `term` in `field` (any postings format)."""
    out: set[int] = set()
    try:
        m = searcher.postings(field, term)
    except Exception:  # TermNotFound: the term is not in this field
        return out
    for docnum in sorted(set(docnums)):
        if not m.is_active():
            break
        if m.id() < docnum:
            m.skip_to(docnum)
            if not m.is_active():
                break
        if m.id() == docnum:
            out.add(docnum)
    return out


def word_marks(text: str, words: Iterable[str]) -> list[Mark]:
    """The (start, end, word) of each place in `text` where a word of the `words` view begins
    as `word`, sorted: at the start of a word (after a space, a punctuation mark or nothing),
    written as the view spells it (full-width folded, lower case, commas in numbers dropped).
    What follows is not read: a particle or an ending (부산광역시까지, 현재는) is no part of the
    view's word, and telling it from the rest of a longer word needs Kiwi.

    >>> word_marks("서울에서 부산광역시까지, 1,800만 명이 ＡＰＥＣ에", ["부산광역시", "1800만", "apec"])
    [(5, 10, '부산광역시'), (14, 20, '1800만'), (24, 28, 'apec')]
    >>> word_marks("대구부산광역시, 10월 100명 10 APECs", ["부산광역시", "10", "apec"])
    [(18, 20, '10')]
    """
    spelled = ""
    out = []
    for w in dict.fromkeys(words):
        if not w or not _plain(w):
            continue
        if _SYLLABLES.fullmatch(w):
            # No folding or lower case makes a Hangul syllable or moves one: such a word is
            # found in the text as written, which is not spelled over (15 ms a million
            # characters) for it; only the character before a match is.
            found = _at_word_start(_word_pattern(w), text, _spelled)
        else:
            spelled = spelled or _spelled(text)
            found = _at_word_start(_word_pattern(w), spelled)
        out += [(m.start(), m.end(), w) for m in found]
    out.sort()
    return out


def _at_word_start(pattern: re.Pattern[str], text: str,
                   spell: Callable[[str], str] = str) -> Iterator[re.Match[str]]:
    """The matches `finditer` would give of `pattern` behind a look-behind for no word
    character (`(?<!\\w)`) in `text`, its characters read through `spell`. Without the
    look-behind the pattern begins with its word's first letter, which `re` looks for at C
    speed; with it, `re` tried every position of the text (30 ms a million characters)."""
    pos = 0
    while m := pattern.search(text, pos):
        at = m.start()
        before = spell(text[at - 1]) if at else ""
        if before and (before.isalnum() or before == "_"):  # what `\w` matches
            pos = at + 1
        else:
            yield m
            pos = m.end()


def _spelled(text: str) -> str:
    """`text` as the words view spells it, each character in its place."""
    # Only the full-width forms are folded: `str.translate` with a table looks up every
    # character (0.1 s a million characters); most texts hold a few full-width forms or none.
    folded = _FULL_WIDTH.sub(lambda m: fold(m.group()), text)
    low = folded.lower()
    if len(low) != len(text):  # a letter that lowers to two (İ): keep such letters as written
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in folded)
    return low


def _plain(word: str) -> bool:
    return not any(c in word for c in "*?[") and not word.isspace()


@lru_cache(maxsize=4096)
def _word_pattern(word: str) -> re.Pattern[str]:
    """`word` as the view spells it, up to where it ends (its start: `_at_word_start`)."""
    body = (",?".join(re.escape(c) for c in word) if any(c.isdigit() for c in word)
            else re.escape(word))  # the view drops the commas of 1,800
    # A number or a Latin word runs on into digits and letters (10 is not the word of 100 or
    # 10월, apec not that of apecs), but takes a particle after a Latin word (APEC에).
    end = r"(?!,?\w)" if word[-1].isdigit() else r"(?![a-z0-9])" if word[-1].isascii() else ""
    return re.compile(body + end)


def merge_marks(marks: Iterable[Mark | Span]) -> tuple[Span, ...]:
    """Sorted spans with overlapping and touching ones merged.

    >>> merge_marks([(5, 7, "b"), (0, 2, "a"), (2, 4, "c"), (6, 9, "b")])
    ((0, 4), (5, 9))
    """
    out: list[list[int]] = []
    for mark in sorted(marks):
        start, end = mark[0], mark[1]
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return tuple((s, e) for s, e in out)


def _window_start(text: str, anchor: int, width: int, reach: int = 0) -> int:
    """Start a window a third of its width before `anchor`, at a sentence or word boundary,
    never so early that the window ends before `reach` (the end of the marks it was chosen
    for, within a width of where it would start without a boundary)."""
    start = max(0, anchor - width // 3)
    if start == 0:
        return 0
    for boundary in (". ", "다. ", "\n", ". ", " "):
        cut = text.rfind(boundary, max(0, start - 40, reach - width), anchor)
        if cut >= 0 and cut + len(boundary) <= anchor:
            return cut + len(boundary)
    return start


def _window_end(text: str, start: int, width: int, keep: int) -> int:
    """End a window of about `width` characters after a sentence or a word, never before
    `keep` (the end of the marks it was chosen for).

    >>> text = "반도체 수출이 늘었다. 정부는 규제를 풀었다"
    >>> text[:_window_end(text, 0, 14, 3)]
    '반도체 수출이 늘었다.'
    >>> text[:_window_end(text, 0, 22, 3)]
    '반도체 수출이 늘었다. 정부는 규제를'
    """
    end = min(len(text), start + width)
    if end < len(text) and not text[end].isspace():
        floor = max(keep, start + width * 2 // 3)
        for boundary in (". ", "\n", " "):
            cut = text.rfind(boundary, floor, end + 1)
            if cut >= 0:
                end = cut + 1 if boundary == ". " else cut
                break
    while end > max(keep, start + 1) and text[end - 1].isspace():
        end -= 1
    return end


def _best_window(marks: Sequence[Mark], width: int) -> tuple[int, int] | None:
    """The window of `width` characters, starting a third of a width before some mark, that
    holds the most distinct terms (then the most marks), as (first mark, window start).
    Linear: a sliding window over marks (sorted by start), with a count per term and of the
    terms present (thousands of marks: `_best_window_arrays`)."""
    ids: dict[str, int] = {}
    terms = [ids.setdefault(term, len(ids)) for _, _, term in marks]
    counts = [0] * len(ids)
    best_score = -1
    best: tuple[int, int] | None = None  # first mark, window start
    j = 0
    n = len(marks)
    distinct = 0
    for i in range(n):
        start = marks[i][0] - width // 3
        if start < 0:
            start = 0
        end = start + width
        while j < n and marks[j][1] <= end:
            t = terms[j]
            if not counts[t]:
                distinct += 1
            counts[t] += 1
            j += 1
        if i:  # the previous anchor left the window
            t = terms[i - 1]
            counts[t] -= 1
            if not counts[t]:
                distinct -= 1
        score = distinct * 1000 + j - i
        if score > best_score:
            best_score, best = score, (i, start)
    return best


def _best_window_arrays(starts: np.ndarray, ends: np.ndarray, terms: np.ndarray,
                        width: int) -> int:
    """The first mark of the window `_best_window` finds, from the marks' starts, ends and
    term numbers (numpy arrays, in the marks' order).

    The window anchored at mark i holds marks i..j-1, j the first mark ending after the
    window (ends read in order, as the loop reads them: through their running maximum). A
    term is in that window if one of its marks p has i <= p < j, that is if i is in
    [lo(p), p], lo(p) the first anchor whose window reaches past p: the terms present are
    counted by adding up those ranges, each cut where the range of the term's previous mark
    ends, so that a term counts once.
    """
    n = len(starts)
    anchor = np.maximum(starts - width // 3, 0)
    last = np.searchsorted(np.maximum.accumulate(ends), anchor + width, side="right")
    at = np.arange(n)
    lo = np.searchsorted(last, at, side="right")
    by_term = np.argsort(terms, kind="stable")
    previous = np.full(n, -1)
    same = terms[by_term[1:]] == terms[by_term[:-1]]
    previous[by_term[1:][same]] = by_term[:-1][same]
    first = np.maximum(lo, previous + 1)
    held = first <= at
    change = (np.bincount(first[held], minlength=n + 1)
              - np.bincount(at[held] + 1, minlength=n + 1))
    score = np.cumsum(change)[:n] * 1000 + last - at
    return int(np.argmax(score))  # the first of the best, as the loop keeps


class _Sliding:
    """The marks (sorted) that later passages may be chosen for: the best window's first
    mark and how far the marks it was weighed by reach, then `drop` the marks near the passage
    chosen for it."""

    def __init__(self, marks: list[Mark], width: int) -> None:
        self.remaining, self.width = marks, width

    def best(self) -> tuple[Mark, int] | None:
        found = _best_window(self.remaining, self.width)
        if found is None:
            return None
        first, start = found
        return self.remaining[first], _reach(self.remaining[first:], start + self.width)

    def drop(self, after: int, before: int) -> None:
        """Leave out the marks starting after `after` and before `before`."""
        lo = bisect_right(self.remaining, after, key=itemgetter(0))
        hi = bisect_left(self.remaining, before, key=itemgetter(0))
        self.remaining = self.remaining[:lo] + self.remaining[hi:]


class _Arrays(_Sliding):
    """`_Sliding` for thousands of marks: the marks read into arrays once, each window found
    by `_best_window_arrays` among those `left` (`remaining` keeps them all)."""

    def __init__(self, marks: list[Mark], width: int) -> None:
        super().__init__(marks, width)
        starts, ends, names = zip(*marks, strict=True)
        ids = {t: k for k, t in enumerate(dict.fromkeys(names))}
        self.terms = np.fromiter(map(ids.__getitem__, names), dtype=np.int64, count=len(marks))
        self.starts = np.array(starts, dtype=np.int64)
        self.ends = np.array(ends, dtype=np.int64)
        self.left = np.ones(len(marks), dtype=bool)

    def best(self) -> tuple[Mark, int] | None:
        at = np.flatnonzero(self.left)
        if not len(at):
            return None
        first = _best_window_arrays(self.starts[at], self.ends[at], self.terms[at], self.width)
        mark = self.remaining[int(at[first])]
        ends = self.ends[at[first:]]
        outside = np.flatnonzero(ends > max(0, mark[0] - self.width // 3) + self.width)
        held = ends[:outside[0] if len(outside) else len(ends)]
        return mark, int(held.max()) if len(held) else 0

    def drop(self, after: int, before: int) -> None:
        self.left[np.searchsorted(self.starts, after, side="right"):
                  np.searchsorted(self.starts, before, side="left")] = False


def _reach(marks: Sequence[Mark], end: int) -> int:
    """Where the marks a window ending at `end` was weighed by end (0 for none): those from
    the first of `marks` up to the first that ends after the window (`_best_window`)."""
    reach = 0
    for mark in marks:
        if mark[1] > end:
            break
        reach = max(reach, mark[1])
    return reach


def snippets(text: str, marks: Sequence[Mark], *, count: int = 2,
             width: int = SNIPPET_CHARS, field: str = "body") -> tuple[Snippet, ...]:
    """Up to `count` passages of `text` holding the most distinct matched terms, in text order.

    Line breaks become spaces one-for-one, so marks stay exact offsets into each snippet.
    """
    if not text:
        return ()
    if len(text) > 4 * width * count:
        count += 1  # long documents get one more passage
    chosen: list[tuple[int, int]] = []
    ordered = sorted(marks)
    starts = [m[0] for m in ordered]
    left = (_Arrays if len(ordered) > _SLIDE_MARKS else _Sliding)(ordered, width)
    while len(chosen) < count and (best := left.best()) is not None:
        # The window is weighed by the marks it holds (`reach`: where they end); moved to
        # start at a boundary and cut back to end at one, it still shows them all.
        mark, reach = best
        start = _window_start(text, mark[0], width, reach)
        end = _window_end(text, start, width, max(mark[1], reach))
        chosen.append((start, end))
        # Later passages come from elsewhere in the text, not next to one already chosen.
        left.drop(start - width // 2, end + width // 2)
    if not chosen:
        chosen = [(0, _window_end(text, 0, width, 0))]
    out = []
    for start, end in sorted(chosen):
        near = ordered[bisect_left(starts, start):bisect_right(starts, end)]
        inside = [(s - start, e - start) for s, e, _ in near if e <= end]
        piece = text[start:end].replace("\n", " ").replace("\r", " ").replace("\t", " ")
        out.append(Snippet(piece, merge_marks(inside), field, start))  # type: ignore[arg-type]
    return tuple(out)

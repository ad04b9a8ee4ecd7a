"""Stored documents as the records the API returns: a hit with its snippets, a whole document
with its marks. One place turns stored fields into `Hit` and `Document`, so a result and the
preview of the same document agree on its title, date, tags, pages and marks.

A query's word may find a document through the `words` view alone, Kiwi reading the word one way
in the query and another in the document (부산광역시 alone, 부산+광역시 in 서울특별시에서
부산광역시까지; 현재 an adverb with no morpheme to mark): such a word is marked where the view's
word stands in the text, so every document found shows why."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
from whoosh.searching import Searcher

from index.documents.common import page_of
from search.engine import Engine
from search.facets import to_date
from search.highlight import (
    find_marks,
    find_phrase_marks,
    holding,
    merge_marks,
    snippets,
    word_marks,
)
from search.matching import range_numbers
from search.types import Document, Hit

__all__ = ["TITLE_FALLBACK_CHARS", "document", "hit", "result_marks"]

TITLE_FALLBACK_CHARS = 80
"""A record without a title shows this much of its body's first line instead."""

Mark = tuple[int, int, str]
"""(start, end, term) of a matched word in a field's text."""


def result_marks(engine: Engine, searcher: Searcher, stored: dict[int, dict[str, Any]],
                 terms: Sequence[str], phrases: Sequence[tuple[str, ...]]
                 ) -> tuple[dict[int, list[Mark]], dict[int, list[Mark]]]:
    """The body and title marks of the documents `stored` (docnum -> stored fields): loose
    terms wherever they stand, each phrase only where its words stand together (one mark per
    occurrence, so snippets are chosen for the phrase), and a term that no mark shows but the
    document holds in its `words` view where that word stands."""
    docnums = list(stored)
    out = []
    for field in ("body", "title"):
        found = engine.marks(field, terms, docnums)
        if phrases and docnums:
            texts = {d: stored[d].get(field) or "" for d in docnums}
            for d, marks in find_phrase_marks(searcher, field, phrases, docnums, texts).items():
                found[d] = sorted(found.get(d, []) + marks)
        out.append(found)
    body, title = out

    def held(term: str, docs: Sequence[int]) -> set[int]:
        ids = engine.postings("words", term)[0]
        if not len(ids):
            return set()
        at = np.searchsorted(ids, docs)
        return {d for d, i in zip(docs, at.tolist(), strict=True) if i < len(ids) and ids[i] == d}

    # Only a word that neither field marks is looked for (most documents mark all theirs).
    unmarked = {d: u for d in docnums
                if (u := _unmarked(body.get(d, []) + title.get(d, []), terms, phrases))}
    for d, words in _in_words(held, unmarked).items():
        for found, field in ((body, "body"), (title, "title")):
            found[d] = _with_words(found.get(d, []), stored[d].get(field, ""), words, terms,
                                   phrases)
    return body, title


def hit(fields: dict[str, Any], score: float, body_marks: list[Mark], title_marks: list[Mark],
        snippet_count: int) -> Hit:
    """One result from a document's stored fields and the marks of its matched words."""
    body = fields.get("body", "")
    title, tmarks = _title(fields.get("title", ""), title_marks, body, body_marks)
    snips = snippets(body, body_marks, count=snippet_count) if snippet_count else ()
    if fields.get("pages"):  # a PDF: say which page each passage is on
        snips = tuple(replace(s, page=page_of(fields["pages"], s.start + (
            s.marks[0][0] if s.marks else 0))) if s.field == "body" else s for s in snips)
    return Hit(
        id=fields.get("id", ""),
        title=title,
        score=float(score),
        date=to_date(fields.get("date")),
        source=fields.get("source", ""),
        url=fields.get("url", ""),
        tags=_tags(fields),
        path=fields.get("path", ""),
        snippets=snips,
        title_marks=merge_marks(tmarks),
    )


def document(searcher: Searcher, docnum: int, terms: Sequence[str],
             phrases: Sequence[tuple[str, ...]]) -> Document:
    """The whole stored document `docnum` with every occurrence of `terms` marked, and of
    `phrases` where their words stand together."""
    fields = searcher.stored_fields(docnum)

    def marks(field: str) -> list[Mark]:
        found = find_marks(searcher, field, terms, [docnum]).get(docnum, [])
        together = find_phrase_marks(searcher, field, phrases, [docnum],
                                     {docnum: fields.get(field) or ""}).get(docnum, [])
        return sorted(found + together)

    body, title = marks("body"), marks("title")
    words = _in_words(lambda t, docs: holding(searcher, "words", t, docs),
                      {docnum: _unmarked(body + title, terms, phrases)}).get(docnum, [])
    if words:
        body, title = (_with_words(m, fields.get(f, ""), words, terms, phrases)
                       for m, f in ((body, "body"), (title, "title")))
    title_text, title = _title(fields.get("title", ""), title, fields.get("body", ""), body)
    return Document(
        id=fields.get("id", ""),
        title=title_text,
        body=fields.get("body", ""),
        date=to_date(fields.get("date")),
        source=fields.get("source", ""),
        url=fields.get("url", ""),
        tags=_tags(fields),
        path=fields.get("path", ""),
        title_marks=merge_marks(title),
        body_marks=merge_marks(body),
        pages=tuple(fields.get("pages") or ()),
    )


def _unmarked(marks: Sequence[Mark], terms: Sequence[str],
              phrases: Sequence[tuple[str, ...]]) -> list[str]:
    """The terms, and the numbers of phrases (see `_with_words`), that `marks` show nowhere:
    a whole word whose morphemes are marked (지방자치단체 by 지방, 자치, 단체) is shown.

    >>> _unmarked([(0, 2, "지방"), (2, 4, "자치")], ["지방", "지방자치단체", "원칙"], [])
    ['원칙']
    """
    marked = {t for _, _, t in marks}
    return [t for t in dict.fromkeys([*terms, *_apart(phrases, marked)])
            if t and not any(c in t for c in "*?[")  # patterns: see `_in_words`
            and not any(m in t for m in marked)]


def _in_words(held: Callable[[str, Sequence[int]], set[int]],
              wanted: dict[int, list[str]]) -> dict[int, list[str]]:
    """For each document of `wanted` that holds some of its terms in its `words` view, those
    terms. Patterns search title and body only, so `_unmarked` leaves them out.

    :param held: (term, ascending documents) -> those that hold the term in `words`.
    """
    out: dict[int, list[str]] = {}
    by_term: dict[str, list[int]] = {}
    for d in sorted(wanted):
        for term in wanted[d]:
            by_term.setdefault(term, []).append(d)
    for term, docs in by_term.items():
        for d in held(term, docs):
            out.setdefault(d, []).append(term)
    return out


def _numbers(phrase: tuple[str, ...]) -> tuple[str, ...]:
    """The words of a number's phrase (2006년~2010년, 6~8일): a document that has not the
    phrase is found by its first number alone in the `words` view."""
    return phrase if phrase and phrase[0][:1].isdigit() else ()


def _apart(phrases: Sequence[tuple[str, ...]], marked: set[str]) -> list[str]:
    """The words of the numbers' phrases (`_numbers`) that no mark of `marked` (the marks'
    terms) shows, a range counting as shown when one of its spellings is (6~8일 by 6 8일:
    the 8일 of 6월 8일 elsewhere is no part of it).

    >>> _apart([("6", "8일"), ("6일", "8일"), ("6-8", "일")], {"6 8일"})
    []
    >>> _apart([("6일", "8일"), ("2019년", "2021년")], {"6일 8일"})
    ['2019년', '2021년']
    """
    shown = {range_numbers(p) or p for p in phrases if " ".join(p) in marked}
    return [w for p in phrases if (range_numbers(p) or p) not in shown for w in _numbers(p)]


def _with_words(marks: list[Mark], text: str, words: Sequence[str], terms: Sequence[str],
                phrases: Sequence[tuple[str, ...]]) -> list[Mark]:
    """`marks` (sorted) with the places in `text` where `words` stand as whole words and
    nothing is marked yet (a morpheme of the word already says why there: 학살 of 대학살).
    A word of a number's phrase only, not a loose term, is marked where the phrase is not
    (a range 6~8일 that found a document by its 6 alone)."""
    marked = {t for _, _, t in marks}
    apart = set(_apart(phrases, marked))
    loose = set(terms)
    words = [w for w in words if w in loose or w in apart]
    extra = word_marks(text, words) if words and text else []
    if not extra:
        return marks
    spans = merge_marks(marks)
    starts = [s for s, _ in spans]

    def free(start: int, end: int) -> bool:
        i = bisect_left(starts, end)  # spans before i start before `end`
        return not i or spans[i - 1][1] <= start

    return sorted(marks + [m for m in extra if free(m[0], m[1])])


def _tags(fields: dict[str, Any]) -> tuple[str, ...]:
    return tuple(t for t in fields.get("tags", "").split(",") if t)


def _title(title: str, marks: list[Mark], body: str, body_marks: list[Mark]
           ) -> tuple[str, list[Mark]]:
    """A record without a title shows its body's first line (never indexed twice as a title).

    >>> _title("", [], "  첫 줄입니다\\n둘째 줄", [(2, 3, "첫"), (9, 11, "둘째")])
    ('첫 줄입니다', [(0, 1, '첫')])
    """
    if title:
        return title, marks
    first = body.lstrip().split("\n", 1)[0]
    lead = len(body) - len(body.lstrip())
    shown = first[:TITLE_FALLBACK_CHARS]
    return shown, [(s - lead, e - lead, t) for s, e, t in body_marks
                   if s >= lead and e - lead <= len(shown)]

"""Stored documents as the records the API returns: a hit with its snippets, a whole document
with its marks. One place turns stored fields into `Hit` and `Document`, so a result and the
preview of the same document agree on its title, date, tags and pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from whoosh.searching import Searcher

from index.documents.common import page_of
from search.engine import Engine
from search.facets import to_date
from search.highlight import find_marks, find_phrase_marks, merge_marks, snippets
from search.types import Document, Hit

__all__ = ["TITLE_FALLBACK_CHARS", "document", "hit", "result_marks"]

TITLE_FALLBACK_CHARS = 80
"""A record without a title shows this much of its body's first line instead."""

Mark = tuple[int, int, str]
"""(start, end, term) of a matched word in a field's text."""


def result_marks(engine: Engine, searcher: Searcher, field: str, terms: Sequence[str],
                 phrases: Sequence[tuple[str, ...]], docnums: Sequence[int]
                 ) -> dict[int, list[Mark]]:
    """Marks of loose terms wherever they stand, and of each phrase only where its words
    stand together (one mark per occurrence, so snippets are chosen for the phrase)."""
    found = engine.marks(field, terms, docnums)
    if phrases and docnums:
        for d, marks in find_phrase_marks(searcher, field, phrases, docnums).items():
            found[d] = sorted(found.get(d, []) + marks)
    return found


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
        together = find_phrase_marks(searcher, field, phrases, [docnum]).get(docnum, [])
        return sorted(found + together)

    body = marks("body")
    title_text, title = _title(fields.get("title", ""), marks("title"),
                               fields.get("body", ""), body)
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

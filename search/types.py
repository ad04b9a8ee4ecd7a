"""Typed, frozen records that the search API returns.

Every front end (the command line, the terminal UI, users' scripts) consumes these and nothing
else, so they carry data only: text plus (start, end) offsets, never markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol

SortOrder = Literal["relevance", "date"]
"""How results are ordered: by score, or newest first."""

MatchMode = Literal["all", "any", "none"]
"""`all`: every query word matched (keyword search); `any`: the query was too long or matched
nothing as a whole, so documents are ranked by how many words they share with it; `none`: the
query had no searchable words."""

QueryKind = Literal["keywords", "question", "passage"]
"""How the query text was read: keywords (every word required), a question, or a pasted passage
(both ranked by the words documents share with it)."""

Span = tuple[int, int]


@dataclass(frozen=True)
class Snippet:
    """A passage of a document's title or body, with every matched word marked."""

    text: str
    marks: tuple[Span, ...]
    """(start, end) offsets into `text` of every matched word, sorted, adjacent marks merged."""
    field: Literal["title", "body"] = "body"
    start: int = 0
    """Offset of `text` within the whole field, so a preview can scroll to it."""
    page: int = 0
    """The page (1-based) of a PDF that the passage's first match (else its start) is on; 0 for
    documents without pages."""


@dataclass(frozen=True)
class Hit:
    """One matching document."""

    id: str
    title: str
    score: float
    date: dt.date | None
    source: str
    url: str
    tags: tuple[str, ...] = ()
    path: str = ""
    snippets: tuple[Snippet, ...] = ()
    title_marks: tuple[Span, ...] = ()
    """Marks of matched words in `title`."""


@dataclass(frozen=True)
class Facet:
    """A value of a field and how many matching documents carry it."""

    value: str
    count: int


@dataclass(frozen=True)
class Rewrite:
    """A forgiving rule that changed the query, so a front end can say so."""

    rule: Literal["alias", "choseong", "keyboard", "typo", "spacing", "particle", "suggestion",
                  "compound"]
    """What changed the query: a correction ("choseong", "keyboard", "typo", "spacing",
    "particle": 곰이 read as 곰 + 이, "suggestion"), or what it also searched: an "alias" of
    a name, a "compound" of a noun (대통령 -> 대통령실: documents only it found come after
    the others)."""
    original: str
    replacement: str


@dataclass(frozen=True)
class Results:
    """One page of results for a query, best first. Iterating yields `Hit`s."""

    query: str
    hits: tuple[Hit, ...]
    total: int
    """Number of matching documents (all pages)."""
    suggestion: str | None = None
    """A "did you mean" query built from the index's vocabulary, or None."""
    mode: MatchMode = "all"
    page: int = 1
    pagelen: int = 10
    elapsed: float = 0.0
    """Seconds the search took, snippets included."""
    sources: tuple[Facet, ...] = ()
    """Sources of all matching documents with counts, most frequent first."""
    months: tuple[Facet, ...] = ()
    """Matching documents per month (`YYYY-MM`), oldest first; documents without a date omitted."""
    rewrites: tuple[Rewrite, ...] = ()
    error: str | None = None
    """Why the query was read as plain words, when its syntax could not be parsed (a notice
    about the query, not a fault)."""
    failure: str | None = None
    """The search itself failed (a fault in kosearch or a damaged index, never the query's
    text): the results are empty because of it, not because nothing matched. The traceback is
    logged to the `search` logger."""
    kind: QueryKind = "keywords"
    """How the query was read; with `mode` "any" and kind "keywords", no document had every
    word (as typed or as corrected)."""
    unfiltered: int = 0
    """With no result under date or source filters: how many documents match without them
    (so the notice says the filters, not the query, found nothing)."""

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    def __getitem__(self, i: int) -> Hit:
        return self.hits[i]


@dataclass(frozen=True)
class Document:
    """A whole stored document, with every match of a query marked (for a preview pane)."""

    id: str
    title: str
    body: str
    date: dt.date | None
    source: str
    url: str
    tags: tuple[str, ...] = ()
    path: str = ""
    title_marks: tuple[Span, ...] = ()
    body_marks: tuple[Span, ...] = ()
    pages: tuple[int, ...] = ()
    """Where each page of a PDF starts in `body` (empty for other documents)."""


@dataclass(frozen=True)
class IndexStats:
    """What `kosearch stats` shows."""

    path: str
    documents: int
    sources: tuple[Facet, ...]
    first_date: dt.date | None
    last_date: dt.date | None
    size_bytes: int
    format_version: int
    created_by: str
    extra: dict[str, str] = field(default_factory=dict)
    analyzer_version: int = 1
    """The analyzer the index was created with; older than `index.ANALYZER_VERSION` means
    `--rebuild` would index some texts better."""


@dataclass(frozen=True)
class QueryReading:
    """How a query's text was understood (`Index.parse`): what `explain` shows, as data."""

    text: str
    """The text as parsed: normalised to NFC, cut to the longest query accepted, user
    dictionary words written with spaces joined."""
    mode: MatchMode
    kind: QueryKind
    terms: tuple[str, ...]
    """Morpheme terms of the positive part of the query (what results mark)."""
    phrases: tuple[tuple[str, ...], ...] = ()
    """Phrases whose words match only where they stand together."""
    error: str | None = None
    """Why the syntax was read as plain words, or None."""


AliasEntry = tuple[str, str, tuple[str, ...]]
"""(name, alias, ids of the documents that taught the pair)."""


class _AliasSource(Protocol):
    def __len__(self) -> int: ...
    def __bool__(self) -> bool: ...
    def lookup(self, term: str) -> set[str]: ...
    def evidence(self, term: str) -> list[str]: ...
    def pairs(self) -> list[tuple[str, str, list[str]]]: ...


class Aliases:
    """A read-only view of an index's aliases: the pairs learned at indexing time, with the
    user's synonyms file applied (`Index.aliases`). Its answers are copies."""

    __slots__ = ("_table",)

    def __init__(self, table: _AliasSource) -> None:
        self._table = table

    def __len__(self) -> int:
        return len(self._table)

    def __bool__(self) -> bool:
        return bool(self._table)

    def lookup(self, term: str) -> frozenset[str]:
        """The other names of `term` (a word or a name of several words)."""
        return frozenset(self._table.lookup(term))

    def evidence(self, term: str) -> tuple[str, ...]:
        """The documents that taught a pair with `term`, sorted (synonyms have none)."""
        return tuple(self._table.evidence(term))

    def pairs(self) -> tuple[AliasEntry, ...]:
        """Every learned pair the index uses, sorted, with the documents that taught it."""
        return tuple((name, alias, tuple(docs)) for name, alias, docs in self._table.pairs())

"""From query text to a Whoosh query over kosearch's views of the text.

Whoosh's parser reads the syntax (phrases, AND/OR/NOT, -word, fields, dates, prefix*, groups);
each plain word is then expanded here into what it means for a Korean index: its morphemes in the
title and body, all required, with their adjacency (a compound written with or without spaces)
and the whole word as optional boosts. Any text is accepted: what cannot be parsed is read again
as plain words. What a built query asks for (its terms, phrases, exclusions) is read by
`search.query_tree`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any, Literal

from whoosh import query
from whoosh.fields import Schema
from whoosh.qparser import AndGroup, QueryParser, plugins

from index.analysis import analyze, join_user_words, normalize
from search.query_text import (
    END_QUESTION_MARK,
    clean,
    compact_dates,
    compact_ranges,
    has_syntax,
    is_question,
    plain_words,
    range_parts,
    range_words,
    without_bad_dates,
)
from search.query_tree import (
    TEXT_FIELDS,
    asks_for_something,
    excluded,
    is_null,
    leaf_terms,
    loose_terms,
    positive_leaves,
    positive_terms,
    required_phrases,
)
from search.weights import WEIGHTS, Weights

__all__ = ["ParsedQuery", "RangePhrase", "parse", "plain_words", "Weights", "WEIGHTS"]

LONG_QUERY_WORDS = 5
"""Queries of more words than this rank by shared words instead of requiring all..."""
LONG_QUERY_TERMS = 12
"""...and so do those of more distinct morphemes (a long name such as 세계 인공지능 협력기구 is
many morphemes but few words)."""
PASTED_WORDS = 20
"""A text of more words than this is pasted prose: its quotation marks are text, not phrases."""


ALL = "_all"
"""The parser's default field: plain words search every view."""


@dataclass(frozen=True)
class ParsedQuery:
    """A query ready to run, with what a front end needs to explain it."""

    text: str
    query: query.Query
    mode: str  # "all", "any" or "none"
    terms: tuple[str, ...]
    """Morpheme terms of the positive part of the query, for highlighting and suggestions."""
    error: str | None = None
    kind: str = "keywords"
    """"keywords", "question" or "passage" (long text): each ranks with its own weights."""
    phrases: tuple[tuple[str, ...], ...] = ()
    """Required phrases (quoted, or a name of several words read as an alias) whose words are
    matched only where they stand together, so they are marked only there."""

    @property
    def loose_terms(self) -> tuple[str, ...]:
        """The terms marked wherever they occur: `terms` less the words that appear only
        inside `phrases`."""
        inside = {w for p in self.phrases for w in p}
        return tuple(t for t in self.terms if t not in inside or t in self._single)

    @property
    def _single(self) -> frozenset[str]:
        return frozenset(loose_terms(self.query))


_HANGUL_WORD = re.compile("[\uac00-\ud7a3]+")
Reading = Literal["typed"] | None
"""How `word_query` reads a word beyond its plain reading (see there)."""

_MINUS = r"(?<![^\s(])-(?=[^\s\d)])"
"""A minus that excludes: at the start of the text, after a space or an opening bracket, and
followed by a word (not a space, a digit or a closing bracket)."""


class _KoreanParser(QueryParser):  # type: ignore[misc]
    """A QueryParser whose plain words become multi-view Korean word queries."""

    def __init__(self, schema: Schema, weights: Weights, group: Any, how: Reading = None) -> None:
        super().__init__(ALL, schema, group=group)
        self.weights = weights
        self.how = how
        self.remove_plugin_class(plugins.MultifieldPlugin)
        # `-word` excludes a word only where a word starts: 코로나-19, U-17, e-mail and 한-EU
        # are words, `a - b` has no excluded word, `-5` is a number. Every word is required
        # already, so `+` marks nothing (Whoosh's + would make the other words optional).
        self.add_plugin(plugins.PlusMinusPlugin(plusexpr=r"(?!)", minusexpr=_MINUS))

    def term_query(self, fieldname: str, text: str, termclass: Any, boost: float = 1.0,
                   tokenize: bool = True, removestops: bool = True) -> query.Query | None:
        if fieldname not in TEXT_FIELDS and fieldname != ALL:
            if fieldname in ("source", "id", "path"):
                return query.Term(fieldname, text, boost=boost)
            if self.schema and fieldname in self.schema:
                return super().term_query(fieldname, text, termclass, boost, tokenize,
                                          removestops)
            # An unknown field name: the user meant the word with its colon.
            return word_query(f"{fieldname} {text}", self.weights, boost=boost)
        explicit = None if fieldname == ALL else fieldname
        if termclass is not query.Term:  # prefix*, wild?card
            text = normalize(text).lower()
            fields = (explicit,) if explicit else TEXT_FIELDS
            return _or([termclass(f, text, boost=boost) for f in fields])
        return word_query(text, self.weights, field=explicit, boost=boost, how=self.how)


def _rewrite_phrases(q: query.Query, w: Weights) -> query.Query:
    """Phrases on the default field: analysed here and searched in title and body."""
    if isinstance(q, query.Phrase) and q.fieldname == ALL:
        terms = [u[0] for u in analyze(normalize(" ".join(q.words))).units]
        if not terms:
            return query.NullQuery
        if len(terms) == 1:
            return word_query(terms[0], w, boost=q.boost)
        if len(q.words) == 1:
            # One word quoted ("인수위원회", or an alias of one word: 종말단계고고도지역방어)
            # is that word as typed: its morphemes together, or the whole word (a range too).
            return word_query(q.words[0], w, boost=q.boost, how="typed")
        # A range in it (6~8일) must be one too: its numbers would stand together in 6월 8일.
        ranges = [r for x in q.words if (r := _range_query(x, w, None, q.boost)) is not None]
        phrase = _or([query.Phrase(f, terms, slop=q.slop, boost=q.boost * fw)
                      for f, fw in (("title", w.title), ("body", w.body))])
        return query.And([phrase, *ranges]) if ranges else phrase
    if isinstance(q, query.Phrase) and not q.words:
        return query.NullQuery
    if getattr(q, "fieldname", None) == ALL:
        # A range or other field-only syntax without a field: its words, as words.
        words = [str(v) for v in (getattr(q, "start", None), getattr(q, "end", None),
                                  getattr(q, "text", None)) if v]
        queries = [word_query(x, w) for x in words if x.strip("*?")]
        return query.And(queries) if queries else query.NullQuery
    return q.apply(lambda child: _rewrite_phrases(child, w))


def _or(queries: list[query.Query]) -> query.Query:
    queries = [q for q in queries if q is not None]
    if not queries:
        return query.NullQuery
    return queries[0] if len(queries) == 1 else query.Or(queries)


class RangePhrase(query.Phrase):  # type: ignore[misc]
    """Two numbers of a range next to each other (6 and 8일 of 6~8일, or 6일 and 8일) with a
    range sign between them in the text (`query_text.RANGE_BETWEEN`): the bare 6 is also
    indexed inside 6월, so a plain phrase would take 6월 8일 for 6~8일. The engine checks the
    sign (`search.engine_phrases`); elsewhere it is the plain phrase."""

    def __unicode__(self) -> str:
        return f'{self.fieldname}:"{"~".join(self.words)}"'

    __str__ = __unicode__


def _range_query(text: str, w: Weights, field: str | None, boost: float) -> query.Query | None:
    """A range of numbers as written (6~8일): in every spelling of that range (6∼8일, 6-8일,
    6일~8일, 6일부터 8일까지) but not its numbers apart (6월 8일) nor a number inside it (7일);
    None when `text` is no range."""
    parts = range_parts(text)
    if parts is None:
        return None
    first, last, unit, rest = parts
    fw = {"title": w.title, "body": w.body}
    ranges: list[query.Query] = []
    serial = f"{first}-{last}"  # Kiwi reads 6-8 as one serial number, its unit apart
    for f in (field,) if field else TEXT_FIELDS:
        b = fw[f] * boost
        ranges.append(RangePhrase(f, [first, last + unit], boost=b))
        if unit:
            ranges.append(RangePhrase(f, [first + unit, last + unit], boost=b))
        # (and a sign such as % after it is dropped)
        ranges.append(query.Phrase(f, [serial, unit], boost=b) if unit.isalnum() else
                      query.Term(f, serial, boost=b))
    if field is None:
        ranges.append(query.Term("words", serial + (unit if unit.isalnum() else ""),
                                 boost=w.words * boost))
    more = word_query(rest, w, field=field, boost=boost) if rest else query.NullQuery
    # 2019~2020시즌: the word after the range is required too (a particle adds nothing).
    return _or(ranges) if is_null(more) else query.And([_or(ranges), more])


def word_query(text: str, w: Weights, *, field: str | None = None, boost: float = 1.0,
               how: Reading = None) -> query.Query:
    """The query for one space-free word: its morphemes all required, adjacency and the whole
    word as optional boosts. `field` restricts it to `title` or `body`. A range of numbers
    (6~8일) is searched as a range (see `_range_query`).

    :param how: "typed": the word only as typed, its morphemes together (a compound) and a
        prefix Kiwi reads apart kept (대학살, not 학살 alone). None: as described above.
    """
    ranged = _range_query(text, w, field, boost)
    if ranged is not None:
        return ranged
    analysis = analyze(normalize(text))
    terms = [u[0] for u in analysis.units]
    if not terms:
        return query.NullQuery
    fields = (field,) if field else TEXT_FIELDS
    fw = {"title": w.title, "body": w.body}
    whole = analysis.words[0][0] if len(analysis.words) == 1 and field is None else None
    typed = how == "typed"

    def term(unit: tuple[Any, ...]) -> query.Query:
        return _or([query.Term(f, t, boost=fw[f] * boost)
                    for t in (unit[0], *unit[4]) for f in fields])

    def whole_terms(wf: float) -> list[query.Query]:
        return [*(query.Term(f, whole, boost=fw[f] * boost) for f in fields),
                query.Term("words", whole, boost=wf * boost)] if whole else []

    if len(terms) == 1:
        base: query.Query = term(analysis.units[0])
        if whole == terms[0]:
            # A document where Kiwi split the word (최저임금위원회는 -> 최저+임금+위원회)
            # still holds it whole in its words view.
            base = query.Or([base, query.Term("words", terms[0], boost=w.words * boost)])
        elif whole and _HANGUL_WORD.fullmatch(whole):
            # Kiwi left out a prefix alone (대학살 -> 대/XPN 학살) but may keep the word whole
            # in a document (유대인 대학살): either form matches; as typed, only the whole word.
            base = _or(whole_terms(w.words) if typed else [base, *whole_terms(w.words)])
    elif terms[0][:1].isdigit():
        # A number with its unit (100만원, 1,800만명, 3조원) is one quantity: its pieces
        # must stand together, not 100만 in one sentence and 원 in another.
        base = _or([query.Phrase(f, terms, boost=fw[f] * boost) for f in fields]
                   + [query.Term("words", whole, boost=w.words * boost)
                      for whole, _, _ in analysis.words[:1] if field is None])
    elif typed:
        # As typed, a compound's morphemes stand together (인수위원회, not 인수 ... 위원회).
        base = _or([*(query.Phrase(f, terms, boost=fw[f] * boost) for f in fields),
                    *(whole_terms(w.words) if whole not in terms else [])])
    else:
        base = query.And([term(u) for u in analysis.units])
        if whole and whole not in terms:
            # Kiwi splits a name one way here and may have kept it whole in a document
            # (한남대교가 -> 한남+대교, but 한남대교는 -> 한남대교): either form matches.
            base = query.Or([base, *whole_terms(w.words)[:-1]])
    extras: list[query.Query] = []
    if len(terms) > 1:
        extras += [query.Phrase(f, terms, boost=w.phrase * fw[f] * boost) for f in fields]
    if field is None:
        extras += [query.Term("words", t, boost=w.words * boost) for t, _, _ in analysis.words]
    if not extras:
        return base
    return query.AndMaybe(base, _or(extras))


def parse(text: str, schema: Schema, doc_count: int, doc_frequency: Any,
          weights: Weights = WEIGHTS, how: Reading = None) -> ParsedQuery:
    """Turn any query text into a `ParsedQuery`; never raises on the text.

    :param doc_frequency: callable (field, term) -> number of documents, used to drop
        uninformative terms from long queries.
    :param how: how keyword queries read each plain word (see `word_query`).
    """
    text = clean(text)
    if not text:
        return ParsedQuery(text, query.NullQuery, "none", ())
    # A user dictionary word written with spaces is one word, before the parser cuts at spaces.
    text = join_user_words(text)
    error = None
    try:
        words = analyze(text)
    except Exception as e:  # Kiwi refuses very little, but a query must never fail
        return ParsedQuery(text, query.NullQuery, "none", (), f"cannot analyse the query: {e}")
    distinct = {u[0] for u in words.units}
    if not distinct:
        # One word without a content morpheme (따른, 모든): searched as written, a whole
        # word of the documents' words view; among other words it is left out, and pieces
        # such as '천안 함' are left to the spacing rule. A word that is grammar on a verb
        # the index leaves out (하였습니다, 했다, 있는: words 하, 했, 있) is not in that view
        # as written: its stem alone would find every document that says 하다.
        whole = list(dict.fromkeys(t for t, _, _ in words.words))
        if len(whole) != 1 or len(text.split()) != 1 or has_syntax(text) \
                or _HANGUL_WORD.search(text[words.words[0][2]:]):
            return ParsedQuery(text, query.NullQuery, "none", ())
        return ParsedQuery(text, query.And([query.Term("words", t) for t in whole]), "all",
                           tuple(whole))
    question = is_question(text)
    long = len(text.split()) > LONG_QUERY_WORDS or len(distinct) > LONG_QUERY_TERMS
    # Questions quote names and pasted prose quotes what people said: there, quotation
    # marks are text, not phrase syntax.
    pasted = len(text.split()) > PASTED_WORDS
    if (long or question) and not has_syntax(text, quotes=not (question or pasted),
                                             signs=not question):
        kind = "question" if question else "passage"
        return _any_query(text, words, schema, doc_count, doc_frequency, weights, kind)
    try:
        # A question mark closing a word ends a sentence; inside a word it is a wildcard.
        dated, bad = without_bad_dates(text)
        dated = compact_dates(dated)
        if bad:
            error = (f"{', '.join(bad)}: not a date (write date:2025, date:2025-11, "
                     "date:2025-11-03 or date:[2025-01 TO 2025-06]); searched without it")
        plain = END_QUESTION_MARK.sub(" ", compact_ranges(dated))
        q = _KoreanParser(schema, weights, AndGroup, how).parse(plain, normalize=False)
        q = _rewrite_phrases(q, weights)
        q = q.normalize()
    except Exception as e:
        error = f"query syntax not understood ({type(e).__name__}); searched as plain words"
        q = _KoreanParser(schema, weights, AndGroup, how).parse(plain_words(text)).normalize()
    if is_null(q) or not asks_for_something(q):  # 'NOT 원전' alone, as '-원전'
        return ParsedQuery(text, query.NullQuery, "none", (), error)
    return ParsedQuery(text, q, "all", tuple(positive_terms(q)), error,
                       phrases=required_phrases(q))


def with_query(pq: ParsedQuery, q: query.Query) -> ParsedQuery:
    """`pq` searching `q` (a query made from its own) instead, with the terms and phrases
    of `q`."""
    return replace(pq, query=q, terms=tuple(positive_terms(q)), phrases=required_phrases(q))


def any_query(text: str, schema: Schema, doc_count: int, doc_frequency: Any,
              weights: Weights = WEIGHTS) -> ParsedQuery:
    """A ranked query over the plain words of `text` that no document needs to match fully;
    what the text excludes (`NOT word`, `-word`) stays excluded and is not searched for."""
    text = clean(text)
    excluded = _exclusions(text, schema, weights)
    if not excluded:
        return _any_query(text, analyze(text), schema, doc_count, doc_frequency, weights)
    banned = {t for q in excluded for leaf in positive_leaves(q)
              for t in leaf_terms(leaf, phrases=True)}
    wanted = set(positive_terms(_strict(text, schema, weights) or query.NullQuery))
    pq = _any_query(text, analyze(plain_words(text)), schema, doc_count, doc_frequency, weights,
                    skip=banned - wanted)
    if is_null(pq.query):
        return pq
    return ParsedQuery(pq.text, query.AndNot(pq.query, query.Or(excluded)), "any", pq.terms,
                       kind=pq.kind)


def _strict(text: str, schema: Schema, weights: Weights) -> query.Query | None:
    """`text` read with its syntax, as `parse` does; None when the syntax is not understood."""
    try:
        plain = END_QUESTION_MARK.sub(" ", compact_ranges(compact_dates(join_user_words(text))))
        parsed = _KoreanParser(schema, weights, AndGroup).parse(plain, normalize=False)
        return _rewrite_phrases(parsed, weights).normalize()
    except Exception:
        return None


def _exclusions(text: str, schema: Schema, weights: Weights) -> list[query.Query]:
    """What `text` excludes (the queries under its NOTs), for searches that relax the rest."""
    if not has_syntax(text):
        return []
    q = _strict(text, schema, weights)
    return [] if q is None else excluded(q)


def _any_query(text: str, words: Any, schema: Schema, doc_count: int, doc_frequency: Any,
               w: Weights, kind: str = "keywords", skip: set[str] | frozenset[str] = frozenset()
               ) -> ParsedQuery:
    # A range (6~8일) counts as a range, not as its numbers (the 6 of 6월 and the 8일 of
    # 6월 8일 are no part of it).
    spans = [r for r in range_words(text) if range_parts(r)]
    ranges = [word_query(r, w) for r in spans]
    drop = INTERROGATIVES | skip
    for r in spans:
        apart = analyze(normalize(r))
        drop = drop | {t for u in apart.units for t in (u[0], *u[4])} | {t for t, _, _ in apart.words}
    counts = Counter(t for u in words.units for t in (u[0], *u[4]) if t not in drop)
    word_counts = Counter(t for t, _, _ in words.words if t not in drop)
    for t, n in word_counts.items():
        if t not in counts and doc_frequency("body", t):
            counts[t] = n  # a name Kiwi split in the query but kept whole in documents
    words_weight = w.passage_words if kind == "passage" else w.words
    limit = max(1, int(doc_count * w.any_df_cut)) if doc_count > 50 else doc_count + 1

    def informative(field: str, counter: Counter[str]) -> list[tuple[str, int]]:
        scored = []
        for t, n in counter.items():
            df = doc_frequency(field, t)
            if 0 < df <= limit:
                scored.append((df, t, n))
        scored.sort()
        return [(t, n) for _, t, n in scored[: int(w.any_terms)]]

    subs: list[query.Query] = []
    terms = informative("body", counts)
    for rank, (t, n) in enumerate(terms):
        qtf = 1 + math.log(n)
        subs.append(query.Term("body", t, boost=w.body * qtf))
        if rank < w.any_title_terms:
            subs.append(query.Term("title", t, boost=w.title * qtf))
    for t, n in informative("words", word_counts):
        subs.append(query.Term("words", t, boost=words_weight * (1 + math.log(n))))
    if not subs:
        # Every word is in most documents: fall back to all of them, unpruned.
        subs = [query.Term("body", t) for t in counts]
        terms = list(counts.items())
    subs += ranges
    return ParsedQuery(text, query.Or(subs) if subs else query.NullQuery, "any",
                       tuple(t for t, _ in terms), kind=kind)


INTERROGATIVES = frozenset("무엇 누구 누가 언제 어디 어느 무슨 어떤 어떻 어떻게 얼마 얼마나 몇 왜 "
                           "무엇인가 누구인가 어디인가 언제인가".split())
"""Question words: in every question, in few documents, so rare enough to weigh a lot and
say nothing about the answer's document."""


def explain(pq: ParsedQuery) -> str:
    """How a query was understood, for `kosearch search --explain`."""
    kind = f" ({pq.kind})" if pq.mode == "any" else ""
    lines = [f"query:  {pq.text!r}", f"mode:   {pq.mode}{kind}"]
    if pq.error:
        lines.append(f"note:   {pq.error}")
    lines.append(f"terms:  {' '.join(pq.terms) or '(none)'}")
    lines.append(f"whoosh: {pq.query}")
    return "\n".join(lines)

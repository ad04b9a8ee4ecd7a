"""The search of one query, tier by tier: the query as typed, its corrections, what its
aliases add, then (when no document has every word) documents that share some of its words;
merged in that order into one page of `Results` with marks, a suggestion and facets.

`Index.search` calls `run` under the index's lock, with the index's analyzer active; the
functions here read the index's searcher and engine, never change them.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from whoosh import query as wq

from index.analysis import analyze, normalize
from search.compounds import compounds, used, widened
from search.documents import hit, result_marks
from search.engine import Engine, Ranked
from search.facets import allowed, facets
from search.forgiving import MAX_JOIN, apply_rewrites, rewrites
from search.query import (
    ParsedQuery,
    Reading,
    any_query,
    has_syntax,
    parse,
    with_query,
)
from search.query_tree import excluded
from search.suggest import Vocabulary, suggest, vocabulary
from search.types import Results, Rewrite, SortOrder

if TYPE_CHECKING:
    from search.api import Index

__all__ = ["FEW_RESULTS", "marked", "rewritten", "run"]

FEW_RESULTS = 3
"""A keyword query with fewer matches than this also gets a "did you mean" suggestion."""

_PLACED = re.compile(r'\b(?:title|body|source|date|tags|id):\S|\A\s*"[^"]+"\s*\Z')
"""A field in a query, or a query that is one quoted phrase: it is not relaxed to some of its
words. Quotation marks among other words are relaxed (pasted text quotes for emphasis: 24 of
the 400 precedents queries, which lost their answers, nDCG@10 0.659 -> 0.646)."""

TYPED_DOCS = 50
"""Of the documents the query as typed finds, the best this many (or as many as the pages
asked for) are ordered by whether they hold each word as typed."""

Tier = tuple[ParsedQuery, Ranked]


def run(index: Index, text: str, limit: int, page: int, since: dt.date | None,
        until: dt.date | None, sources: Sequence[str] | str | None, sort: SortOrder,
        snippet_count: int, forgiving: bool, started: float) -> Results:
    """One page of results for `text` (see `Index.search` for the parameters)."""
    s = index._searcher
    parsed = index._parse(text)
    engine = index._engine()
    keep = filters = allowed(engine, since, until, sources)
    depth = limit * page
    tiers: list[Tier] = []
    ranked: list[Tier] = []
    found: tuple[Rewrite, ...] = ()
    pq2 = parsed
    typed: ParsedQuery | None = None  # the query with each word read as typed
    compound_pq: ParsedQuery | None = None  # the query with its nouns' compounds too
    exact_depth = depth
    if parsed.mode == "none":
        # Words the analyzer reads as grammar ('천안 함': a numeral, an adverb and 하다)
        # may still be a word joined or corrected; only then is there nothing to search.
        wider = None
        if forgiving and parsed.text and not has_syntax(parsed.text):
            # Joining first: it needs no vocabulary, which takes seconds to build on a
            # large index; a query of exclusions or operators alone has nothing to rewrite.
            wider = _joined(index, parsed) or rewritten(index, parsed, correct=True,
                                                        compounds_too=False)
        if wider is None:
            return Results(query=text, hits=(), total=0, mode="none", error=parsed.error,
                           elapsed=time.perf_counter() - started,
                           kind=parsed.kind)  # type: ignore[arg-type]
        found, pq2 = wider
        (tiers if pq2.mode == "all" else ranked).append(
            (pq2, _ranked(index, pq2, keep, depth, sort)))
    else:
        if parsed.mode == "all" and _typed_otherwise(parsed.text):
            typed = _read(index, parsed.text, "typed")
            typed = None if typed.query == parsed.query else typed
        exact_depth = max(depth, TYPED_DOCS) if typed is not None else depth
        exact = _ranked(index, parsed, keep, exact_depth, sort)
        # Tiers, in the order of the ordering contract: the query as typed, its corrections
        # exactly, what only aliases add, what only compounds of its nouns add; then
        # documents that share only some words.
        tiers.append((parsed, exact))
        relaxed = _some_words(index, parsed, text, exact, keep, depth, sort)
        if forgiving and parsed.terms:
            wider = rewritten(index, parsed, correct=exact.total < FEW_RESULTS,
                              compounds_too=False)
            if wider is not None:
                found, pq2 = wider
                corrections = [r for r in found if r.rule != "alias"]
                if corrections and len(corrections) < len(found):
                    pqc = index._parse(apply_rewrites(parsed.text, corrections))
                    if pqc.mode == "all":
                        tiers.append((pqc, _ranked(index, pqc, keep, depth, sort)))
                (tiers if pq2.mode == "all" else ranked).append(
                    (pq2, _ranked(index, pq2, keep, depth, sort)))
                _typed_correction(index, parsed, found, tiers, depth, sort)
        if forgiving and not exact.total and not any(r.total for _, r in tiers[1:]) \
                and 1 < len(parsed.text.split()) <= MAX_JOIN and not has_syntax(parsed.text):
            # Words each known but never together, whose joined form is a word of the
            # index: 세계 보건 기구 for an article that writes 세계보건기구, which Kiwi keeps
            # whole (so none of its pieces is in it). Only a short query, a name typed
            # apart: in a longer one a joined pair (판단 기준) would outrank documents with
            # more of its words (precedents nDCG@10 -0.0008 with no limit).
            together = _joined(index, parsed)
            if together is not None:
                found = (*found, *together[0])
                tiers.append((together[1], _ranked(index, together[1], keep, depth, sort)))
        joined = any(r.rule == "spacing" for r in found) and any(r.total for _, r in tiers[1:])
        corrections = [r for r in found if r.rule != "alias"]
        if relaxed is not None and corrections and not joined:
            # Some words only when no article has every word even corrected, and then
            # some words of the query as corrected, never the pieces of a misspelt word:
            # 김정운 (read 김정 + 운) found as 김정은 brings no article for a lone 운.
            fixed = apply_rewrites(parsed.text, corrections)
            relaxed = None if any(r.total for _, r in tiers[1:]) else _some_words(
                index, index._parse(fixed), fixed, exact, keep, depth, sort)
        if relaxed is not None and not joined:
            # The pieces of a word written apart ('반 기문': 반 as in "3시 반") are not words
            # the user meant once the joined word is found: no tier of some words for them.
            ranked.insert(0, relaxed)
        if parsed.mode == "all":
            # (Parsing again costs milliseconds: only when some word may read otherwise.)
            wider_pq = _widened(index, parsed) if forgiving else parsed
            if wider_pq is not parsed:
                compound_pq = wider_pq
                # When the query as typed fills the pages asked for, this tier only counts
                # (its phrases then rank no documents).
                tiers.append((wider_pq, _ranked(index, wider_pq, keep,
                                                depth if exact.total < depth else 1, sort)))
    if found:
        narrower = _without_excluded(engine, pq2, keep, tiers + ranked)
        if narrower is not None:  # an alias of an excluded word is excluded too
            keep = narrower
            tiers = [(pq, _ranked(index, pq, keep, exact_depth if i == 0 else depth, sort))
                     for i, (pq, _) in enumerate(tiers)]
            ranked = [(pq, _ranked(index, pq, keep, depth, sort)) for pq, _ in ranked]
    if typed is not None and tiers[0][1].total:
        # First, of the best documents of the query as typed, those that hold each word as
        # typed: a compound's morphemes together (인수위원회), a prefix Kiwi reads apart
        # kept (대학살). Only the best: positions to read in every match cost too much.
        best = np.zeros(engine.n, dtype=bool)
        best[tiers[0][1].docnums] = True
        tiers.insert(0, (typed, _ranked(index, typed, best, depth, sort)))
        if not tiers[0][1].total and any(r.rule not in ("alias", "compound") for r in found) \
                and any(r.total for pq, r in tiers[2:] if pq is not compound_pq):
            # No document holds the misspelt word as typed, only its pieces apart (세월오
            # read 세월 + 오: an article with 세월 and an 오), and its correction found some:
            # those pieces come after what the correction found.
            tiers.append(tiers.pop(1))
    ordered = _merged(tiers + ranked)
    if sort == "date":  # newest first whichever tier found a document
        keys = engine.column("date")
        ordered.sort(key=lambda ds: -int(keys[ds[0]]))
    every = tiers + ranked
    mask = every[0][1].mask.copy()
    for _pq, r in every[1:]:
        mask |= r.mask
    if compound_pq is not None:
        found += _compounds_used(index, parsed, compound_pq, every)
    total = int(mask.sum())
    every_word = any(r.total for _pq, r in tiers)
    mode = "all" if every_word or not any(r.total for _pq, r in ranked) else "any"
    if parsed.mode == "any":
        mode = "any"
    # The tier of words as typed only orders what the query as typed found, which marks it.
    terms, phrases = marked([pq for pq, r in tiers + ranked if r.total and pq is not typed],
                            widest=pq2 if found else None)
    suggestion = None
    # Offered for a keyword query that found few documents or only some of its words; for a
    # question or a paragraph only when it found few; never for a query with operators (the
    # suggestion would rewrite their words: title:부시 as title:무시), nor when the words as
    # typed are all in some document (세계 보건 is no typo of 세계 조건 for being rare).
    as_typed = any(r.total for pq, r in tiers if pq is parsed)
    if parsed.terms and len(parsed.terms) <= 6 and not has_syntax(parsed.text) and (
            (total < FEW_RESULTS and not as_typed) or (mode == "any" and parsed.mode == "all")):
        suggestion = suggest(s, parsed.text)
        if found and suggestion and " ".join(suggestion.split()) == " ".join(
                apply_rewrites(parsed.text, [r for r in found if r.rule != "alias"]).split()):
            suggestion = None  # the correction already searched: said once, not twice
        if total and all(r.rule in ("particle", "spacing", "alias", "compound") for r in found) \
                and any(r.rule in ("particle", "spacing") for r in found):
            suggestion = None  # 곰이 read as 곰 + 이 found it: no 고민 to offer
    top = ordered[(page - 1) * limit: page * limit]
    # Marks only for what will be shown (benchmarks and scripts may want none).
    docnums = [d for d, _ in top] if snippet_count else []
    stored = {d: s.stored_fields(d) for d in docnums}
    body_marks, title_marks = result_marks(engine, s, stored, terms, phrases)
    hits = tuple(hit(stored.get(docnum) or s.stored_fields(docnum), score,
                     body_marks.get(docnum, []),
                     title_marks.get(docnum, []), snippet_count) for docnum, score in top)
    by_source, by_month = facets(engine, mask)
    unfiltered = 0
    if total == 0 and filters is not None:  # say the filters emptied the page, not the query
        unfiltered = _unfiltered(engine, pq2 if found else None, tiers + ranked)
    return Results(
        query=text,
        hits=hits,
        total=total,
        suggestion=suggestion,
        mode=mode,  # type: ignore[arg-type]
        page=page,
        pagelen=limit,
        elapsed=time.perf_counter() - started,
        sources=by_source,
        months=by_month,
        rewrites=found,
        error=parsed.error or index.synonyms_error,
        kind=parsed.kind,  # type: ignore[arg-type]
        unfiltered=unfiltered,
    )


def _unfiltered(engine: Engine, widest: ParsedQuery | None, tiers: list[Tier]) -> int:
    """How many documents the tiers' queries match with no date or source filter (less
    those an alias of an excluded word rules out, as with the filters)."""
    found = [engine.run(pq.query, allowed=None, limit=1) for pq, _r in tiers]
    if not found:
        return 0
    mask = np.logical_or.reduce([r.mask for r in found])
    if widest is not None:
        keep = _without_excluded(engine, widest, None, [(widest, r) for r in found])
        if keep is not None:
            mask &= keep
    return int(mask.sum())


def _some_words(index: Index, parsed: ParsedQuery, text: str, exact: Ranked,
                keep: np.ndarray | None, depth: int, sort: SortOrder) -> Tier | None:
    """The tier of documents that share some words of a keyword query of which no document
    holds every word; None when some document does, or when a prefix makes "some"
    meaningless, or a field or a quoted phrase alone says where and how to find (title:부시,
    "탄소 중립": their words would be searched anywhere, apart). What the query
    excludes stays excluded (see `any_query`)."""
    if parsed.mode != "all" or exact.total or not parsed.terms \
            or any(t.endswith("*") for t in parsed.terms) or _PLACED.search(parsed.text):
        return None
    s = index._searcher
    relaxed = any_query(text, s.schema, s.doc_count(), s.doc_frequency, index.weights)
    if not relaxed.terms:
        return None
    # Marked with every query word, not only the rare ones.
    return (ParsedQuery(relaxed.text, relaxed.query, "any", parsed.terms, kind=relaxed.kind),
            _ranked(index, relaxed, keep, depth, sort))


def _without_excluded(engine: Engine, widest: ParsedQuery, keep: np.ndarray | None,
                      found: list[Tier]) -> np.ndarray | None:
    """`keep` less the documents that the NOTs of `widest` (the query with its aliases) rule
    out, when some tier found one of them: `반도체 NOT 엔비디아` then leaves out the article
    that writes only Nvidia, which the query as typed does not exclude. None: nothing to drop."""
    negated = excluded(widest.query)
    if not negated:
        return None
    out = engine.run(wq.Or(negated), allowed=keep, limit=1).mask
    if not any((r.mask & out).any() for _pq, r in found):
        return None
    return ~out if keep is None else keep & ~out


def _merged(tiers: list[Tier]) -> list[tuple[int, float]]:
    """(document, score) of every tier's top documents, in tier order, each document once
    (where the first tier that found it put it)."""
    ordered, seen = [], set()
    for _pq, r in tiers:
        for d, sc in zip(r.docnums.tolist(), r.scores.tolist(), strict=True):
            if d not in seen:
                seen.add(d)
                ordered.append((d, sc))
    return ordered


def marked(used: Sequence[ParsedQuery], widest: ParsedQuery | None
           ) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """What to mark for the queries that found the documents: loose terms and phrases.

    With `widest` (the query with its aliases), a name of several words that has an alias is a
    phrase there: its words are marked only together, though the query as typed found them
    apart (미국 항공우주국 marks no lone 미국).
    """
    terms = dict.fromkeys(t for pq in used for t in pq.loose_terms)
    phrases = tuple(dict.fromkeys(p for pq in used for p in pq.phrases))
    if widest is not None and phrases:
        inside = {w for p in phrases for w in p}
        loose = set(widest.loose_terms)
        terms = dict.fromkeys(t for t in terms if t not in inside or t in loose)
    return tuple(terms), phrases


def rewritten(index: Index, pq: ParsedQuery, *, correct: bool, compounds_too: bool = True
              ) -> tuple[tuple[Rewrite, ...], ParsedQuery] | None:
    """The query with its aliases (and, with `correct`, its corrections) applied, and what
    fired; None when nothing applies or the result has no words.

    :param compounds_too: the query also reads the compounds of its nouns (see
        `search.compounds`), even when nothing else applies: what the marks of a whole
        document need (`Index.document`), as `run` searches them in a tier of their own.
    """
    s = index._searcher
    aliases = index._aliases
    if pq.mode == "any":
        # Questions and pasted paragraphs already rank by shared words; rewriting them
        # would turn prose into OR groups.
        return None
    found: list[Rewrite] = []
    if correct or aliases:
        vocab = vocabulary(s) if correct else Vocabulary(())
        found = rewrites(pq.text, vocab, aliases,
                         known=lambda w: s.doc_frequency("words", w) > 0)
    text = apply_rewrites(pq.text, found)
    pq2 = index._parse(text) if found and text != pq.text else pq
    if compounds_too and pq2.mode == "all":
        pq2 = _widened(index, pq2)
    return None if pq2 is pq or pq2.mode == "none" else (tuple(found), pq2)


def _widened(index: Index, pq: ParsedQuery) -> ParsedQuery:
    """`pq` with its nouns also standing for their compounds (see `search.compounds`), or
    `pq` itself when none has any."""
    alternatives = compounds(index._engine(), index.weights)
    if not any(alternatives(t) for t in pq.terms):
        return pq
    q = widened(pq.query, alternatives)
    return pq if q == pq.query else with_query(pq, q)


def _compounds_used(index: Index, parsed: ParsedQuery, compound_pq: ParsedQuery,
                    every: list[Tier]) -> tuple[Rewrite, ...]:
    """The compounds of the query's nouns (rule "compound": 대통령 -> 대통령실) that hold a
    document only the compound tier found, so that what the search did is said."""
    only = next((r.mask.copy() for pq, r in every if pq is compound_pq), None)
    if only is None:
        return ()
    for pq, r in every:
        if pq is not compound_pq:
            only &= ~r.mask
    if not only.any():
        return ()
    return tuple(Rewrite("compound", term, whole) for term, whole in
                 used(index._engine(), index.weights, dict.fromkeys(parsed.terms), only))


def _joined(index: Index, pq: ParsedQuery) -> tuple[tuple[Rewrite, ...], ParsedQuery] | None:
    """A query with no words to search, its pieces joined into a word the index holds
    ('천안 함' as 천안함). The pieces count as unknown here, though the index may hold them
    (천안, 함), because as typed they searched for nothing."""
    s = index._searcher
    pieces = set(pq.text.split())
    found = [r for r in rewrites(
        pq.text, Vocabulary(()),
        known=lambda w: w not in pieces and s.doc_frequency("words", w) > 0)
        if r.rule == "spacing"]
    if not found:
        return None
    pq2 = index._parse(apply_rewrites(pq.text, found))
    return None if pq2.mode == "none" else (tuple(found), pq2)


def _typed_correction(index: Index, parsed: ParsedQuery, found: Sequence[Rewrite],
                      tiers: list[Tier], depth: int, sort: SortOrder) -> None:
    """Put before the tier of the corrected query, as the query as typed has, a tier of its
    best documents that hold each corrected word as written: 세월오 corrected to 세월호 (read
    세월 + 호) first lists the articles on the 세월호, not one with 세월 and a 호 apart."""
    corrections = [r for r in found if r.rule not in ("alias", "compound")]
    if parsed.mode != "all" or not corrections:
        return
    fixed = apply_rewrites(parsed.text, corrections)
    at = next((i for i, (pq, r) in enumerate(tiers) if i and r.total and pq.text == fixed),
              None)
    if at is None or not _typed_otherwise(fixed):
        return
    typed = _read(index, fixed, "typed")
    if typed.mode != "all" or typed.query == tiers[at][0].query:
        return
    best = np.zeros(index._engine().n, dtype=bool)
    best[tiers[at][1].docnums] = True
    tiers.insert(at, (typed, _ranked(index, typed, best, depth, sort)))


def _typed_otherwise(text: str) -> bool:
    """Whether a word of `text` may read otherwise as typed (see `search.query.word_query`):
    a compound of several morphemes, not a number with its unit, or a word whose one
    morpheme is not the whole word."""
    for word in text.split():
        analysis = analyze(normalize(word))
        units = analysis.units
        if len(units) > 1 and not units[0][0][:1].isdigit():
            return True
        if len(units) == 1 and [w for w, _, _ in analysis.words] not in ([], [units[0][0]]):
            return True
    return False


def _read(index: Index, text: str, how: Reading) -> ParsedQuery:
    """`text` parsed with each plain word read `how` (see `search.query.word_query`)."""
    s = index._searcher
    return parse(text, s.schema, s.doc_count(), s.doc_frequency, index.weights, how)


def _ranked(index: Index, pq: ParsedQuery, keep: np.ndarray | None, limit: int,
            sort: SortOrder) -> Ranked:
    """The matches of one tier's query, its best `limit` first (newest first by date)."""
    engine = index._engine()
    key = engine.column("date") if sort == "date" else None
    w = index.weights
    bm25 = (w.passage_k1, w.passage_b) if pq.kind == "passage" else None
    near = pq.mode == "any" and key is None and w.proximity > 0
    depth = max(limit, int(w.proximity_docs)) if near else limit
    ranked = engine.run(pq.query, allowed=keep, limit=depth, sort_key=key, bm25=bm25)
    if near and len(ranked.docnums) > 1:
        ranked = _near(index, engine, pq, ranked, limit)
    return ranked


def _near(index: Index, engine: Engine, pq: ParsedQuery, ranked: Ranked, limit: int) -> Ranked:
    """Re-rank the best documents of a ranked query by how close together they hold its
    words (see `Engine.proximity`)."""
    w = index.weights
    terms: dict[str, float] = {}
    for leaf in pq.query.leaves():
        if isinstance(leaf, wq.Term) and leaf.fieldname == "body":
            terms[leaf.text] = engine.idf("body", leaf.text)
    top = int(w.proximity_docs)
    head, tail = ranked.docnums[:top], ranked.docnums[top:]
    order = np.argsort(head)
    near = np.empty(len(head))
    near[order] = engine.proximity("body", list(terms.items()), head[order],
                                   int(w.proximity_width))
    scores = ranked.scores[:top] + w.proximity * near
    best = np.argsort(-scores, kind="stable")
    docnums = np.concatenate([head[best], tail])[:limit]
    scores = np.concatenate([scores[best], ranked.scores[top:]])[:limit]
    return Ranked(docnums, scores, ranked.total, ranked.mask)

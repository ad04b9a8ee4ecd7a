"""The library search API: open an index, search it, read documents with their matches marked.

This is the core that the command line, the terminal UI and users' scripts all go through;
it has no user interface of its own and never raises on query text.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import os
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.index import FileIndex
from whoosh.searching import Searcher
from whoosh.util.times import datetime_to_long, long_to_datetime

from index.aliases import AliasTable, SynonymsError, load_synonyms
from index.analysis import Analyzer
from index.documents.common import page_of
from index.records import date_bound
from index.store import (
    FORMAT_VERSION,
    default_index_dir,
    open_existing,
    read_dictionary_record,
    read_marker,
    user_data_dir,
)
from search.engine import CACHE_POSTINGS, SCORED_FIELDS, Engine, Ranked
from search.forgiving import apply_rewrites, rewrites
from search.freshness import CommitStamp, commit_stamp
from search.highlight import find_marks, find_phrase_marks, merge_marks, snippets
from search.query import WEIGHTS, ParsedQuery, Weights, any_query, explain, parse
from search.scoring import KoBM25
from search.suggest import Vocabulary, suggest, vocabulary
from search.types import Document, Facet, Hit, IndexStats, Results, Rewrite, SortOrder

__all__ = ["Index", "open_index"]

log = logging.getLogger(__name__)

PREFETCH_SHARE_OF_CACHE = 0.6
"""`prefetch` fills at most this share of the engine's postings cache, leaving room for the
terms queries bring."""
FEW_RESULTS = 3
"""A keyword query with fewer matches than this also gets a "did you mean" suggestion."""


def open_index(path: str | Path | None = None) -> Index:
    """Open an index for searching.

    With no `path`: `KOSEARCH_INDEX`, else the user's index, else (when the user has indexed
    nothing yet) the embedded sample corpus, built on first use.
    Raises `index.IndexError_` with advice when the folder is not a readable kosearch index.
    """
    is_sample = False
    if path is None:
        path = default_index_dir()
        if not os.environ.get("KOSEARCH_INDEX") and read_marker(path) is None:
            from index.sample import ensure_sample_index

            path = ensure_sample_index()
            is_sample = True
    return Index(open_existing(Path(path)), Path(path), is_sample=is_sample)


def _to_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


class Index:
    """An open kosearch index. Thread-safe: searches run one at a time under a lock."""

    def __init__(self, ix: FileIndex, path: Path, *, is_sample: bool = False,
                 weights: Weights = WEIGHTS) -> None:
        self._ix = ix
        self.path = path
        self.is_sample = is_sample
        self.weights = weights
        self._lock = threading.RLock()
        # Taken after the index was opened: a commit landing in between is seen as a change
        # by the next search, which then opens the index again (harmless, once).
        self._stamp: CommitStamp | None = commit_stamp(path)
        self._searcher: Searcher = ix.searcher(weighting=self._weighting())
        self._engine_: Engine | None = None
        self.synonyms_error: str | None = None
        self._aliases = self._load_aliases()
        self._analyzer = self._load_analyzer()

    def _load_analyzer(self) -> Analyzer:
        """How this index's queries are read: Kiwi with the user dictionary words of the
        commit being searched, whatever another open index or the dictionary file says, and
        the commit's lexicon (`index.lexicon`: words the index holds are read without Kiwi)."""
        from index.analysis import ANALYZER_VERSION
        from index.lexicon import open_lexicon

        generation = self._generation()
        words = read_dictionary_record(self.path, generation)
        if generation is None:  # no commit yet: nothing to look up
            return Analyzer(words)
        return Analyzer(words, open_lexicon(self.path, generation, words, ANALYZER_VERSION))

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """One search at a time, analysed with this index's analyzer."""
        with self._lock, self._analyzer.active():
            yield

    def _load_aliases(self) -> AliasTable:
        """Aliases learned at indexing time, with the user's synonyms file applied."""
        table = AliasTable.load(self.path, self._generation())
        path = user_data_dir() / "synonyms.txt"
        self.synonyms_error = None
        if path.exists():
            try:
                table.use_synonyms(load_synonyms(path))
            except (SynonymsError, OSError) as e:
                self.synonyms_error = str(e)
        return table

    def _generation(self) -> int | None:
        """The commit being searched (None for an index without one)."""
        generation = self._searcher.reader().generation()
        return None if generation is None or generation < 0 else int(generation)

    @property
    def aliases(self) -> AliasTable:
        """The alias table (learned glosses and user synonyms)."""
        return self._aliases

    def _weighting(self) -> KoBM25:
        w = self.weights
        return KoBM25(B=w.b, K1=w.k1, title_B=w.title_b)

    def set_weights(self, weights: Weights) -> None:
        """Rank with other weights from now on (used by the quality benchmark to tune them)."""
        with self._lock:
            self.weights = weights
            self._searcher = self._ix.searcher(weighting=self._weighting())
            if self._engine_ is not None:  # same documents: keep the postings read so far
                self._engine_.searcher = self._searcher
                self._engine_.weights = weights

    # -- life cycle -----------------------------------------------------------------------

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            self._searcher.close()

    def refresh(self) -> None:
        """See the changes of every indexing run that finished since the index was opened
        (searches do this by themselves when `changed`). Everything read from the old
        commit is dropped: postings, columns, aliases, and the user dictionary words
        queries are analysed with (a --reanalyze run elsewhere may have changed them).

        Raises `index.IndexError_` when the folder is no longer a readable index; the old
        view stays in use then."""
        with self._lock:
            stamp = commit_stamp(self.path)
            ix = open_existing(self.path)  # checks the marker, sets the dictionary words
            searcher = ix.searcher(weighting=self._weighting())
            old = self._searcher
            self._ix, self._searcher, self._stamp = ix, searcher, stamp
            self._engine_ = None  # its postings, columns and posting files are the old commit's
            self._analyzer = self._load_analyzer()
            self._aliases = self._load_aliases()
            old.close()

    @property
    def changed(self) -> bool:
        """Whether another commit than the one being searched is in the folder now (by any
        process; 0.1 ms or less, see `search.freshness.commit_stamp`)."""
        stamp = commit_stamp(self.path)
        return stamp is not None and stamp != self._stamp

    def _follow(self) -> None:
        """Refresh when another process committed; keep the old view when that fails (the
        folder half replaced by a killed run, say) and say so in the log."""
        if not self.changed:
            return
        try:
            self.refresh()
        except Exception:
            log.warning("the index at %s changed but cannot be opened again; searching the "
                        "commit opened before", self.path, exc_info=True)
            self._stamp = commit_stamp(self.path)  # not again at every search

    def warm_up(self, *, background: bool = True) -> None:
        """Load the Korean analyzer (2-3 s) and the vocabulary for suggestions now, rather
        than on the first query that needs them.

        :param background: with the index's lexicon, load Kiwi in a child process instead
            (the default), which reads the words the lexicon does not know; this process
            never stops for it (kiwipiepy holds the GIL while it loads, so a thread would
            freeze a UI). False: in this process.
        """
        if background and self._analyzer.lexicon is not None:
            self._analyzer.load_in_background()
        else:
            self._analyzer.kiwi()
        with self._lock:
            vocabulary(self._searcher)

    def prefetch(self, share: float = 0.01) -> int:
        """Read ahead the postings of the terms found in more than `share` of the documents
        (seconds on a large index; searches may run meanwhile, from another thread). Returns
        the number of terms read. An index whose segments all have posting files (see
        `index.postings`) needs none of that: their files are read once into the system's
        cache instead, and the count is of the terms they hold."""
        with self._lock:
            engine = self._engine()
            sidecars = list(engine.sidecars)
            if sidecars and all(s is not None for s in sidecars):
                scans = []
            else:
                scans = [(field, engine.scan_terms(field)) for field in SCORED_FIELDS]
        ready = [s for s in sidecars if s is not None]
        if not scans:  # every segment has its posting file: have the system read it ahead
            for sidecar in ready:
                sidecar.warm()
            return sum(len(s.keys) for s in ready)
        least = max(2, int(engine.n * share))
        found: list[tuple[int, str, str]] = []
        for field, scan in scans:
            # The term list of a large index takes seconds to walk: a slice at a time, so
            # searches from another thread wait for one slice at most.
            while True:
                with self._lock:
                    if engine is not self._engine_:  # refreshed meanwhile: its reader is closed
                        return 0
                    chunk = list(itertools.islice(scan, 4096))
                found += [(-df, field, text) for text, df in chunk if df >= least]
                if not chunk:
                    break
        terms = [(field, text) for _, field, text in sorted(found)]
        done = 0
        for field, text in terms:
            with self._lock:
                if engine is not self._engine_ or engine.cached > PREFETCH_SHARE_OF_CACHE * \
                        CACHE_POSTINGS:  # refreshed meanwhile, or enough memory spent
                    break
                engine.postings(field, text)
                done += 1
        return done

    @property
    def ready(self) -> bool:
        """Whether a query runs without first loading the analyzer: it is loaded, or the
        index's lexicon reads the words the index holds (others still load it)."""
        return self._analyzer.loaded or self._analyzer.lexicon is not None

    @property
    def doc_count(self) -> int:
        return int(self._searcher.doc_count())

    # -- searching ------------------------------------------------------------------------

    def parse(self, text: str) -> ParsedQuery:
        """How `text` is understood (see `explain` for a readable form)."""
        with self._reading():
            s = self._searcher
            return parse(text, s.schema, s.doc_count(), s.doc_frequency, self.weights)

    def explain(self, text: str) -> str:
        """How a query is understood: mode, terms and the Whoosh query, as text."""
        with self._reading():
            return explain(self.parse(text))

    def search(
        self,
        text: str,
        *,
        limit: int = 10,
        page: int = 1,
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        sources: Sequence[str] | str | None = None,
        sort: SortOrder = "relevance",
        snippet_count: int = 2,
        forgiving: bool = True,
    ) -> Results:
        """Search the index; any text is accepted and the call never raises on it.

        A commit made since the last search (by this process or another) is searched: see
        `changed`. A query whose syntax cannot be parsed is searched as plain words and says so
        in `Results.error`; a fault of the search itself (a bug, a damaged index) gives empty
        results with `Results.failure` set and is logged with its traceback.

        Keyword queries require every word (`A NOT B` excludes); long queries and keyword
        queries that match nothing rank documents by the words they share with the query.

        :param since, until: dates (or `2025-11-01`-like strings) bounding the document date.
        :param sources: keep only documents from these sources.
        :param forgiving: allow rewrites such as suggestions applied to queries that match nothing.
        """
        started = time.perf_counter()
        limit = max(1, min(int(limit), 1000))
        page = max(1, int(page))
        with self._lock:
            try:
                self._follow()  # may open a newer commit, with its own analyzer
                with self._analyzer.active():
                    return self._search(text, limit, page, date_bound(since),
                                        date_bound(until, end=True),
                                        sources, sort, snippet_count, forgiving, started)
            except Exception as e:  # the promise: no query text makes the library raise
                log.exception("search failed for the query %r in %s", text, self.path)
                return Results(query=text, hits=(), total=0, mode="none",
                               elapsed=time.perf_counter() - started,
                               failure=f"search failed ({type(e).__name__}: {e})")

    def _engine(self) -> Engine:
        if self._engine_ is None:
            self._engine_ = Engine(self._searcher, self.weights, self.path)
        return self._engine_

    def _allowed(self, since: dt.date | None, until: dt.date | None,
                 sources: Sequence[str] | str | None) -> np.ndarray | None:
        """The documents the filters keep, as a mask (None: no filter)."""
        engine = self._engine()
        allowed = None
        if since or until:
            keys = engine.column("date")
            allowed = keys > 0
            if since:
                allowed &= keys >= datetime_to_long(dt.datetime.combine(since, dt.time.min))
            if until:
                allowed &= keys <= datetime_to_long(dt.datetime.combine(until, dt.time.max))
        if sources:
            names = {sources} if isinstance(sources, str) else set(sources)
            codes, labels = engine.column("source")
            wanted = [i for i, label in enumerate(labels) if label in names]
            keep = np.isin(codes, wanted)
            allowed = keep if allowed is None else allowed & keep
        return allowed

    def _search(self, text: str, limit: int, page: int, since: dt.date | None,
                until: dt.date | None, sources: Sequence[str] | str | None, sort: SortOrder,
                snippet_count: int, forgiving: bool, started: float) -> Results:
        s = self._searcher
        parsed = self.parse(text)
        if parsed.mode == "none":
            return Results(query=text, hits=(), total=0, mode="none", error=parsed.error,
                           elapsed=time.perf_counter() - started, kind=parsed.kind)  # type: ignore[arg-type]
        allowed = self._allowed(since, until, sources)
        depth = limit * page
        exact = self._run(parsed, allowed, depth, sort)
        # Tiers, in the order of the ordering contract: the query as typed, its corrections
        # exactly, what only aliases add; then documents that share only some words.
        tiers: list[tuple[ParsedQuery, Ranked]] = [(parsed, exact)]
        ranked: list[tuple[ParsedQuery, Ranked]] = []
        if parsed.mode == "all" and exact.total == 0 and parsed.terms \
                and not any(t.endswith("*") for t in parsed.terms):
            relaxed = any_query(text, s.schema, s.doc_count(), s.doc_frequency, self.weights)
            if relaxed.terms:  # marked with every query word, not only the rare ones
                ranked.append((ParsedQuery(relaxed.text, relaxed.query, "any", parsed.terms,
                                           kind=relaxed.kind),
                               self._run(relaxed, allowed, depth, sort)))
        found: tuple[Rewrite, ...] = ()
        pq2 = parsed
        if forgiving and parsed.terms:
            wider = self._rewritten(parsed, correct=exact.total < FEW_RESULTS)
            if wider is not None:
                found, pq2 = wider
                corrections = [r for r in found if r.rule != "alias"]
                if corrections and len(corrections) < len(found):
                    pqc = self.parse(apply_rewrites(parsed.text, corrections))
                    if pqc.mode == "all":
                        tiers.append((pqc, self._run(pqc, allowed, depth, sort)))
                (tiers if pq2.mode == "all" else ranked).append(
                    (pq2, self._run(pq2, allowed, depth, sort)))
        ordered, seen = [], set()
        for _pq, r in tiers + ranked:
            for d, sc in zip(r.docnums.tolist(), r.scores.tolist(), strict=True):
                if d not in seen:
                    seen.add(d)
                    ordered.append((d, sc))
        if sort == "date":  # newest first whichever tier found a document
            keys = self._engine().column("date")
            ordered.sort(key=lambda ds: -int(keys[ds[0]]))
        mask = tiers[0][1].mask.copy()
        for _pq, r in tiers[1:] + ranked:
            mask |= r.mask
        total = int(mask.sum())
        every_word = any(r.total for _pq, r in tiers)
        mode = "all" if every_word or not any(r.total for _pq, r in ranked) else "any"
        if parsed.mode == "any":
            mode = "any"
        terms, phrases = _marked([pq for pq, r in tiers + ranked if r.total],
                                 widest=pq2 if found else None)
        suggestion = None
        if parsed.terms and (total < FEW_RESULTS or mode == "any") and len(parsed.terms) <= 6:
            suggestion = suggest(s, parsed.text)
            if found and suggestion and " ".join(suggestion.split()) == " ".join(
                    apply_rewrites(parsed.text, [r for r in found if r.rule != "alias"]).split()):
                suggestion = None  # the correction already searched: said once, not twice
        top = ordered[(page - 1) * limit: page * limit]
        # Marks only for what will be shown (benchmarks and scripts may want none).
        docnums = [d for d, _ in top] if snippet_count else []
        body_marks, title_marks = (self._marks(f, terms, phrases, docnums)
                                   for f in ("body", "title"))
        hits = []
        for docnum, score in top:
            fields = s.stored_fields(docnum)
            body = fields.get("body", "")
            title, tmarks = _title(fields.get("title", ""), title_marks.get(docnum, []),
                                   body, body_marks.get(docnum, []))
            snips = (snippets(body, body_marks.get(docnum, []), count=snippet_count)
                     if snippet_count else ())
            if fields.get("pages"):  # a PDF: say which page each passage is on
                snips = tuple(replace(s, page=page_of(fields["pages"], s.start + (
                    s.marks[0][0] if s.marks else 0))) if s.field == "body" else s for s in snips)
            hits.append(Hit(
                id=fields.get("id", ""),
                title=title,
                score=float(score),
                date=_to_date(fields.get("date")),
                source=fields.get("source", ""),
                url=fields.get("url", ""),
                tags=tuple(t for t in fields.get("tags", "").split(",") if t),
                path=fields.get("path", ""),
                snippets=snips,
                title_marks=merge_marks(tmarks),
            ))
        groups, months = self._facets(mask)
        return Results(
            query=text,
            hits=tuple(hits),
            total=total,
            suggestion=suggestion,
            mode=mode,  # type: ignore[arg-type]
            page=page,
            pagelen=limit,
            elapsed=time.perf_counter() - started,
            sources=tuple(Facet(k, v) for k, v in
                          sorted(groups.items(), key=lambda kv: (-kv[1], kv[0]))),
            months=tuple(Facet(k, v) for k, v in sorted(months.items()) if k),
            rewrites=found,
            error=parsed.error or self.synonyms_error,
            kind=parsed.kind,  # type: ignore[arg-type]
        )

    def _marks(self, field: str, terms: Sequence[str], phrases: Sequence[tuple[str, ...]],
               docnums: Sequence[int]) -> dict[int, list[tuple[int, int, str]]]:
        """Marks of loose terms wherever they stand, and of each phrase only where its words
        stand together (one mark per occurrence, so snippets are chosen for the phrase)."""
        found = self._engine().marks(field, terms, docnums)
        if phrases and docnums:
            for d, marks in find_phrase_marks(self._searcher, field, phrases, docnums).items():
                found[d] = sorted(found.get(d, []) + marks)
        return found

    def _facets(self, mask: np.ndarray) -> tuple[dict[str, int], dict[str, int]]:
        """Matches per source and per month (facets need every match; ranked queries, mode
        "any", match most of the index loosely, where such counts mean little)."""
        engine = self._engine()
        codes, labels = engine.column("source")
        per_source = np.bincount(codes[mask], minlength=len(labels))
        month_codes, month_labels = self._months(engine)
        per_month = np.bincount(month_codes[mask], minlength=len(month_labels))
        return ({labels[i]: int(c) for i, c in enumerate(per_source) if c},
                {month_labels[i]: int(c) for i, c in enumerate(per_month) if c})

    def _months(self, engine: Engine) -> tuple[np.ndarray, list[str]]:
        got = engine._columns.get("_month")
        if got is None:
            keys = engine.column("date")
            unique, inverse = np.unique(keys, return_inverse=True)
            names = [_month(int(k)) if k > 0 else "" for k in unique]
            labels = sorted(set(names))
            index = {m: i for i, m in enumerate(labels)}
            got = (np.array([index[m] for m in names], dtype=np.int64)[inverse], labels)
            engine._columns["_month"] = got
        return got

    def _rewritten(self, pq: ParsedQuery, *, correct: bool
                   ) -> tuple[tuple[Rewrite, ...], ParsedQuery] | None:
        s = self._searcher
        if pq.mode == "any" or (not correct and not self._aliases):
            # Questions and pasted paragraphs already rank by shared words; rewriting them
            # would turn prose into OR groups.
            return None
        vocab = vocabulary(s) if correct else Vocabulary(())
        found = rewrites(pq.text, vocab, self._aliases,
                         known=lambda w: s.doc_frequency("words", w) > 0)
        if not found:
            return None
        text = apply_rewrites(pq.text, found)
        if text == pq.text:
            return None
        pq2 = self.parse(text)
        return None if pq2.mode == "none" else (tuple(found), pq2)

    def _run(self, pq: ParsedQuery, allowed: np.ndarray | None, limit: int,
             sort: SortOrder) -> Ranked:
        engine = self._engine()
        key = engine.column("date") if sort == "date" else None
        w = self.weights
        bm25 = (w.passage_k1, w.passage_b) if pq.kind == "passage" else None
        near = pq.mode == "any" and key is None and w.proximity > 0
        depth = max(limit, int(w.proximity_docs)) if near else limit
        ranked = engine.run(pq.query, allowed=allowed, limit=depth, sort_key=key, bm25=bm25)
        if near and len(ranked.docnums) > 1:
            ranked = self._near(engine, pq, ranked, limit)
        return ranked

    def _near(self, engine: Engine, pq: ParsedQuery, ranked: Ranked, limit: int) -> Ranked:
        """Re-rank the best documents of a ranked query by how close together they hold its
        words (see `Engine.proximity`)."""
        w = self.weights
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

    # -- documents ------------------------------------------------------------------------

    def document(self, doc_id: str, query: str = "", *, forgiving: bool = True
                 ) -> Document | None:
        """The whole stored document `doc_id`, with every match of `query` marked (including
        what the query's forgiving rewrites matched, as in `search`)."""
        with self._reading():
            s = self._searcher
            docnum = s.document_number(id=doc_id)
            if docnum is None:
                return None
            fields = s.stored_fields(docnum)
            terms: tuple[str, ...] = ()
            phrases: tuple[tuple[str, ...], ...] = ()
            if query:
                try:
                    pq = self.parse(query)
                    wider = self._rewritten(pq, correct=True) if forgiving else None
                    terms, phrases = _marked([pq] if wider is None else [pq, wider[1]],
                                             widest=None if wider is None else wider[1])
                except Exception:  # marks are a courtesy; the document is still returned
                    log.exception("marking the query %r in %s failed", query, doc_id)
                    terms, phrases = (), ()

            def marks(field: str) -> list[Any]:
                found = find_marks(s, field, terms, [docnum]).get(docnum, [])
                together = find_phrase_marks(s, field, phrases, [docnum]).get(docnum, [])
                return sorted(found + together)

            body = marks("body")
            title_text, title = _title(fields.get("title", ""), marks("title"),
                                       fields.get("body", ""), body)
            return Document(
                id=fields.get("id", ""),
                title=title_text,
                body=fields.get("body", ""),
                date=_to_date(fields.get("date")),
                source=fields.get("source", ""),
                url=fields.get("url", ""),
                tags=tuple(t for t in fields.get("tags", "").split(",") if t),
                path=fields.get("path", ""),
                title_marks=merge_marks(title),
                body_marks=merge_marks(body),
                pages=tuple(fields.get("pages") or ()),
            )

    def stats(self) -> IndexStats:
        """Documents, sources, date span, size and format of the index."""
        with self._lock:
            reader = self._searcher.reader()
            sources: Counter[str] = Counter()
            first = last = None
            if reader.doc_count():
                engine = self._engine()
                codes, labels = engine.column("source")
                per_source = np.bincount(codes[engine.live], minlength=len(labels))
                sources.update({labels[i]: int(c) for i, c in enumerate(per_source) if c})
                keys = engine.column("date")[engine.live]
                keys = keys[keys > 0]
                if len(keys):
                    first, last = _key_date(int(keys.min())), _key_date(int(keys.max()))
            size = sum(p.stat().st_size for p in self.path.iterdir() if p.is_file())
            marker = read_marker(self.path)
            return IndexStats(
                path=str(self.path),
                documents=reader.doc_count(),
                sources=tuple(Facet(k, v) for k, v in sources.most_common()),
                first_date=first,
                last_date=last,
                size_bytes=size,
                format_version=marker.format_version if marker else FORMAT_VERSION,
                created_by=marker.created_by if marker else "",
                extra={"sample corpus": "yes"} if self.is_sample else {},
                analyzer_version=marker.analyzer_version if marker else 1,
            )


def _marked(used: Sequence[ParsedQuery], widest: ParsedQuery | None
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


def _title(title: str, marks: list[Any], body: str, body_marks: list[Any]) -> tuple[str, list[Any]]:
    """A record without a title shows its body's first line (never indexed twice as a title)."""
    if title:
        return title, marks
    first = body.lstrip().split("\n", 1)[0]
    lead = len(body) - len(body.lstrip())
    shown = first[:TITLE_FALLBACK_CHARS]
    return shown, [(s - lead, e - lead, t) for s, e, t in body_marks
                   if s >= lead and e - lead <= len(shown)]


TITLE_FALLBACK_CHARS = 80


def _key_date(key: int) -> dt.date | None:
    """A date column's sort key as a date (None when it is not one)."""
    try:
        return long_to_datetime(key).date()
    except (OverflowError, ValueError):
        return None


def _month(value: Any) -> str:
    if isinstance(value, int):  # the date column's sort key: microseconds since year 1
        try:
            value = long_to_datetime(value)
        except (OverflowError, ValueError):
            return ""
    date = _to_date(value)
    return f"{date.year:04d}-{date.month:02d}" if date and date.year > 1 else ""

"""The library search API: open an index, search it, read documents with their matches marked.

This is the core that the command line, the terminal UI and users' scripts all go through;
it has no user interface of its own and never raises on query text. The search of one query
is `search.plan`; stored fields become records in `search.documents`; filters and facets are
`search.facets`; plumbing that only moves work earlier is `search.tuning`.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from whoosh.index import FileIndex
from whoosh.searching import Searcher

from index.aliases import AliasTable, SynonymsError, load_synonyms
from index.analysis import Analyzer
from index.records import date_bound
from index.store import (
    FORMAT_VERSION,
    default_index_dir,
    open_existing,
    read_dictionary_record,
    read_marker,
    user_data_dir,
)
from search import documents, facets, plan
from search.engine import Engine
from search.freshness import CommitStamp, commit_stamp
from search.query import WEIGHTS, ParsedQuery, Weights, explain, parse
from search.scoring import KoBM25
from search.types import Aliases, Document, Facet, IndexStats, QueryReading, Results, SortOrder

__all__ = ["Index", "open_index"]

log = logging.getLogger(__name__)


def open_index(path: str | Path | None = None) -> Index:
    """Open an index for searching.

    With no `path`: `KOSEARCH_INDEX`, else the user's index, else (when the user has indexed
    nothing yet) the embedded sample corpus, built on first use.
    Raises `IndexOpenError` (`index.IndexError_`) with advice when the folder is not a
    readable kosearch index.
    """
    is_sample = False
    if path is None:
        path = default_index_dir()
        if not os.environ.get("KOSEARCH_INDEX") and read_marker(path) is None:
            from index.sample import ensure_sample_index

            path = ensure_sample_index()
            is_sample = True
    return Index(open_existing(Path(path)), Path(path), is_sample=is_sample)


class Index:
    """An open kosearch index, made by `open_index` (the constructor takes Whoosh's index
    and is not part of the API). Thread-safe: searches run one at a time under a lock.
    Use it as a context manager, or call `close`."""

    def __init__(self, ix: FileIndex, path: Path, *, is_sample: bool = False,
                 weights: Weights = WEIGHTS) -> None:
        self._ix = ix
        self.path = path
        """The index folder."""
        self.is_sample = is_sample
        """Whether this is the embedded sample corpus (`open_index()` before any indexing)."""
        self.weights = weights
        """The ranking weights in use (`search.tuning.set_weights` changes them)."""
        self._lock = threading.RLock()
        # Taken after the index was opened: a commit landing in between is seen as a change
        # by the next search, which then opens the index again (harmless, once).
        self._stamp: CommitStamp | None = commit_stamp(path)
        self._searcher: Searcher = ix.searcher(weighting=self._weighting())
        self._engine_: Engine | None = None
        self.synonyms_error: str | None = None
        """What is wrong with the user's synonyms file, if anything (searches say it too, in
        `Results.error`)."""
        self._aliases = AliasTable()
        self._alias_view = Aliases(self._aliases)
        self._load_aliases()
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

    def _load_aliases(self) -> None:
        """Aliases learned at indexing time, with the user's synonyms file applied."""
        table = AliasTable.load(self.path, self._generation())
        path = user_data_dir() / "synonyms.txt"
        self.synonyms_error = None
        if path.exists():
            try:
                table.use_synonyms(load_synonyms(path))
            except (SynonymsError, OSError) as e:
                self.synonyms_error = str(e)
        self._aliases, self._alias_view = table, Aliases(table)

    def _generation(self) -> int | None:
        """The commit being searched (None for an index without one)."""
        generation = self._searcher.reader().generation()
        return None if generation is None or generation < 0 else int(generation)

    @property
    def aliases(self) -> Aliases:
        """The aliases searches use (learned glosses and the user's synonyms), read-only;
        a refresh makes a new view."""
        return self._alias_view

    def _weighting(self) -> KoBM25:
        w = self.weights
        return KoBM25(B=w.b, K1=w.k1, title_B=w.title_b)

    # -- life cycle -----------------------------------------------------------------------

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the index's files; the index cannot search afterwards."""
        with self._lock:
            self._searcher.close()

    def refresh(self) -> None:
        """See the changes of every indexing run that finished since the index was opened
        (searches do this by themselves when `changed`). Everything read from the old
        commit is dropped: postings, columns, aliases, and the user dictionary words
        queries are analysed with (a --reanalyze run elsewhere may have changed them).

        Raises `IndexOpenError` when the folder is no longer a readable index; the old view
        stays in use then."""
        with self._lock:
            stamp = commit_stamp(self.path)
            ix = open_existing(self.path)  # checks the marker, sets the dictionary words
            searcher = ix.searcher(weighting=self._weighting())
            old = self._searcher
            self._ix, self._searcher, self._stamp = ix, searcher, stamp
            self._engine_ = None  # its postings, columns and posting files are the old commit's
            self._analyzer = self._load_analyzer()
            self._load_aliases()
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

    @property
    def ready(self) -> bool:
        """Whether a query runs without first loading the analyzer: it is loaded, or the
        index's lexicon reads the words the index holds (others still load it)."""
        return self._analyzer.loaded or self._analyzer.lexicon is not None

    @property
    def doc_count(self) -> int:
        """The number of documents in the commit being searched."""
        return int(self._searcher.doc_count())

    # -- searching ------------------------------------------------------------------------

    def parse(self, text: str) -> QueryReading:
        """How `text` is understood, as data (see `explain` for a readable form); never
        raises on the text."""
        with self._reading():
            pq = self._parse(text)
        return QueryReading(text=pq.text, mode=pq.mode, kind=pq.kind,  # type: ignore[arg-type]
                            terms=pq.terms, phrases=pq.phrases, error=pq.error)

    def _parse(self, text: str) -> ParsedQuery:
        """`text` as a query the engine runs (the caller holds `_reading`)."""
        s = self._searcher
        return parse(text, s.schema, s.doc_count(), s.doc_frequency, self.weights)

    def explain(self, text: str) -> str:
        """How a query is understood: mode, terms and the Whoosh query, as text."""
        with self._reading():
            return explain(self._parse(text))

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

        :param limit, page: results per page and which page; `limit` is held within 1-1000
            (`Results.pagelen` says what was used), `page` is at least 1.
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

    def _search(self, text: str, limit: int, page: int, since: dt.date | None,
                until: dt.date | None, sources: Sequence[str] | str | None, sort: SortOrder,
                snippet_count: int, forgiving: bool, started: float) -> Results:
        """The search proper, under the lock with the analyzer active; a fault raised here
        becomes `Results.failure` in `search`."""
        return plan.run(self, text, limit, page, since, until, sources, sort, snippet_count,
                        forgiving, started)

    def _engine(self) -> Engine:
        if self._engine_ is None:
            self._engine_ = Engine(self._searcher, self.weights, self.path)
        return self._engine_

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
            terms: tuple[str, ...] = ()
            phrases: tuple[tuple[str, ...], ...] = ()
            if query:
                try:
                    pq = self._parse(query)
                    wider = plan.rewritten(self, pq, correct=True) if forgiving else None
                    terms, phrases = plan.marked([pq] if wider is None else [pq, wider[1]],
                                                 widest=None if wider is None else wider[1])
                except Exception:  # marks are a courtesy; the document is still returned
                    log.exception("marking the query %r in %s failed", query, doc_id)
                    terms, phrases = (), ()
            return documents.document(s, docnum, terms, phrases)

    def stats(self) -> IndexStats:
        """Documents, sources, date span, size and format of the index."""
        with self._lock:
            reader = self._searcher.reader()
            sources: Counter[str] = Counter()
            first = last = None
            if reader.doc_count():
                sources = facets.source_counts(self._engine())
                first, last = facets.date_span(self._engine())
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


"""Korean analysis: Kiwi morphemes turned into search terms with exact character offsets.

One pass of Kiwi over a text yields two views, used for documents and queries alike:

- *morphemes* (the `title` and `body` fields): nouns, stems, Latin words, Hanja and numbers with
  their units, one position each, so phrases and compounds written with or without spaces meet;
- *words* (the `words` field): each space-separated word without its particles and endings, so
  long verbatim wording and joined compounds (`탄소중립기본법`) also score as a whole.

An `Analyzer` is Kiwi with the user dictionary words one index is analysed with. Each open
index and each indexing run owns one, so opening another index never changes how this one's
queries are read. Kiwi is heavy (2-3 s and ~500 MB to load): analyzers with the same words
share one, loaded on first need. The Whoosh tokenizers, pickled into every index, hold no Kiwi:
they use the analyzer made active for the current call (`Analyzer.active()`), else the
process's default one.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING, Any, Literal

from whoosh.analysis import Token, Tokenizer

from index.kiwis import KiwiChild, Loaded, Words, child, is_loaded, start_child
from index.kiwis import load as _load
from index.terms import Analysis, Term, Unit, chunks, fold, normalize, shift, units_and_words, user_term

if TYPE_CHECKING:
    from kiwipiepy import Kiwi

    from index.lexicon import Lexicon

__all__ = [
    "ANALYZER_VERSION",
    "Analysis",
    "Analyzer",
    "KiwiNotReady",
    "KiwiTokenizer",
    "Preanalyzed",
    "Term",
    "analyze",
    "analyze_many",
    "current_analyzer",
    "fold",
    "get_kiwi",
    "join_user_words",
    "kiwi_loaded",
    "no_wait",
    "normalize",
    "postings",
    "set_user_words",
    "user_term",
    "user_words",
]

ANALYZER_VERSION = 3
"""Raised whenever a change gives a text already indexed other terms; each index records the
version it was created with. 2: a counter after a magnitude is its own term (1800만 + 명). 3: a
dictionary name with Latin in it is its Latin, lowered, and its other letters (LG전자: lg + 전자)."""

View = Literal["morph", "word"]
QUERY_CACHE = 512
"""Analyses each analyzer keeps (queries repeat while someone types)."""


class KiwiNotReady(BaseException):
    """Raised under `no_wait()` by an analysis that would wait for Kiwi to load in its child
    process; `child.when_ready` says when it has. A BaseException, so that it passes through
    the library's `except Exception` around a search (its promise that no query text makes a
    search raise holds outside `no_wait`)."""

    def __init__(self, child: KiwiChild) -> None:
        super().__init__("Kiwi is still loading")
        self.child = child


_no_wait: ContextVar[bool] = ContextVar("kosearch_no_wait", default=False)


@contextmanager
def no_wait() -> Iterator[None]:
    """In this block (of this thread or task), an analysis the lexicon cannot give while Kiwi
    loads in a child process raises `KiwiNotReady` instead of waiting for the load (seconds):
    a UI then runs other queries meanwhile. Whatever is analysed (query words, corrections,
    suggestions) is covered, and nothing is cached for an analysis that raised."""
    token = _no_wait.set(True)
    try:
        yield
    finally:
        _no_wait.reset(token)


class Preanalyzed(str):
    """A text together with its analysis, so a Whoosh field can index it without running Kiwi.

    Indexing analyses documents in batch on all cores and passes them to the writer as these.
    """

    analysis: Analysis

    def __new__(cls, text: str, analysis: Analysis) -> Preanalyzed:
        obj = super().__new__(cls, text)
        obj.analysis = analysis
        return obj


class Analyzer:
    """Kiwi with one list of user dictionary words: how one index's texts and queries are read.

    Cheap to make; Kiwi itself loads on the first analysis and is shared with every analyzer
    that has the same words. A word with spaces matches text written with or without them.
    With the `lexicon` of an index (`index.lexicon`), a text whose every word form the
    index holds is analysed by lookup, without Kiwi.
    """

    def __init__(self, words: Iterable[tuple[str, str]] = (),
                 lexicon: Lexicon | None = None) -> None:
        self.words: Words = tuple((str(w), str(t)) for w, t in words)
        self.lexicon = lexicon
        spaced = sorted({w for w, _ in self.words if " " in w}, key=len, reverse=True)
        self._spaced = re.compile("|".join(
            r"\s+".join(re.escape(p) for p in w.split()) for w in spaced),
            re.IGNORECASE) if spaced else None
        self.analyze = lru_cache(maxsize=QUERY_CACHE)(self._analyze)
        """Analyse one normalised text (cached)."""

    def __repr__(self) -> str:
        return f"Analyzer({len(self.words)} user words)"

    @property
    def loaded(self) -> bool:
        """Whether this analyzer's Kiwi is loaded already (loading takes 2-3 s)."""
        return is_loaded(self.words)

    def kiwi(self) -> Kiwi:
        """This analyzer's Kiwi, loaded on first use.

        Its default dictionary glues particles to some names (`엔비디아가/NNG`);
        `units_and_words` splits those. Loading without that dictionary avoids them too, but
        costs ~15% more time.
        """
        return _load(self.words).kiwi

    def _lookup(self, folded: str) -> Analysis | None:
        """The analysis of a folded text from the lexicon, None when Kiwi must read it."""
        if self.lexicon is None or (self._spaced is not None and self._spaced.search(folded)):
            return None  # a user word written with spaces is one term across forms
        return self.lexicon.analysis(folded)

    def load_in_background(self) -> None:
        """Start loading Kiwi in a child process, which then reads what the lexicon cannot
        until this process loads its own (only for an analyzer with a lexicon: queries)."""
        if self.lexicon is not None and not self.loaded:
            start_child(self.words)

    def _analyze(self, text: str) -> Analysis:
        folded = fold(text)
        found = self._lookup(folded)
        if found is not None:
            return found
        kid = child(self.words) if self.lexicon is not None else None
        if self.lexicon is not None and not self.loaded and _no_wait.get():
            if kid is None:  # (another commit's words, say): load them there, not here
                start_child(self.words)
                kid = child(self.words)
            if kid is not None and kid.loading:
                raise KiwiNotReady(kid)
        if kid is not None and not self.loaded:
            tokens = kid.tokenize(folded)
            if tokens is not None:
                return units_and_words(folded, tokens, kid.terms)
        loaded = _load(self.words)
        return units_and_words(folded, loaded.kiwi.tokenize(folded), loaded.terms)

    def analyze_many(self, texts: Iterable[str]) -> Iterator[Analysis]:
        """Analyse normalised texts in Kiwi's batch mode, on all its worker threads, in order.

        Kiwi reads ahead from `texts` while the caller consumes results, so the caller's own
        work (writing the index) overlaps with the analysis. Very long texts go to Kiwi in
        pieces. With a lexicon, texts it reads all are not given to Kiwi (nor is Kiwi loaded
        for no text at all).
        """
        if self.lexicon is not None:
            texts = list(texts)
            found = [self._lookup(fold(t)) for t in texts]
            if all(f is not None for f in found):
                return iter(found)  # type: ignore[arg-type]
            if child(self.words) is not None and not self.loaded:
                return iter([self._analyze(t) for t in texts])
        it = iter(texts)
        first = next(it, None)
        if first is None:
            return iter(())
        return _analyze_many(_load(self.words), chain((first,), it))

    def join_user_words(self, text: str) -> str:
        """`text` with the spaces inside user dictionary words removed (`알고리즘 주권` ->
        `알고리즘주권`), for query parsers that cut a query into words before analysing them:
        Kiwi reads the joined form as the same single word. Offsets after a joined word move.

        >>> Analyzer([("알고리즘 주권", "NNP")]).join_user_words("알고리즘  주권을 지키자")
        '알고리즘주권을 지키자'
        """
        if self._spaced is None:
            return text
        return self._spaced.sub(lambda m: "".join(m[0].split()), text)

    @contextmanager
    def active(self) -> Iterator[Analyzer]:
        """Make this the analyzer that module-level analysis and the Whoosh tokenizers use in
        the current thread (or task) until the block ends."""
        token = _active.set(self)
        try:
            yield self
        finally:
            _active.reset(token)


def _analyze_many(loaded: Loaded, texts: Iterable[str]) -> Iterator[Analysis]:
    pending: deque[tuple[str, int]] = deque()  # (folded text, pieces)

    def feed() -> Iterator[str]:
        for text in texts:
            folded = fold(text)
            pieces = chunks(folded)
            pending.append((folded, len(pieces)))
            for _, piece in pieces:
                yield piece

    user_terms = loaded.terms
    results = iter(loaded.kiwi.tokenize(feed()))
    while True:
        try:
            tokens = next(results)
        except StopIteration:
            return
        folded, count = pending.popleft()
        if count == 1:
            yield units_and_words(folded, tokens, user_terms)
            continue
        units: list[Unit] = []
        words: list[Term] = []
        for i, (offset, piece) in enumerate(chunks(folded)):
            if i:
                tokens = next(results)
            part = shift(units_and_words(piece, tokens, user_terms), offset)
            units.extend(part.units)
            words.extend(part.words)
        yield Analysis(tuple(units), tuple(words))


_active: ContextVar[Analyzer | None] = ContextVar("kosearch_analyzer", default=None)
_default = Analyzer()


def current_analyzer() -> Analyzer:
    """The analyzer made active in this context (`Analyzer.active`), else the default one."""
    return _active.get() or _default


# -- the current analyzer, as functions ------------------------------------------------------


def set_user_words(words: Iterable[tuple[str, str]]) -> None:
    """The words of the process's default analyzer: the one used where no index's analyzer is
    active (scripts, tests). Setting a list costs nothing by itself."""
    global _default
    new = tuple((str(w), str(t)) for w, t in words)
    if new != _default.words:
        _default = Analyzer(new)


def user_words() -> Words:
    """The user dictionary words of the current analyzer."""
    return current_analyzer().words


def kiwi_loaded() -> bool:
    """Whether the current analyzer's Kiwi is loaded (loading takes 2-3 s)."""
    return current_analyzer().loaded


def get_kiwi() -> Kiwi:
    """The current analyzer's Kiwi, loaded on first use."""
    return current_analyzer().kiwi()


def analyze(text: str) -> Analysis:
    """Analyse one normalised text with the current analyzer (cached per analyzer)."""
    return current_analyzer().analyze(text)


def analyze_many(texts: Iterable[str]) -> Iterator[Analysis]:
    """`Analyzer.analyze_many` of the current analyzer."""
    return current_analyzer().analyze_many(texts)


def join_user_words(text: str) -> str:
    """`Analyzer.join_user_words` of the current analyzer.

    >>> join_user_words("알고리즘 주권을 지키자")  # with no such user word
    '알고리즘 주권을 지키자'
    """
    return current_analyzer().join_user_words(text)


# -- Whoosh tokenizer -----------------------------------------------------------------------


class KiwiTokenizer(Tokenizer):  # type: ignore[misc]
    """Whoosh tokenizer over `analyze`: one view (`morph` or `word`) of the text.

    Pickled into the index schema, so it holds only its view name; Kiwi is found per process.
    In `index` mode a morpheme position may carry extra terms; queries use one term a position.
    """

    def __init__(self, view: View = "morph") -> None:
        self.view = view

    def __eq__(self, other: object) -> bool:
        return isinstance(other, KiwiTokenizer) and other.view == self.view

    def __hash__(self) -> int:
        return hash(("KiwiTokenizer", self.view))

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        analysis = getattr(value, "analysis", None)
        if analysis is None:
            analysis = analyze(normalize(value))
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.stopped = False
        token.boost = 1.0
        index_mode = mode == "index"
        if self.view == "word":
            for pos, (text, start, end) in enumerate(analysis.words, start_pos):
                token.text = text
                if keeporiginal:
                    token.original = text
                if positions:
                    token.pos = pos
                if chars:
                    token.startchar = start_char + start
                    token.endchar = start_char + end
                yield token
            return
        for pos, (utext, ustart, uend, extra, _alts) in enumerate(analysis.units, start_pos):
            terms = ((utext, ustart, uend), *extra) if index_mode and extra else (
                (utext, ustart, uend),)
            for text, start, end in terms:
                token.text = text
                if keeporiginal:
                    token.original = text
                if positions:
                    token.pos = pos
                if chars:
                    token.startchar = start_char + start
                    token.endchar = start_char + end
                yield token


def postings(analysis: Analysis, view: View) -> dict[str, list[tuple[int, int, int]]]:
    """Each term of one view with its (position, start, end) list: what a field indexes.

    The same terms `KiwiTokenizer` yields in index mode, grouped without a Token per term.
    """
    seen: dict[str, list[tuple[int, int, int]]] = {}
    if view == "word":
        for pos, (text, start, end) in enumerate(analysis.words):
            seen.setdefault(text, []).append((pos, start, end))
        return seen
    for pos, (text, start, end, extra, _alts) in enumerate(analysis.units):
        seen.setdefault(text, []).append((pos, start, end))
        for etext, estart, eend in extra:
            seen.setdefault(etext, []).append((pos, estart, eend))
    return seen


def query_terms(text: str) -> list[str]:
    """The morpheme terms a query text is searched by, in order.

    >>> query_terms("엔비디아가 1,800만 달러를")  # doctest: +SKIP
    ['엔비디아', '1800만', '달러']
    """
    return [u[0] for u in analyze(normalize(text)).units]


def word_terms(text: str) -> list[str]:
    """The whole-word terms of a query text, in order."""
    return [w[0] for w in analyze(normalize(text)).words]

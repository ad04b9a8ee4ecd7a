"""The compounds a noun of a query also stands for: 대통령 in 대통령실 and 대통령직인수위원회,
인수위 as the clipped 인수위원회.

Kiwi keeps some compounds whole (대통령실/NNG), so the noun alone never meets them in the
morpheme view; Lucene's Korean analyzer decompounds them. Here, at query time, a noun the index
holds also stands for:

- the morphemes the index holds that begin with it (대통령실, 대통령직): Kiwi read them as one
  noun, and their first part is the query's noun; unless the index shows the compound is a
  word of its own, most of its documents never naming the noun (대통령령, a decree, in court
  decisions);
- the words the index holds that are the noun but its last syllable, then a noun of the index
  that begins with that syllable (인수위 of 인수+위원회): the way Korean clips a name of two
  nouns, 인수위원회 -> 인수위. They are searched as those two nouns together, which also meets
  them inside longer words (대통령직인수위원회).

Not a word whose first syllables merely spell the noun: 대학살 (대/XPN + 학살 where Kiwi reads
it apart) is no 대학, and 오바마 is no compound of 오바 (the noun must be a word of the index).
Documents found only this way come after those with the noun itself (`search.plan`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

import numpy as np
from whoosh import query

from search.weights import Weights

if TYPE_CHECKING:
    from search.engine import Engine

__all__ = ["MAX_COMPOUNDS", "compounds", "used", "widened"]

MAX_COMPOUNDS = 8
"""A noun stands for at most this many compounds of each kind (the most frequent), searched
in bodies only (a title is marked all the same): each is postings to read, the first time
from disk, where a search of a few words took ~5 ms more at 16, in titles and bodies."""
MEMO = 4096
"""Terms whose compounds each engine remembers (the oldest forgotten first)."""
MIN_EVIDENCE = 5
"""A compound is judged a word of its own (see `_of_its_own`) in this many documents or more."""
_HANGUL = re.compile("[\uac00-\ud7a3]{2,}")
_memos: WeakKeyDictionary[Engine, dict[tuple[str, float], list[query.Query]]] = \
    WeakKeyDictionary()


def compounds(engine: Engine, weights: Weights) -> Callable[[str], list[query.Query]]:
    """For a morpheme, the queries of the compounds it also stands for in the index `engine`
    reads (none for a morpheme that is not a Hangul word of two syllables or more the index
    holds). Remembered per engine (one commit of an index), `MEMO` terms at most."""
    reader = engine.reader
    memo = _memos.setdefault(engine, {})

    def alternatives(term: str) -> list[query.Query]:
        key = (term, weights.body)
        found = memo.get(key)
        if found is None:
            found = memo[key] = _alternatives(engine, reader, weights, term)
            if len(memo) > MEMO:
                del memo[next(iter(memo))]
        return found

    return alternatives


def _alternatives(engine: Engine, reader: Any, weights: Weights, term: str) -> list[query.Query]:
    if not _HANGUL.fullmatch(term) or not reader.doc_frequency("body", term):
        return []
    out: list[query.Query] = []
    for whole in _longer(reader, "body", term):  # 대통령실
        if not _noun_then_more(reader, term, whole) or _read_apart_otherwise(
                engine, term, whole) or _of_its_own(engine, term, whole):
            continue
        out.append(query.Term("body", whole, boost=weights.body))
    if len(term) < 3:
        return out  # no clipped name: its first noun would be one syllable
    for word in _longer(reader, "words", term, len(term) + 2):  # 인수위원회
        head, rest = term[:-1], word[len(term) - 1:]
        if clipped(term, word) and all(reader.doc_frequency("body", t) for t in (head, rest)):
            out.append(query.Phrase("body", [head, rest], boost=weights.body))
    return out


def used(engine: Engine, weights: Weights, terms: Iterable[str],
         found: np.ndarray) -> list[tuple[str, str]]:
    """(noun, compound) for each compound of `terms` that a document in the mask `found`
    holds: a whole compound as a body term, a clipped name (인수위 for 인수위원회) as a word of
    the words view, as written."""
    alternatives = compounds(engine, weights)
    out = []
    for term in terms:
        for q in alternatives(term):
            whole, field = ((q.text, "body") if isinstance(q, query.Term)
                            else ("".join(q.words), "words"))
            if found[engine.postings(field, whole)[0]].any():
                out.append((term, whole))
    return out


def widened(q: query.Query, alternatives: Callable[[str], list[query.Query]]) -> query.Query:
    """`q` with each noun of its positive part (the title, body and words terms of one
    morpheme, as `search.query.word_query` reads a word) also standing for `alternatives`."""
    if isinstance(q, query.Not):
        return q
    if isinstance(q, query.AndNot):
        return query.AndNot(widened(q.a, alternatives), q.b)
    if isinstance(q, query.Or) and len(q.subqueries) == 3 and all(
            isinstance(t, query.Term) for t in q.subqueries):
        fields = {t.fieldname for t in q.subqueries}
        texts = {t.text for t in q.subqueries}
        if fields == {"title", "body", "words"} and len(texts) == 1:
            more = alternatives(texts.pop())
            return query.Or([*q.subqueries, *more], boost=q.boost) if more else q
    return q.apply(lambda child: widened(child, alternatives))


_DERIVING = frozenset(("하", "되", "히", "스럽", "롭", "답", "시키", "받", "당하", "적"))
"""What turns a root into a verb, an adjective or an adverb (팽팽하, 소중하): not a compound."""


def _noun_then_more(reader: Any, term: str, whole: str) -> bool:
    """Whether `whole` reads as `term` and more: a one-syllable suffix (대통령실, 대통령직)
    or a word of the index, itself or after such a suffix (대통령직인수위원회); not a longer
    word that merely begins the same way (애플리케이션 is no 애플 + 리케이션) nor a root made
    a verb or an adjective (팽팽하 of 팽팽)."""
    rest = whole[len(term):]
    if rest in _DERIVING:
        return False
    return len(rest) == 1 or any(reader.doc_frequency(f, part) for part in (rest, rest[1:])
                                 for f in ("body", "words"))


def _of_its_own(engine: Engine, term: str, whole: str) -> bool:
    """Whether the compound `whole` is a word of its own in this index: of the documents that
    hold it (`MIN_EVIDENCE` or more), fewer than half hold `term` itself. In court decisions
    1,494 of the 1,523 that cite a 대통령령 (a decree) never name the 대통령; in news, the
    articles on the 대통령실 name the 대통령."""
    docs = engine.postings("body", whole)[0]
    if len(docs) < MIN_EVIDENCE:
        return False
    return bool(np.isin(docs, engine.postings("body", term)[0], assume_unique=True).mean() < 0.5)


def _read_apart_otherwise(engine: Engine, term: str, whole: str) -> bool:
    """Whether Kiwi, where it read the word `whole` apart in a document, never read `term`
    first: 대학살 is 대/XPN + 학살 there, so it is no compound of 대학 where Kiwi kept it whole
    (난징 대학살) either. A word always kept whole has nothing against it."""
    apart = np.setdiff1d(engine.postings("words", whole)[0], engine.postings("body", whole)[0],
                         assume_unique=True)  # (postings are ascending, each document once)
    return bool(len(apart)) and not np.isin(apart, engine.postings("body", term)[0],
                                            assume_unique=True).any()


def clipped(term: str, word: str) -> bool:
    """Whether `term` may be `word` clipped as Korean clips a name of two nouns: the first
    whole (of two syllables or more), the second cut to its first syllable; whether the index
    holds both nouns is the caller's to ask (it also reads `word` so: 인수+위원회).

    >>> clipped("인수위", "인수위원회"), clipped("대학", "대학살"), clipped("인수위", "인수위원")
    (True, False, False)
    """
    return len(term) >= 3 and word.startswith(term) and len(word) - len(term) >= 2


def _longer(reader: Any, field: str, term: str, length: int | None = None) -> list[str]:
    """The terms of `field` that begin with `term`, of `length` characters or more (longer
    than `term` by default), the most frequent `MAX_COMPOUNDS` (ties in the index's order)."""
    least = length or len(term) + 1
    texts = [raw.decode("utf-8") if isinstance(raw, bytes) else raw
             for raw in reader.expand_prefix(field, term)]
    found = sorted((-reader.doc_frequency(field, text), i, text)
                   for i, text in enumerate(texts) if len(text) >= least)
    return [text for _, _, text in found[:MAX_COMPOUNDS]]

"""Corrections from the index's own vocabulary: "did you mean", 초성 and keyboard-layout reading.

Korean typos are usually one jamo off (반도채 for 반도체), so words are compared as jamo
strings, through a deletion index (every vocabulary word with one jamo removed) that finds all
words one edit away without scanning the vocabulary.
"""

from __future__ import annotations

import re
import threading
from array import array
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from typing import Any

import numpy as np

from index.analysis import analyze, normalize
from search.freshness import reader_key

__all__ = ["Frequencies", "Vocabulary", "choseong", "jamo", "suggest", "suggestion", "vocabulary",
           "from_qwerty"]

_CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_JUNG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_JONG = ["", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"]
MIN_DF = 2
"""Words in fewer documents are not offered as corrections (they are often typos themselves)."""


def jamo(word: str) -> str:
    """The word with each Hangul syllable split into its jamo.

    >>> jamo("반도체")
    'ㅂㅏㄴㄷㅗㅊㅔ'
    """
    return word.translate(_tables()[0])


@cache
def _tables() -> tuple[dict[int, str], dict[int, str]]:
    """Each Hangul syllable's jamo and its initial, for `str.translate` (C speed: a vocabulary
    is ~150,000 words); made on first use, not at import (3 MB a process that never needs them
    would carry)."""
    jamo_of = {0xAC00 + code: _CHO[code // 588] + _JUNG[(code % 588) // 28] + _JONG[code % 28]
               for code in range(11172)}
    return jamo_of, {0xAC00 + code: _CHO[code // 588] for code in range(11172)}


_SYLLABLES = re.compile("[\uac00-\ud7a3]{2,}")


def choseong(word: str) -> str:
    """The initial consonants of a word's Hangul syllables (other characters dropped).

    >>> choseong("시진핑")
    'ㅅㅈㅍ'
    """
    return "".join(_CHO[(ord(ch) - 0xAC00) // 588] for ch in word if 0 <= ord(ch) - 0xAC00 < 11172)


def is_choseong(text: str) -> bool:
    """Whether `text` is made only of initial consonants (ㅅㅈㅍ), at least two."""
    return len(text) >= 2 and all(ch in _CHO for ch in text)


# Dubeolsik: the Hangul jamo on each key of a QWERTY keyboard.
_KEYS = dict(zip("qwertyuiopasdfghjklzxcvbnmQWERTOP",
                 "ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔㅁㄴㅇㄹㅎㅗㅓㅏㅣㅋㅌㅊㅍㅠㅜㅡㅃㅉㄸㄲㅆㅒㅖ", strict=True))
_COMPOUND_V = {("ㅗ", "ㅏ"): "ㅘ", ("ㅗ", "ㅐ"): "ㅙ", ("ㅗ", "ㅣ"): "ㅚ", ("ㅜ", "ㅓ"): "ㅝ",
               ("ㅜ", "ㅔ"): "ㅞ", ("ㅜ", "ㅣ"): "ㅟ", ("ㅡ", "ㅣ"): "ㅢ"}
_COMPOUND_C = {("ㄱ", "ㅅ"): "ㄳ", ("ㄴ", "ㅈ"): "ㄵ", ("ㄴ", "ㅎ"): "ㄶ", ("ㄹ", "ㄱ"): "ㄺ",
               ("ㄹ", "ㅁ"): "ㄻ", ("ㄹ", "ㅂ"): "ㄼ", ("ㄹ", "ㅅ"): "ㄽ", ("ㄹ", "ㅌ"): "ㄾ",
               ("ㄹ", "ㅍ"): "ㄿ", ("ㄹ", "ㅎ"): "ㅀ", ("ㅂ", "ㅅ"): "ㅄ"}


def _compose(cho: str, jung: str, jong: str = "") -> str:
    return chr(0xAC00 + _CHO.index(cho) * 588 + _JUNG.index(jung) * 28 + _JONG.index(jong))


def from_qwerty(text: str) -> str | None:
    """What Latin letters typed with the English layout would be in the Korean layout.

    >>> from_qwerty("tlwlsvld"), from_qwerty("qksehcp"), from_qwerty("hello world")
    ('시진핑', '반도체', None)
    """
    if not text or not all(ch in _KEYS or ch == " " for ch in text):
        return None
    out: list[str] = []
    for word in text.split(" "):
        seq = [_KEYS[ch] if ch in _KEYS else _KEYS.get(ch.lower(), ch) for ch in word]
        syllables: list[str] = []
        i = 0
        ok = True
        while i < len(seq):
            c = seq[i]
            if c not in _CHO or i + 1 >= len(seq) or seq[i + 1] not in _JUNG:
                ok = False
                break
            v = seq[i + 1]
            i += 2
            if i < len(seq) and (v, seq[i]) in _COMPOUND_V:
                v = _COMPOUND_V[(v, seq[i])]
                i += 1
            jong = ""
            # A consonant is a final one unless a vowel follows it.
            if i < len(seq) and seq[i] in _JONG and (i + 1 >= len(seq) or seq[i + 1] not in _JUNG):
                jong = seq[i]
                i += 1
                if (i < len(seq) and (jong, seq[i]) in _COMPOUND_C
                        and (i + 1 >= len(seq) or seq[i + 1] not in _JUNG)):
                    jong = _COMPOUND_C[(jong, seq[i])]
                    i += 1
            syllables.append(_compose(c, v, jong))
        if not ok or not syllables:
            return None
        out.append("".join(syllables))
    return " ".join(out)


class Frequencies(Mapping[str, int]):
    """Words and their document frequencies, read-only: a dict's lookups over one UTF-8 blob
    with offsets and an int array, ordered by the words' hashes. Python's `hash` of a str is
    fixed for the life of a process, and the arrays never leave it."""

    def __init__(self, words: list[str], df: list[int]) -> None:
        hashes = np.fromiter((hash(w) for w in words), np.int64, len(words))
        order = np.argsort(hashes, kind="stable")
        self._hashes = hashes[order]
        encoded = [words[i].encode("utf-8") for i in order]
        self._starts = np.zeros(len(words) + 1, np.int64)
        np.cumsum([len(w) for w in encoded], out=self._starts[1:])
        self._blob = b"".join(encoded)
        self.counts = np.array(df, np.int32)[order]
        """The frequency of word `i` (in this order)."""

    def word(self, i: int) -> str:
        """Word `i` of this order."""
        return self._blob[self._starts[i]:self._starts[i + 1]].decode("utf-8")

    def index(self, word: str) -> int:
        """The number of `word` in this order, or -1."""
        h = hash(word)
        i = int(np.searchsorted(self._hashes, h))
        while i < len(self._hashes) and self._hashes[i] == h:
            if self.word(i) == word:
                return i
            i += 1
        return -1

    def __getitem__(self, word: object) -> int:
        i = self.index(word) if isinstance(word, str) else -1
        if i < 0:
            raise KeyError(word)
        return int(self.counts[i])

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.index(word) >= 0

    def __len__(self) -> int:
        return len(self._hashes)

    def __iter__(self) -> Iterator[str]:
        return (self.word(i) for i in range(len(self)))


def _deletions(j: str) -> set[str]:
    """A jamo string and every string made from it by removing one jamo."""
    return {j, *(j[:k] + j[k + 1:] for k in range(len(j)))}


class _Postings:
    """Word numbers under 64-bit keys (hashes of strings), sorted by key: a dict of lists in
    two arrays. A hash shared by two strings only adds candidates, which the caller checks."""

    def __init__(self, keys: array, ids: array) -> None:
        key_array = np.frombuffer(keys, np.int64) if len(keys) else np.zeros(0, np.int64)
        order = np.argsort(key_array, kind="stable")
        self._keys = key_array[order]
        self._ids = (np.frombuffer(ids, np.int32) if len(ids) else np.zeros(0, np.int32))[order]

    def get(self, key: str) -> np.ndarray:
        h = hash(key)
        lo = np.searchsorted(self._keys, h, side="left")
        return self._ids[lo:np.searchsorted(self._keys, h, side="right")]


class Vocabulary:
    """The whole words of an index (its `words` field) with their document frequencies, and lookups by
    jamo edit distance and by 초성. Built once per opened index, on first need.

    Compact: one UTF-8 blob and numpy arrays, 12 bytes a deletion key (its hash and a word
    number) instead of a Python string, a dict entry and a share of a joined string for each,
    which made 223 MB of objects at 6,000 court decisions; a few objects for the collector."""

    def __init__(self, terms: Iterable[tuple[str, int]]) -> None:
        words: list[str] = []
        counts: list[int] = []
        for term, df in terms:
            if df < MIN_DF or len(term) < 2 or term.isdigit():
                continue
            words.append(term)
            counts.append(df)
        self.df = Frequencies(words, counts)
        del words, counts
        deletes, delete_ids = array("q"), array("i")
        initials, initial_ids = array("q"), array("i")
        starts, start_ids = array("q"), array("i")
        for i, term in enumerate(self.df):
            j = jamo(term)
            keys = [hash(j[:k] + j[k + 1:]) for k in range(len(j))]
            keys.append(hash(j))
            deletes.extend(keys)  # a key twice (ㅇㅇ less either ㅇ) only repeats a candidate
            delete_ids.extend([i] * len(keys))
            if _SYLLABLES.fullmatch(term):  # two or more, all Hangul syllables
                initials.append(hash(term.translate(_tables()[1])))
                initial_ids.append(i)
            if len(term) > 2:
                starts.append(hash(term[:-1]))
                start_ids.append(i)
        self._deletes = _Postings(deletes, delete_ids)
        self._initials = _Postings(initials, initial_ids)
        self._starts = _Postings(starts, start_ids)

    def _ranked(self, ids: Iterable[int]) -> list[str]:
        """The words numbered `ids`, most frequent first, then in code point order."""
        counts = self.df.counts
        ranked = sorted((-int(counts[i]), self.df.word(i)) for i in set(ids))
        return [word for _, word in ranked]

    def near(self, word: str) -> list[str]:
        """Vocabulary words one jamo edit from `word` (not `word` itself), most frequent first."""
        keys = _deletions(jamo(word))
        found = {int(i) for key in keys for i in self._deletes.get(key)}
        return [t for t in self._ranked(found) if t != word and keys & _deletions(jamo(t))]

    def completions(self, prefix: str) -> list[str]:
        """Vocabulary words that are `prefix` (two characters or more) and one character
        more, most frequent first: the word being typed, short of its last syllable.

        >>> Vocabulary([("오바마", 6), ("오바마케어", 2), ("오가", 3)]).completions("오바")
        ['오바마']
        """
        found = self._ranked(int(i) for i in self._starts.get(prefix))
        return [t for t in found if len(t) == len(prefix) + 1 and t.startswith(prefix)]

    def by_initials(self, initials: str) -> list[str]:
        """Words whose syllables start with these consonants, most frequent first."""
        found = self._ranked(int(i) for i in self._initials.get(initials))
        return [t for t in found if len(t) == len(initials) and choseong(t) == initials]


VOCABULARIES_KEPT = 2
"""Vocabularies kept (most recent first): an index and the one it is being refreshed to."""
_vocab_cache: dict[tuple[str, ...], Vocabulary] = {}
_vocab_lock = threading.Lock()


def vocabulary(searcher: Any) -> Vocabulary:
    """The vocabulary of the index behind `searcher`, cached by the ids of its segments (see
    `search.freshness.reader_key`): never by the reader object, whose id Python reuses."""
    reader = searcher.reader()
    key = reader_key(reader)
    with _vocab_lock:
        vocab = _vocab_cache.pop(key, None) if key is not None else None
        if vocab is None:
            terms = ((t.decode("utf-8") if isinstance(t, bytes) else t, info.doc_frequency())
                     for t, info in reader.iter_field("words"))
            vocab = Vocabulary(terms)
        if key is not None:  # most recently used last
            _vocab_cache[key] = vocab
            while len(_vocab_cache) > VOCABULARIES_KEPT:
                del _vocab_cache[next(iter(_vocab_cache))]
    return vocab


def suggest(searcher: Any, text: str) -> str | None:
    """A better-matching query, made by replacing each rare or unknown word of `text` with the
    most frequent index word one jamo away, or None."""
    return suggestion(vocabulary(searcher), text)


def suggestion(vocab: Vocabulary, text: str) -> str | None:
    """`suggest` with the vocabulary given. Words with digits are neither replaced nor offered
    (2029년 is not a typo of 2026년), nor Latin words of fewer than four letters."""
    out = text
    changed = False
    for word, start, end in reversed(analyze(normalize(text)).words):
        df = vocab.df.get(word, 0)
        if df >= 3 or out[start:end].lower() != word or _has_digit(word) or (
                word.isascii() and len(word) < 4):  # one letter from too many others (TO: kt)
            continue
        candidates = [c for c in vocab.near(word)
                      if vocab.df[c] > max(2 * df, 2) and not _has_digit(c)]
        if candidates:
            out = out[:start] + candidates[0] + out[end:]
            changed = True
    return out if changed else None


def _has_digit(word: str) -> bool:
    return any(ch.isdigit() for ch in word)

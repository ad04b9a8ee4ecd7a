"""Corrections from the index's own vocabulary: "did you mean", 초성 and keyboard-layout reading.

Korean typos are usually one jamo off (반도채 for 반도체), so words are compared as jamo
strings, through a deletion index (every vocabulary word with one jamo removed) that finds all
words one edit away without scanning the vocabulary.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from index.analysis import analyze, normalize
from search.freshness import reader_key

__all__ = ["Vocabulary", "choseong", "jamo", "suggest", "vocabulary", "from_qwerty"]

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
    out = []
    for ch in word:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out.append(_CHO[code // 588] + _JUNG[(code % 588) // 28] + _JONG[code % 28])
        else:
            out.append(ch)
    return "".join(out)


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


SEP = "\x00"
"""Between the words of one lookup key (index words hold no control characters)."""


class Vocabulary:
    """The whole words of an index (its `words` field) with their document frequencies, and lookups by
    jamo edit distance and by 초성. Built once per opened index, on first need."""

    def __init__(self, terms: Iterable[tuple[str, int]]) -> None:
        self.df: dict[str, int] = {}
        deletes: dict[str, list[str]] = defaultdict(list)
        initials_of: dict[str, list[str]] = defaultdict(list)
        for term, df in terms:
            if df < MIN_DF or len(term) < 2 or term.isdigit():
                continue
            self.df[term] = df
            j = jamo(term)
            deletes[j].append(term)
            for k in range(len(j)):
                deletes[j[:k] + j[k + 1:]].append(term)
            initials = choseong(term)
            if len(initials) >= 2 and len(initials) == len(term):
                initials_of[initials].append(term)
        # Each list of words as one string: a million small lists would be a million objects
        # for Python's garbage collector to walk, in pauses of up to half a second.
        self._deletes = {k: SEP.join(v) for k, v in deletes.items()}
        self._initials = {k: SEP.join(v) for k, v in initials_of.items()}

    def near(self, word: str) -> list[str]:
        """Vocabulary words one jamo edit from `word` (not `word` itself), most frequent first."""
        j = jamo(word)
        found: set[str] = set()
        for key in (j, *(j[:k] + j[k + 1:] for k in range(len(j)))):
            if words := self._deletes.get(key):
                found.update(words.split(SEP))
        found.discard(word)
        found.intersection_update(self.df)
        return sorted(found, key=lambda t: (-self.df[t], t))

    def by_initials(self, initials: str) -> list[str]:
        """Words whose syllables start with these consonants, most frequent first."""
        words = self._initials.get(initials)
        found = set(words.split(SEP) if words else ()).intersection(self.df)
        return sorted(found, key=lambda t: (-self.df[t], t))


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
    vocab = vocabulary(searcher)
    out = text
    changed = False
    for word, start, end in reversed(analyze(normalize(text)).words):
        df = vocab.df.get(word, 0)
        if df >= 3 or out[start:end].lower() != word:
            continue
        candidates = [c for c in vocab.near(word) if vocab.df[c] > max(2 * df, 2)]
        if candidates:
            out = out[:start] + candidates[0] + out[end:]
            changed = True
    return out if changed else None

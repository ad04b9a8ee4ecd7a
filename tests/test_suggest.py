"""The suggestion vocabulary: compact arrays that answer exactly as the dict-of-strings structure
they replace did, and "did you mean" that leaves numbers alone."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import pytest

from search import Index, open_index
from search.suggest import MIN_DF, Vocabulary, choseong, jamo, suggest, suggestion, vocabulary


class DictVocabulary:
    """The structure the compact one replaced (a dict entry and a string per deletion key),
    kept here as the reference the new one must agree with."""

    def __init__(self, terms: Iterable[tuple[str, int]]) -> None:
        self.df: dict[str, int] = {}
        self.deletes: dict[str, list[str]] = defaultdict(list)
        self.initials: dict[str, list[str]] = defaultdict(list)
        for term, df in terms:
            if df < MIN_DF or len(term) < 2 or term.isdigit():
                continue
            self.df[term] = df
            j = jamo(term)
            self.deletes[j].append(term)
            for k in range(len(j)):
                self.deletes[j[:k] + j[k + 1:]].append(term)
            first = choseong(term)
            if len(first) >= 2 and len(first) == len(term):
                self.initials[first].append(term)

    def near(self, word: str) -> list[str]:
        j = jamo(word)
        found: set[str] = set()
        for key in (j, *(j[:k] + j[k + 1:] for k in range(len(j)))):
            found.update(self.deletes.get(key, ()))
        found.discard(word)
        return sorted(found, key=lambda t: (-self.df[t], t))

    def by_initials(self, initials: str) -> list[str]:
        return sorted(set(self.initials.get(initials, ())), key=lambda t: (-self.df[t], t))


@pytest.fixture(scope="module")
def idx(sample_index: Path) -> Iterator[Index]:
    with open_index(sample_index) as index:
        yield index


@pytest.fixture(scope="module")
def terms(idx: Index) -> list[tuple[str, int]]:
    reader = idx._searcher.reader()
    return [(t.decode("utf-8") if isinstance(t, bytes) else t, info.doc_frequency())
            for t, info in reader.iter_field("words")]


def typos(word: str) -> list[str]:
    """`word` with its last syllable's vowel changed, and with its last syllable dropped."""
    out = [word[:-1]] if len(word) > 2 else []
    code = ord(word[-1]) - 0xAC00
    if 0 <= code < 11172:
        out.append(chr(0xAC00 + (code // 588) * 588 + ((code % 588) // 28 + 1) % 21 * 28
                       + code % 28))
    return out


@pytest.mark.parametrize("bump", [0, 1])
def test_the_compact_vocabulary_answers_as_the_dict_one_did(terms: list[tuple[str, int]],
                                                            bump: int) -> None:
    """Over the sample index's every word (as indexed, and with one more document each so that
    words of one document count too): the same words and frequencies, the same words one jamo
    away (for each word and two typos of it), the same words by 초성, in the same order."""
    terms = [(t, df + bump) for t, df in terms]
    old, new = DictVocabulary(terms), Vocabulary(terms)
    assert len(old.df) > 900
    assert len(new.df) == len(old.df)
    assert dict(new.df.items()) == old.df
    queries = sorted({q for word in old.df for q in (word, *typos(word))})
    assert len(queries) > 1.4 * len(old.df)
    differ = [q for q in queries if new.near(q) != old.near(q)]
    assert differ == []
    assert sum(1 for q in queries if old.near(q)) > 300  # the comparison covers real answers
    initials = sorted({choseong(word) for word in old.df})
    assert [new.by_initials(i) for i in initials] == [old.by_initials(i) for i in initials]


def test_suggestions_of_the_sample_corpus(idx: Index) -> None:
    """Corrections come from the index's frequent words, most frequent first."""
    vocab = vocabulary(idx._searcher)
    assert vocab.near("반도채") == ["반도체"]
    assert vocab.by_initials("ㅅㅈㅍ") == ["시진핑"]
    assert suggest(idx._searcher, "반도채 수츨") == "반도체 수출"
    assert suggest(idx._searcher, "반도체 수출") is None


WORDS = [("반도체", 9), ("반도채", 1), ("반도", 3), ("시진핑", 4), ("수출", 6), ("수술", 2),
         ("2026년", 5), ("2028년", 2), ("12", 7), ("가", 8)]


def test_words_kept_and_their_frequencies() -> None:
    """Words of one document, of one character or all digits are not kept; the rest read like
    a dict."""
    vocab = Vocabulary(WORDS)
    assert sorted(vocab.df) == ["2026년", "2028년", "반도", "반도체", "수술", "수출", "시진핑"]
    assert (vocab.df["반도체"], vocab.df.get("수술"), vocab.df.get("반도채", 0)) == (9, 2, 0)
    assert ("반도채" in vocab.df, "12" in vocab.df, 12 in vocab.df) == (False, False, False)
    with pytest.raises(KeyError):
        vocab.df["없는말"]
    assert vocab.near("반도채") == ["반도체"]
    assert vocab.near("수츨") == ["수출"]
    assert vocab.near("수출") == ["수술"]
    assert vocab.by_initials("ㅂㄷㅊ") == ["반도체"]
    assert vocab.by_initials("ㅂㄷ") == ["반도"]
    assert Vocabulary(()).near("반도채") == [] and len(Vocabulary(()).df) == 0


def test_keys_that_share_a_hash_only_add_candidates_that_are_checked() -> None:
    """Keys are hashed: if every key met every word (the worst collisions), the answers would
    still be the words truly one jamo away."""
    vocab = Vocabulary(WORDS)
    everything = np.arange(len(vocab.df), dtype=np.int32)

    class Colliding:
        def get(self, key: str) -> np.ndarray:
            return everything

    vocab._deletes = Colliding()  # type: ignore[assignment]
    vocab._initials = Colliding()  # type: ignore[assignment]
    assert vocab.near("반도채") == ["반도체"]
    assert vocab.near("2027년") == ["2026년", "2028년"]
    assert vocab.by_initials("ㅂㄷㅊ") == ["반도체"]


@pytest.mark.parametrize(("query", "expected"), [
    ("2029년", None),        # a year is not a typo of another year
    ("2029년 반도채", "2029년 반도체"),
    ("반도채 3월", "반도체 3월"),
    ("수츨", "수출"),
])
def test_numbers_are_not_corrected(query: str, expected: str | None) -> None:
    """A word with digits is never replaced, nor does a word become one with digits."""
    vocab = Vocabulary(WORDS)
    assert vocab.near("2029년") == ["2026년", "2028년"]  # what the old rule would offer
    assert suggestion(vocab, query) == expected


"""Kiwi instances, shared by every analyzer with the same user words: loaded in this process,
or running in a child process while a UI must stay responsive.

Kiwi is heavy (2-3 s and ~500 MB to load), so instances are keyed by word list and at most
`KIWIS_KEPT` are kept. `index.analysis` turns their tokens into search terms.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index.terms import user_term

if TYPE_CHECKING:
    from kiwipiepy import Kiwi

__all__ = ["KIWIS_KEPT", "KiwiChild", "Loaded", "Words", "child", "is_loaded", "load",
           "start_child"]

Words = tuple[tuple[str, str], ...]
"""User dictionary words, (word, Kiwi tag)."""
KIWIS_KEPT = 2
"""Kiwi instances kept loaded for different word lists (~500 MB each)."""


@dataclass(frozen=True, slots=True)
class Loaded:
    """A loaded Kiwi with the user words it knows and the search term of each word's forms."""

    words: Words
    terms: dict[str, str]
    kiwi: Kiwi


_kiwis: dict[Words, Loaded] = {}
"""Loaded Kiwis by word list, oldest first; at most `KIWIS_KEPT`."""
_lock = threading.Lock()


def user_forms(word: str) -> tuple[str, ...]:
    """The forms Kiwi is given for a user word: as written and, for queries typed in lower
    case, with its Latin lowered (Kiwi matches user words case-sensitively).

    >>> user_forms("소버린AI")
    ('소버린AI', '소버린ai')
    """
    return tuple(dict.fromkeys((word, word.lower())))


def _terms(words: Words) -> dict[str, str]:
    return {form: user_term(word) for word, _ in words for form in user_forms(word)}


def is_loaded(words: Words) -> bool:
    """Whether the Kiwi of `words` is loaded in this process."""
    return words in _kiwis


def load(words: Words) -> Loaded:
    """The Kiwi that knows `words`, loading it if no analyzer has yet."""
    loaded = _kiwis.get(words)
    if loaded is not None:
        return loaded
    with _lock:
        loaded = _kiwis.get(words)
        if loaded is None:
            while len(_kiwis) >= KIWIS_KEPT:
                del _kiwis[next(iter(_kiwis))]
            from kiwipiepy import Kiwi

            workers = max(1, min(4, os.cpu_count() or 1))
            kiwi = Kiwi(num_workers=workers)
            for word, tag in words:
                for form in user_forms(word):
                    kiwi.add_user_word(form, tag, 0.0)
            kiwi.tokenize("초기화")  # pays the lazy start-up cost now, not on a query
            loaded = _kiwis[words] = Loaded(words, _terms(words), kiwi)
        return loaded


# -- Kiwi in a child process, for a UI that must not freeze -----------------------------------

_CHILD = """
import sys, orjson
from kiwipiepy import Kiwi
kiwi = Kiwi(num_workers=1)
for form, tag in orjson.loads(sys.stdin.buffer.readline()):
    kiwi.add_user_word(form, tag, 0.0)
kiwi.tokenize("초기화")
out = sys.stdout.buffer
for line in sys.stdin.buffer:
    out.write(orjson.dumps([(t.form, t.tag, t.start, t.end)
                            for t in kiwi.tokenize(orjson.loads(line))]) + b"\\n")
    out.flush()
"""


@dataclass(frozen=True, slots=True)
class ChildToken:
    """One of Kiwi's tokens as the child process sends it."""

    form: str
    tag: str
    start: int
    end: int


class KiwiChild:
    """Kiwi loading and running in a child process: kiwipiepy holds the GIL for seconds while
    it loads, so a thread of this process would freeze a UI (measured: no key for 5-12 s).
    Each analysis is one round trip of a few milliseconds; the caller's thread waits on the
    pipe without the GIL."""

    def __init__(self, words: Words) -> None:
        import subprocess
        import sys

        import orjson

        self._orjson = orjson
        self.terms = _terms(words)
        self._proc = subprocess.Popen([sys.executable, "-c", _CHILD], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert self._proc.stdin is not None
        self._proc.stdin.write(orjson.dumps([(f, t) for w, t in words for f in user_forms(w)])
                               + b"\n")
        self._proc.stdin.flush()
        self._lock = threading.Lock()

    def tokenize(self, folded: str) -> list[ChildToken] | None:
        """Kiwi's tokens of `folded`, None when the child is gone."""
        proc = self._proc
        with self._lock:
            try:
                assert proc.stdin is not None and proc.stdout is not None
                proc.stdin.write(self._orjson.dumps(folded) + b"\n")
                proc.stdin.flush()
                line = proc.stdout.readline()
                return [ChildToken(*t) for t in self._orjson.loads(line)]
            except (OSError, ValueError, TypeError):
                return None


_children: dict[Words, KiwiChild] = {}


def child(words: Words) -> KiwiChild | None:
    """The child process started for `words`, if one was."""
    return _children.get(words)


def start_child(words: Words) -> None:
    """Start a child process loading the Kiwi of `words`, unless one runs already."""
    if words not in _children:
        with _lock:
            if words not in _children:
                _children[words] = KiwiChild(words)

"""Kiwi instances, shared by every analyzer with the same user words: loaded in this process,
or running in a child process while a UI must stay responsive.

Kiwi is heavy (2-3 s and ~500 MB to load), so instances are keyed by word list and at most
`KIWIS_KEPT` are kept. `index.analysis` turns their tokens into search terms.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
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
out.write(b'"ready"\\n')
out.flush()
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


READY = b'"ready"\n'
"""The line the child writes once Kiwi has loaded and answered a first tokenize."""


class KiwiChild:
    """Kiwi loading and running in a child process: kiwipiepy holds the GIL for seconds while
    it loads, so a thread of this process would freeze a UI (measured: no key for 5-12 s).
    Each analysis is one round trip of a few milliseconds; the caller's thread waits on the
    pipe without the GIL.

    The child says when Kiwi has loaded (`READY`); a thread of this process reads that line,
    so `ready` and `loading` answer at once and `when_ready` tells a UI without polling.
    """

    ready: bool = False
    """Kiwi has loaded in the child, which answers from now on."""

    def __init__(self, words: Words) -> None:
        import subprocess
        import sys

        import orjson

        self._orjson = orjson
        self.terms = _terms(words)
        self._proc = subprocess.Popen([sys.executable, "-c", _CHILD], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(orjson.dumps([(f, t) for w, t in words for f in user_forms(w)])
                               + b"\n")
        self._proc.stdin.flush()
        self._lock = threading.Lock()
        self._watch(self._proc.stdout.readline)

    def _watch(self, first_line: Callable[[], bytes]) -> None:
        """Read the child's first line on a thread of its own (the read waits without the
        GIL): `READY`, or nothing when the child ended first."""
        self._settled = threading.Event()
        self._waiters: list[Callable[[], None]] = []
        self._waiters_lock = threading.Lock()

        def read() -> None:
            try:
                line = first_line()
            except (OSError, ValueError):
                line = b""
            self._settle(line == READY)

        threading.Thread(target=read, name="kiwi-child-ready", daemon=True).start()

    def _settle(self, ready: bool) -> None:
        """Kiwi has loaded in the child (`ready`), or the child is gone: tell the waiters."""
        with self._waiters_lock:
            self.ready = ready
            self._settled.set()
            waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            try:
                waiter()
            except Exception:  # one waiter's fault must not keep the news from the others
                pass

    @property
    def loading(self) -> bool:
        """Kiwi is still loading in the child (False once it is ready or the child is gone)."""
        return not self._settled.is_set()

    def when_ready(self, callback: Callable[[], None]) -> None:
        """Call `callback()` once Kiwi has loaded in the child or the child is gone (see
        `ready`): from the thread that reads the child, or at once when that happened
        already."""
        with self._waiters_lock:
            if not self._settled.is_set():
                self._waiters.append(callback)
                return
        callback()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until Kiwi has loaded in the child (or the child is gone); True when ready."""
        self._settled.wait(timeout)
        return self.ready

    def tokenize(self, folded: str) -> list[ChildToken] | None:
        """Kiwi's tokens of `folded`, None when the child is gone; waits while Kiwi loads."""
        if not self.wait():
            return None
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

    def close(self) -> None:
        """End the child (it stops at the end of its input); analyses go to Kiwi here."""
        with self._lock:
            if self._proc.stdin is not None and not self._proc.stdin.closed:
                self._proc.stdin.close()
            self._proc.wait()


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

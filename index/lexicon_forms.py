"""Collecting the word forms of an indexing run for its lexicon (`index.lexicon`): each
form's analysis in the texts, whether it stayed the same, and whether Kiwi reads the form
alone the same way, checked on a thread while the run writes the index."""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Callable, Iterable, Iterator

import orjson

from index.terms import Analysis, Term, Unit

__all__ = ["CHECK_BATCH", "CHECKED_UP_TO", "FORM", "AnalyzeMany", "Collector", "Entry"]

CHECKED_UP_TO = 20
"""Occurrences of a form whose analysis is compared; after that many identical ones the form
is taken as stable and further occurrences are only counted (most of a corpus is a few
thousand frequent forms: comparing each occurrence would slow indexing)."""
FORM = re.compile(r"\S+")
"""A word form: a run of non-space characters, punctuation included."""
Entry = list[object]
"""[encoded analysis (None: unstable), identical occurrences, occurrences]."""


def _encode(units: tuple[Unit, ...], words: tuple[Term, ...], s: int, e: int) -> bytes | None:
    """The analysis of the form at [s, e) as JSON, offsets relative to it; None when a term
    reaches outside the form."""
    rel_units = []
    for text, us, ue, extra, alts in units:
        if us < s or ue > e:
            return None
        rel_extra = []
        for et, es, ee in extra:
            if es < s or ee > e:
                return None
            rel_extra.append((et, es - s, ee - s))
        rel_units.append((text, us - s, ue - s, rel_extra, alts))
    rel_words = []
    for text, ws, we in words:
        if ws < s or we > e:
            return None
        rel_words.append((text, ws - s, we - s))
    return orjson.dumps((rel_units, rel_words))


AnalyzeMany = Callable[[Iterable[str]], Iterator[Analysis]]
CHECK_BATCH = 512
"""New forms handed to the background check at a time (~60 ms of Kiwi)."""


class Collector:
    """The forms of the texts a run analyses, with their analyses and how stable they were."""

    def __init__(self, base: dict[str, Entry] | None = None) -> None:
        self.forms: dict[str, Entry] = base if base is not None else {}
        self.new: list[str] = []
        """Forms first met by this collector and not yet checked: `verify` compares them
        with Kiwi's reading of each alone (forms of `base` were checked by the run that met
        them)."""
        self._checker: _Checker | None = None

    def check_in_background(self, analyze_many: AnalyzeMany) -> None:
        """From now on, check new forms alone on a thread while the caller goes on (the run
        writing the index), `CHECK_BATCH` at a time; `verify` then waits for the rest.

        :param analyze_many: the run's analyzer's (a thread does not see the analyzer made
            active in the caller's context).
        """
        if self._checker is None:
            self._checker = _Checker(analyze_many)
            self._hand_off(CHECK_BATCH)

    def _hand_off(self, at_least: int) -> None:
        if self._checker is not None and len(self.new) >= at_least:
            self._checker.put([f for f in self.new if self.forms.get(f, [None])[0] is not None])
            self.new = []

    def stop(self) -> None:
        """Stop a background check (a run that gives up), within one batch."""
        if self._checker is not None:
            self._checker.close(cancel=True)
            self._checker = None

    def add(self, folded: str, analysis: Analysis) -> None:
        """Record the forms of one analysed text (full-width folded, as it was analysed)."""
        units, words = analysis.units, analysis.words
        nu, nw = len(units), len(words)
        ui = wi = 0
        spill = -1  # the end of a term that ran past its form: the forms it covers are unstable
        forms = self.forms
        for m in FORM.finditer(folded):
            s, e = m.span()
            uj = ui
            while uj < nu and units[uj][1] < e:
                uj += 1
            wj = wi
            while wj < nw and words[wj][1] < e:
                wj += 1
            form = m.group()
            entry = forms.get(form)
            if entry is None:
                enc = None if s < spill else _encode(units[ui:uj], words[wi:wj], s, e)
                forms[form] = [enc, 1, 1]
                if enc is not None:
                    self.new.append(form)
                if len(self.new) >= CHECK_BATCH:
                    self._hand_off(CHECK_BATCH)
            else:
                entry[2] += 1  # type: ignore[operator]
                if entry[0] is not None and entry[1] < CHECKED_UP_TO:  # type: ignore[operator]
                    enc = None if s < spill else _encode(units[ui:uj], words[wi:wj], s, e)
                    if enc == entry[0]:
                        entry[1] += 1  # type: ignore[operator]
                    else:
                        entry[0] = None
            for k in range(ui, uj):
                spill = max(spill, units[k][2])
            for k in range(wi, wj):
                spill = max(spill, words[k][2])
            ui, wi = uj, wj

    def verify(self, analyze_many: AnalyzeMany) -> int:
        """Mark unstable the new forms that Kiwi reads otherwise alone than in the texts (a
        query is often one word, read with no context). Returns how many."""
        checked: Iterable[tuple[str, bytes | None]]
        if self._checker is not None:
            self._hand_off(1)
            checked = self._checker.close()
            self._checker = None
        else:
            todo = [f for f in self.new if self.forms.get(f, [None])[0] is not None]
            self.new = []
            checked = _alone(todo, analyze_many)
        changed = 0
        for form, alone in checked:
            entry = self.forms.get(form)
            # An entry found unstable in the texts since it was handed off stays so.
            if entry is not None and entry[0] is not None and alone != entry[0]:
                entry[0] = None
                changed += 1
        return changed

    def drop_touching(self, words: Iterable[str]) -> int:
        """Forget the forms containing any part of `words` (user dictionary words added or
        removed: their analysis may change). Returns how many."""
        parts = {p.lower() for w in words for p in w.split() if p}
        if not parts:
            return 0
        gone = [f for f in self.forms if any(p in f.lower() for p in parts)]
        for form in gone:
            del self.forms[form]
        return len(gone)


def _alone(forms: list[str], analyze_many: AnalyzeMany) -> Iterator[tuple[str, bytes | None]]:
    """Each form with Kiwi's reading of it alone, encoded as the collector keeps it."""
    for form, alone in zip(forms, analyze_many(forms), strict=True):
        yield form, _encode(alone.units, alone.words, 0, len(form))


class _Checker:
    """A thread reading forms alone with Kiwi while the indexing run goes on: Kiwi's worker
    threads mostly wait for the writer then, and for a single thread while Whoosh commits,
    so the check costs little wall time where cores are free (on a loaded machine, the
    same CPU time)."""

    def __init__(self, analyze_many: AnalyzeMany) -> None:
        self._analyze_many = analyze_many
        self._todo: queue.SimpleQueue[list[str] | None] = queue.SimpleQueue()
        self._done: list[tuple[str, bytes | None]] = []
        self._failed: BaseException | None = None
        self._cancel = False
        self._thread = threading.Thread(target=self._run, name="kosearch-lexicon-check",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            while not self._cancel and (batch := self._todo.get()) is not None:
                self._done.extend(_alone(batch, self._analyze_many))
        except BaseException as exc:  # noqa: BLE001 - raised again in the run's thread
            self._failed = exc

    def put(self, forms: list[str]) -> None:
        if forms:
            self._todo.put(forms)

    def close(self, *, cancel: bool = False) -> list[tuple[str, bytes | None]]:
        """Wait for every batch handed off (or, with `cancel`, only the one under way) and
        return the forms with their readings alone."""
        self._cancel = cancel
        self._todo.put(None)
        self._thread.join()
        if self._failed is not None and not cancel:
            raise self._failed
        return self._done

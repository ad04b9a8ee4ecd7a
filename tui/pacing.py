"""When the app's garbage is collected: while the user reads, not between a key and its results.

A mixin of `KosearchApp`. Every painted frame leaves thousands of small objects in reference
cycles (Textual's strips and their caches); Python's automatic full collections walked all of
them, and the index's own objects, in pauses of up to half a second that landed on keystrokes.
So the thresholds are raised, the collector is held off from a key to its results on screen,
a full collection runs once the screen has been still a moment, and the objects that live for
the session are frozen out of collections.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

    _Base = App[None]
else:
    _Base = object

TIDY_AFTER = 1.0
"""Seconds without typing after results appear before the app collects its garbage (see
`_tidy`)."""
GC_THRESHOLDS = (50_000, 20, 100)
"""The garbage collector's thresholds while the app runs (see `_pace_gc`); Python's default is
(700, 10, 10). Measured with the legal queries of bench_tui typed in bursts: p95 199 ms with the
default, 151 ms with these."""
GC_HOLD_LIMIT = 0.5
"""Longest the garbage collector is held off while a query's results are on their way (see
`_hold_gc`)."""


class GcPacing(_Base):
    """Holding, releasing and running the garbage collector around searches."""

    _gc_threshold: tuple[int, int, int] | None = None
    """The thresholds before the app raised them, put back when it closes."""
    _gc_hold_timer: Timer | None = None
    _tidy_timer: Timer | None = None

    def _pace_gc(self) -> None:
        """Raise the collector's thresholds for the app's lifetime (see the module's note)."""
        self._gc_threshold = gc.get_threshold()
        gc.set_threshold(*GC_THRESHOLDS)

    def _stop_pacing_gc(self) -> None:
        """The collector back on, with the thresholds it had before `_pace_gc`."""
        self._release_gc()
        if self._gc_threshold is not None:
            gc.set_threshold(*self._gc_threshold)

    def _first_frame(self) -> None:
        """`kosearch` starts with automatic garbage collection off (`tui.cli`): what was made
        until now (Textual, the widgets) lives for the session, so it is frozen out of later
        collections and collection comes back on."""
        gc.freeze()
        self._release_gc()

    def _tidy(self) -> None:
        """A full garbage collection at a quiet moment (a few ms: only what was made since the
        index was opened is walked)."""
        self._tidy_timer = None
        gc.collect()

    def _arm_tidy(self) -> None:
        """Collect garbage once the screen has been still for `TIDY_AFTER` (see `_tidy`)."""
        if self._tidy_timer is None:
            self._tidy_timer = self.set_timer(TIDY_AFTER, self._tidy)
        else:
            self._tidy_timer.reset()

    def _cancel_tidy(self) -> None:
        """A key was typed: no collection until the screen is still again."""
        if self._tidy_timer is not None:
            self._tidy_timer.stop()
            self._tidy_timer = None

    def _hold_gc(self) -> None:
        """No automatic garbage collection from a key to its results on screen: a generation-0
        pass over the objects a frame leaves (Textual's strips and segments) took 20-70 ms
        here and landed on keystrokes. Released after the paint (`_release_gc`), the pass runs
        while the user reads or reaches for the next key; `GC_HOLD_LIMIT` bounds the wait."""
        if self._gc_hold_timer is None:
            gc.disable()
            self._gc_hold_timer = self.set_timer(GC_HOLD_LIMIT, self._release_gc)

    def _release_gc(self) -> None:
        if self._gc_hold_timer is not None:
            self._gc_hold_timer.stop()
            self._gc_hold_timer = None
        gc.enable()

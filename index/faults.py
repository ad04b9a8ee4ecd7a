"""Named phases of an indexing run, where tests stop it: in a subprocess by SIGKILL or SIGINT,
in the test's own process through a hook, so crash safety is checked at exact moments.

Phases, in the order a run reaches them: "new-index-before-marker" (a new index's folder
exists, nothing is in it yet), "analysis" (the first document is analysed and added),
"aliases" (the learned aliases are written for the coming commit), "commit" (everything is
written but Whoosh's table of contents), "rebuild-swap" (a rebuild only: the commit that drops
every old segment at once is next), "after-commit", "caches" (derived files: `.kpost` and the
files cache are next).

`KOSEARCH_FAULT=PHASE` makes the process kill itself with SIGKILL when it reaches PHASE;
`KOSEARCH_FAULT=PHASE:int` sends it SIGINT instead (Ctrl-C), `PHASE:stop` SIGSTOP (it goes
on at SIGCONT: another process acts while it waits there). Unset, a phase costs one
comparison.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable

__all__ = ["PHASES", "hook", "phase"]

PHASES = ("new-index-before-marker", "analysis", "aliases", "commit", "rebuild-swap",
          "after-commit", "caches")

hook: Callable[[str], None] | None = None
"""Called with each phase's name when set (tests: pause a run at a phase with an event)."""

_FAULT, _, _HOW = os.environ.get("KOSEARCH_FAULT", "").partition(":")


def phase(name: str) -> None:
    """Mark that the run reached phase `name` (one of `PHASES`)."""
    if hook is not None:
        hook(name)
    if name == _FAULT:
        how = {"int": signal.SIGINT, "stop": signal.SIGSTOP}.get(_HOW, signal.SIGKILL)
        os.kill(os.getpid(), how)

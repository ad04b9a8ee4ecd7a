"""An indexing run in a child process, reporting its progress back, so the app's keys stay live.

Kiwi holds the GIL of the process it runs in: loading it takes 2-3 s and analysing holds it in
long stretches, so a run in one of the app's threads froze the keys. The child is started
with spawn, never fork: a process forked after Kiwi's worker threads ran hangs in Kiwi.
This module imports no Textual, so the child starts without it.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from index import IndexReport

__all__ = ["IndexingDied", "index_in_child"]

PROGRESS_EVERY = 0.05
"""Seconds between the progress reports the child sends (the last one is always sent):
sending is cheap, repainting the bar is not."""


class IndexingDied(RuntimeError):
    """The child ended without a report: killed, or out of memory."""


def index_in_child(paths: Sequence[Path], target: Path, *,
                   on_progress: Callable[[int, int], None] | None = None,
                   on_start: Callable[[BaseProcess], None] | None = None) -> IndexReport:
    """`index.index_paths(paths, target)` in a spawned child process; returns its report or
    raises its exception (`IndexingDied` when it ended without either).

    :param on_progress: called in this thread with (documents analysed, documents to analyse).
    :param on_start: called with the child process once it runs.
    """
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(send, [str(p) for p in paths], str(target)),
                            name="kosearch-index")
    _start(child)
    send.close()  # the child holds the only writing end: its exit ends `recv`
    if on_start is not None:
        on_start(child)
    try:
        while True:
            try:
                kind, *values = receive.recv()
            except EOFError:
                child.join()
                raise IndexingDied(f"the indexing process ended without a report "
                                   f"(exit code {child.exitcode})") from None
            if kind == "progress":
                if on_progress is not None:
                    on_progress(*values)
            elif kind == "done":
                report: IndexReport = values[0]
                return report
            else:
                raise values[0]
    finally:
        receive.close()
        child.join()


def _start(child: BaseProcess) -> None:
    """Start `child`. The first child also starts multiprocessing's resource tracker, which is
    handed this process's stderr; under Textual that is a capture without a file descriptor
    (-1), which fails the start, so the real stderr stands in while the child starts."""
    captured = sys.stderr
    if sys.__stderr__ is not None and _fileno(captured) < 0:
        sys.stderr = sys.__stderr__
    try:
        child.start()
    finally:
        sys.stderr = captured


def _fileno(stream: Any) -> int:
    try:
        return int(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return -1


def _run(send: Connection, paths: list[str], target: str) -> None:
    """The child: the run, its progress and its outcome, sent down `send`."""
    # Its output would land on the app's screen: what matters comes back through `send`.
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    os.close(quiet)
    from index import index_paths

    last = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last > PROGRESS_EVERY or done >= total:
            last = now
            send.send(("progress", done, total))

    try:
        report = index_paths([Path(p) for p in paths], Path(target), on_progress=progress)
    except Exception as error:  # sent to the app, which shows it
        send.send(("error", _sendable(error)))
    else:
        send.send(("done", report))
    finally:
        send.close()


def _sendable(error: Exception) -> Any:
    """`error` itself when it pickles, else a RuntimeError with its type and message."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:  # noqa: BLE001  (any failure to pickle)
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error

"""Indexing a folder and switching indexes from inside the app, without blocking it.

A mixin of `KosearchApp`: a thread worker runs the indexing in a child process and turns its
progress into messages; then the app refreshes or reopens its index and searches again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.content import Content
from textual.message import Message
from textual.widgets import Label, ProgressBar

from .render import flat
from .terminal import clean
from .widgets import StatusBar

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from textual.app import App
    from textual.screen import Screen
    from textual.worker import Worker

    from index import IndexReport
    from search import Index

    _Base = App[None]
else:
    _Base = object


class IndexingActions(_Base):
    """The "Index a folder" and "Switch index" commands and the indexing they start."""

    indexing_process: BaseProcess | None = None
    """The child process of the latest indexing run (see `_index_folder`)."""

    if TYPE_CHECKING:
        index: Index | None
        main: Screen[object]

        def _open(self, path: Path | None) -> Worker[None]: ...
        def _failed(self, what: str, error: BaseException) -> None: ...
        def _search_now(self, page: int = 1) -> None: ...

    @dataclass
    class Progress(Message):
        """An indexing run analysed `done` of `total` documents."""

        done: int
        total: int

    def action_index_folder(self) -> None:
        from index import default_index_dir

        index = self.index
        target = default_index_dir() if index is None or index.is_sample else index.path
        hint = f"Its documents are added to the index at {target}."

        def chosen(folder: Path | None) -> None:
            if folder is not None:
                self._index_folder(folder, target)

        from .screens import PathScreen

        self.push_screen(PathScreen("Index a folder", hint, str(Path.cwd())), chosen)

    def action_switch_index(self) -> None:
        index = self.index
        current = str(index.path) if index is not None and not index.is_sample else ""
        hint = "A folder made by kosearch index."
        from .screens import PathScreen

        self.push_screen(PathScreen("Switch index", hint, current), self._switch)

    def _switch(self, path: Path | None) -> None:
        if path is None:
            return
        self.main.query_one("#status", StatusBar).busy = f"opening {path}…"
        self._open(path)

    @work(thread=True, exclusive=True, group="indexing", exit_on_error=False)
    def _index_folder(self, folder: Path, target: Path) -> IndexReport | None:
        """Index `folder` into `target` in a child process (see `tui.indexing_child`), so the
        keys stay live while Kiwi loads and analyses; then search the result."""
        from .indexing_child import index_in_child

        def progress(done: int, total: int) -> None:
            self.post_message(self.Progress(done, total))

        def started(child: BaseProcess) -> None:
            self.indexing_process = child

        self.call_from_thread(self._indexing, f"Indexing {folder}…")
        try:
            report = index_in_child([folder], target, on_progress=progress, on_start=started)
        except Exception as error:
            self.call_from_thread(self._indexing, "")
            self.call_from_thread(self._failed, f"Indexing {folder} failed", error)
            return None
        self.call_from_thread(self._indexed, folder, target, report)
        return report

    def _indexing(self, label: str) -> None:
        self.main.query_one("#indexing").display = bool(label)
        self.main.query_one("#indexing-label", Label).update(Content(flat(clean(label))))
        if label:
            self.main.query_one("#indexing-progress", ProgressBar).update(total=None, progress=0)
        self.main.query_one("#status", StatusBar).busy = "indexing…" if label else ""

    def on_indexing_actions_progress(self, event: IndexingActions.Progress) -> None:
        self.main.query_one("#indexing-progress", ProgressBar).update(
            total=event.total or None, progress=event.done
        )
        if event.total and event.done >= event.total:
            # Committing can take as long as analysing; a full bar alone looks stuck.
            self.main.query_one("#indexing-label", Label).update(Content("Writing the index…"))

    def _indexed(self, folder: Path, target: Path, report: IndexReport) -> None:
        self._indexing("")
        summary = (
            f"{folder}: {report.added} added, {report.updated} updated, "
            f"{report.removed} removed, {report.unchanged} unchanged"
        )
        if report.failed or report.problems:
            problems = "\n".join(str(p) for p in report.problems[:5])
            self.notify(
                f"{summary}, {report.failed} failed\n{problems}",
                title="Indexed with problems",
                severity="warning",
                timeout=15,
            )
        else:
            self.notify(summary, title="Indexed")
        if self.index is not None and Path(self.index.path) == Path(target):
            self._refresh(self.index)
        else:
            self._open(target)

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def _refresh(self, index: Index) -> None:
        try:
            index.refresh()
        except Exception as error:
            self.call_from_thread(self._failed, "Could not reload the index", error)
            return
        self.call_from_thread(self._opened_again, index)

    def _opened_again(self, index: Index) -> None:
        self.main.query_one("#status", StatusBar).documents = index.doc_count
        self._search_now()

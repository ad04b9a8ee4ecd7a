"""App actions on the current document: copy its id or URL, open its URL or its source file.

A mixin of `KosearchApp`, kept apart so the app module stays about searching and layout.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import webbrowser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .terminal import clean

WEB_SCHEMES = frozenset({"http", "https"})
"""The URL schemes of documents that Open URL hands to a browser."""

if TYPE_CHECKING:
    from textual.app import App
    from textual.notifications import SeverityLevel

    from search.types import Document, Hit

    _Base = App[None]
else:
    _Base = object

FALLBACK_EDITORS = ("sensible-editor", "editor", "nano", "vi")
"""Tried in order when neither $VISUAL nor $EDITOR is set (Debian's conventions, then common)."""
PLUS_LINE = {"vi", "vim", "nvim", "view", "nano", "emacs", "emacsclient", "micro", "kak", "mg", "joe"}
"""Editors that take `+LINE` before the file to open it at that line."""
SCAN_LIMIT = 64 * 1024 * 1024
"""Files larger than this are opened at their first line rather than searched for the record."""


def record_line(path: Path, doc_id: str) -> int | None:
    """Return the 1-based line of the record `doc_id` in a JSON Lines, JSON or CSV file.

    The index keeps the file of each document but not its line, so the line is found again
    by its id: a JSON string `"id"` on the line, or the id as a CSV line's first field.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "a.jsonl"
    ...     _ = path.write_text('{"id": "a-1"}\\n{"id": "a-10"}\\n{"id": "a-2"}\\n')
    ...     record_line(path, "a-2"), record_line(path, "a-3")
    (3, None)
    """
    name = path.name.lower()
    if not name.endswith((".jsonl", ".json", ".csv")) or not doc_id:
        return None
    try:
        if path.stat().st_size > SCAN_LIMIT:
            return None
        quoted = f'"{doc_id}"'.encode()
        first_field = f"{doc_id},".encode()
        with path.open("rb") as lines:
            for number, line in enumerate(lines, 1):
                if quoted in line or line.startswith(first_field):
                    return number
    except OSError:
        return None
    return None


def editor_command(editor: str, path: str, line: int | None) -> list[str]:
    """Return the command that opens `path` in `editor`, at `line` when the editor can.

    >>> editor_command("vim -p", "/a.jsonl", 3)
    ['vim', '-p', '+3', '/a.jsonl']
    >>> editor_command("code --wait", "/a.jsonl", 3)
    ['code', '--wait', '/a.jsonl']
    """
    command = shlex.split(editor)
    if line and command and Path(command[0]).name in PLUS_LINE:
        return [*command, f"+{line}", path]
    return [*command, path]


class DocumentActions(_Base):
    """Actions that need a current document; the app says which one that is."""

    def current_document(self) -> Hit | Document | None:
        raise NotImplementedError

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Show a notification as plain text, cleaned (`tui.terminal.clean`), whatever
        `markup` says: the app's messages (its screens' and workers' too, which all come here)
        carry paths, ids, URLs, queries and error messages, and those are data."""
        super().notify(clean(message), title=clean(title), severity=severity, timeout=timeout,
                       markup=False)

    def _need_document(self) -> Hit | Document | None:
        document = self.current_document()
        if document is None:
            self.notify("Select a result first", severity="warning")
        return document

    def action_copy_id(self) -> None:
        if document := self._need_document():
            self.copy_to_clipboard(document.id)
            self.notify(f"Copied {document.id}", timeout=3)

    def action_copy_url(self) -> None:
        if document := self._need_document():
            if not document.url:
                self.notify("This document has no URL", severity="warning")
                return
            self.copy_to_clipboard(document.url)
            self.notify(f"Copied {document.url}", timeout=3)

    def action_open_url(self) -> None:
        if document := self._need_document():
            if not document.url:
                self.notify("This document has no URL", severity="warning")
                return
            if urlsplit(document.url).scheme.lower() not in WEB_SCHEMES:
                # A document's URL is data: javascript:, file: or an "-option" for a terminal
                # browser must not run from a key press.
                self.notify(f"Not opened: {document.url} is not a web address (http or https). "
                            "Copy it with the Copy URL command to open it yourself.",
                            title="Open URL", severity="warning")
                return
            self._browse(document.url)

    def _browse(self, url: str) -> None:
        """Open `url` in a browser, and say what happened: with no browser (a server over
        ssh) `webbrowser` fails silently, so the URL is copied instead."""
        if self.is_web:  # the user's own browser, on the other side of textual-web
            self.open_url(url)
            return
        try:
            browser: webbrowser.BaseBrowser | None = webbrowser.get()
        except webbrowser.Error:
            browser = None
        if type(browser) is webbrowser.GenericBrowser:
            # A terminal browser (w3m, lynx) needs the terminal the app is drawing on.
            assert isinstance(browser, webbrowser.GenericBrowser)
            self._run_in_terminal([browser.name, *(a.replace("%s", url) for a in browser.args)])
        elif browser is not None and browser.open(url):
            self.notify(f"Opened {url}", timeout=3)
        else:
            self.copy_to_clipboard(url)
            self.notify(
                f"No web browser found, so the URL was copied instead:\n{url}",
                title="Open URL",
                severity="warning",
            )

    def action_open_source(self) -> None:
        """Open the file the document came from in $VISUAL or $EDITOR (else the system's
        usual editor), at the document's line when the editor and the format allow."""
        document = self._need_document()
        if document is None:
            return
        if not document.path or not Path(document.path).exists():
            self.notify("This document has no source file on this machine", severity="warning")
            return
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        editor = editor or next((e for e in FALLBACK_EDITORS if shutil.which(e)), None)
        if not editor:
            self._browse(Path(document.path).resolve().as_uri())
            return
        line = record_line(Path(document.path), document.id)
        self._run_in_terminal(editor_command(editor, document.path, line))

    def _run_in_terminal(self, command: list[str]) -> None:
        """Hand the terminal to `command` until it exits, then redraw the app."""
        try:
            with self.suspend():
                subprocess.run(command, check=False)
        except Exception as error:  # no terminal to hand over (tests, web), or no such program
            self.notify(f"Could not run {command[0]}: {error}", severity="error")
